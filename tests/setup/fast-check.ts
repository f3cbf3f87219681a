import fc from 'fast-check';

// Property tests explore new random cases on every local run; in CI they use one fixed
// seed, so a submission's result is reproducible (a failure found locally prints its
// seed and path for fc.assert to replay).
if (process.env.CI) fc.configureGlobal({ seed: 20261127 });
