export { RandomStream, purposeHash, mix32, seedWords } from './stream';
export { normalCdf, normalQuantile, normalQuantileFast, normalSurvival } from './normal';
