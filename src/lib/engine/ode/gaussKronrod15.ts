/**
 * The 15-point Gauss–Kronrod rule on [−1, 1] and its embedded 7-point Gauss rule, as in
 * QUADPACK's QK15 (Piessens, de Doncker-Kapenga, Überhuber & Kahaner, QUADPACK, Springer
 * 1983): the Kronrod result is exact for polynomials of degree 22, the Gauss one for 13,
 * and their difference estimates the Gauss rule's error (a pessimistic bound on Kronrod's).
 * Nodes in increasing order; GAUSS_WEIGHTS is 0 at the nodes that only Kronrod uses.
 */
const X = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
  0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
  0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0
];
const WK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204,
  0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
  0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714
];
// Gauss weights of the nodes X[1], X[3], X[5], X[7].
const WG = [
  0, 0.129484966168869693270611432679082, 0, 0.27970539148927666790146777142378, 0,
  0.381830050505118944950369775488975, 0, 0.417959183673469387755102040816327
];

const mirror = <T>(half: T[], negate: (v: T) => T): T[] => [
  ...half.slice(0, 7).map(negate),
  half[7],
  ...half.slice(0, 7).reverse()
];

export const KRONROD_NODES = Float64Array.from(mirror(X, (v) => -v));
export const KRONROD_WEIGHTS = Float64Array.from(mirror(WK, (v) => v));
export const GAUSS_WEIGHTS = Float64Array.from(mirror(WG, (v) => v));
