// A draw of a normal linear regression's parameters from their posterior under the prior
// p(β, σ²) ∝ 1/σ² (Rubin 1987, Multiple Imputation for Nonresponse in Surveys, §5.3;
// "proper" imputation): σ*² = RSS / χ²(n − p − 1), β* ~ N(β̂, σ*² (XᵀX)⁻¹). The same draw
// as R mice's .norm.draw (method "norm"), here on centred predictors: there the intercept at the
// means is independent of the slopes with variance σ²/n, so the draw is the same distribution.
import type { RandomStream } from '../engine/rng';
import type { LeastSquaresFit } from './leastSquares';
import { randomChiSquare } from './randomChiSquare';

/**
 * Writes a posterior draw of the slopes into `slopes` (length p) and returns the intercept and
 * residual SD drawn with them.
 */
export function drawNormalRegression(
  fit: LeastSquaresFit,
  stream: RandomStream,
  slopes: Float64Array
): { intercept: number; sigma: number } {
  const { p, chol: L } = fit;
  const sigma = Math.sqrt(fit.rss / randomChiSquare(stream, fit.df));
  // β* = β̂ + σ* L⁻ᵀ z, so that Cov = σ*² (L Lᵀ)⁻¹
  for (let j = 0; j < p; j++) slopes[j] = stream.normal();
  for (let j = p - 1; j >= 0; j--) {
    let t = slopes[j];
    for (let k = j + 1; k < p; k++) t -= L[k * p + j] * slopes[k];
    slopes[j] = t / L[j * p + j];
  }
  let intercept = fit.yMean + (sigma * stream.normal()) / Math.sqrt(fit.n);
  for (let j = 0; j < p; j++) {
    slopes[j] = fit.coef[j] + sigma * slopes[j];
    intercept -= slopes[j] * fit.xMean[j];
  }
  return { intercept, sigma };
}
