/**
 * Coefficients and step-size control constants of the Dormand–Prince 5(4) pair with
 * Hairer's order-4 continuous extension, shared by the vector and the scalar solver.
 * Reference: E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential
 * Equations I, 2nd ed., Springer 1993, section II.5, and their Fortran code DOPRI5.
 *
 * Exported as one object: modules copy the entries into module-level constants, which
 * the compiler folds (imported bindings may be compiled to property getters).
 */
export const DP5 = {
  C2: 1 / 5,
  C3: 3 / 10,
  C4: 4 / 5,
  C5: 8 / 9,
  A21: 1 / 5,
  A31: 3 / 40,
  A32: 9 / 40,
  A41: 44 / 45,
  A42: -56 / 15,
  A43: 32 / 9,
  A51: 19372 / 6561,
  A52: -25360 / 2187,
  A53: 64448 / 6561,
  A54: -212 / 729,
  A61: 9017 / 3168,
  A62: -355 / 33,
  A63: 46732 / 5247,
  A64: 49 / 176,
  A65: -5103 / 18656,
  A71: 35 / 384,
  A73: 500 / 1113,
  A74: 125 / 192,
  A75: -2187 / 6784,
  A76: 11 / 84,
  E1: 71 / 57600,
  E3: -71 / 16695,
  E4: 71 / 1920,
  E5: -17253 / 339200,
  E6: 22 / 525,
  E7: -1 / 40,
  D1: -12715105075 / 11282082432,
  D3: 87487479700 / 32700410799,
  D4: -10690763975 / 1880347072,
  D5: 701980252875 / 199316789632,
  D6: -1453857185 / 822651844,
  D7: 69997945 / 29380423,
  SAFE: 0.9,
  BETA: 0.04,
  EXPO1: 0.2 - 0.04 * 0.75,
  FAC_MIN_INV: 1 / 0.2, // step may shrink by at most 5x
  FAC_MAX_INV: 1 / 10 // and grow by at most 10x
} as const;
