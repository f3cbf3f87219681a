export { RandomStream, purposeHash, mix32, seedWords } from './stream';
export { normalCdf, normalLogCdf, normalQuantile, normalQuantileFast, normalSurvival } from './normal';
