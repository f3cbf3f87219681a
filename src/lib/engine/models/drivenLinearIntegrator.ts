/**
 * Exact-in-the-states integration of a PD block that is affine in its states,
 * dy/dt = A·y + b(t, C(t)) with A constant for a twin (`PdDeclaration.affine`), driven by the
 * closed-form concentration C. Over an interval [t0, t0 + H] between doses (or outputs)
 *
 *   y(t0 + H) = e^{AH}·y(t0) + ∫_0^H e^{A(H−s)}·b(t0 + s, C(t0 + s)) ds,
 *
 * so the only approximation is the quadrature of a smooth integral: a 15-point
 * Gauss–Kronrod rule whose embedded 7-point Gauss rule estimates the error. The nodes are
 * graded towards the interval's start, s = H·(e^{βu} − 1)/(e^β − 1) with β from the fastest
 * PK rate, because after a dose the absorption makes C change fastest there. When the
 * estimate exceeds the tolerance (the mixed test atol + rtol·|y| of the Runge–Kutta
 * solvers, on the states at the interval's end) the interval's u-range is split into 2, 4,
 * 8, 16 panels; beyond that the caller integrates the interval with Dormand–Prince.
 *
 * The matrices e^{A(H−s_j)} at the nodes and the PK factors e^{μ_k s_j} depend only on the
 * twin and H, and daily dosing repeats H, so they are kept per (H, panels) and each
 * interval costs a few flops per node. Each interval starts from one panel, so a result
 * depends only on the interval, never on what was integrated before (cached or not).
 *
 * A is read from the block's own rhs: column j is (rhs(s·e_j) − rhs(0))/s, exact for an affine
 * rhs up to rounding, with s the power of two nearest state j's initial value.
 */
import { GAUSS_WEIGHTS, KRONROD_NODES, KRONROD_WEIGHTS } from '../ode/gaussKronrod15';
import { MatrixExponential } from '../ode/matrixExponential';
import type { OutputSink } from '../ode/odeSystem';
import { StepLimitError } from '../ode/stepLimitError';
import type { PdDeclaration } from './modelDefinition';

/** The closed-form PK of the current dosing segment: C(t) = (constant + Σ_k coef_k·e^{μ_k (t − anchor)})·inverseVolume. */
export interface DrivingConcentration {
  readonly coef: Float64Array;
  readonly mu: Float64Array;
  readonly constant: number;
  readonly anchor: number;
  readonly inverseVolume: number;
}

const RULE = KRONROD_NODES.length;
/** Panels go 1, 2, 4, … up to 2^MAX_LEVEL before the interval is left to Dormand–Prince. */
const MAX_LEVEL = 4;
/** Layouts kept per twin: interval lengths × panel counts (daily dosing needs one or two). */
const CACHED_LAYOUTS = 16;
/** Node grids kept across twins before the cache starts afresh. */
const CACHED_GRIDS = 256;
const MAX_GRADING = 6;
/** Pieces an interval may be cut into (‖A‖₁·h ≤ 2 each) before it is left to the ODE solver. */
const MAX_PIECES = 64;
/** A PK term below this share of the largest no longer grades the nodes. */
const NEGLIGIBLE = 1e-9;

/**
 * The nodes of one interval length and panel count, with what they need from the twin,
 * interleaved per node (one stream through memory): offset s_j from the interval's start,
 * Kronrod weight (with the map's Jacobian), Kronrod − Gauss weight, e^{A(H − s_j)} (n×n,
 * row-major), e^{μ_k s_j} per PK mode.
 */
interface Grid {
  offset: Float64Array;
  weight: Float64Array;
  errorWeight: Float64Array;
}

interface Layout {
  h: number;
  level: number;
  rate: number;
  count: number;
  nodes: Float64Array;
  /** e^{AH} */
  whole: Float64Array;
}

/**
 * One pass over a layout's nodes: out[i] = Σ_j w_j·(e^{A(H−s_j)}·b_j)_i and out[n + i] the
 * same with the error weights, b_j the forcing at node j (the rhs at zero states).
 */
type Sweep = (
  nodes: Float64Array,
  count: number,
  term: Float64Array,
  constant: number,
  inverseVolume: number,
  t0: number,
  rhs: PdDeclaration['rhs'],
  zero: Float64Array,
  q: Float64Array,
  b: Float64Array,
  out: Float64Array
) => void;

const sweeps = new Map<string, Sweep>();

/**
 * The sweep for n states and m PK modes, printed with its loops unrolled and the sums in
 * locals: for a few states the loops' bookkeeping costs more than the arithmetic
 * (measured 27 against 11 ns a node for two states and two modes).
 */
function sweepFor(n: number, m: number): Sweep {
  const key = `${n}/${m}`;
  let sweep = sweeps.get(key);
  if (sweep) return sweep;
  const stride = 3 + n * n + m;
  const range = (k: number) => Array.from({ length: k }, (_, i) => i);
  const lines = [
    '"use strict";',
    ...range(n).map((i) => `let s${i} = 0, e${i} = 0;`),
    ...range(m).map((k) => `const T${k} = term[${k}];`),
    `for (let o = 0, end = count * ${stride}; o < end; o += ${stride}) {`,
    `  const c = constant${range(m)
      .map((k) => ` + T${k} * nodes[o + ${3 + n * n + k}]`)
      .join('')};`,
    '  rhs(t0 + nodes[o], zero, q, b, c * inverseVolume);',
    ...range(n).map((l) => `  const b${l} = b[${l}];`),
    '  const w = nodes[o + 1], we = nodes[o + 2];',
    ...range(n).map(
      (i) =>
        `  const v${i} = ${range(n)
          .map((l) => `nodes[o + ${3 + i * n + l}] * b${l}`)
          .join(' + ')}; s${i} += w * v${i}; e${i} += we * v${i};`
    ),
    '}',
    ...range(n).map((i) => `out[${i}] = s${i}; out[${n + i}] = e${i};`)
  ];
  sweep = new Function(
    'nodes',
    'count',
    'term',
    'constant',
    'inverseVolume',
    't0',
    'rhs',
    'zero',
    'q',
    'b',
    'out',
    lines.join('\n')
  ) as Sweep;
  sweeps.set(key, sweep);
  return sweep;
}

export class DrivenLinearIntegrator {
  context = '';
  /** Where the last `integrate` left the interval to Dormand–Prince; NaN when it did not. */
  gaveUpAt = Number.NaN;
  private readonly a: Float64Array;
  private readonly mu: Float64Array;
  private readonly expm: MatrixExponential;
  private readonly zero: Float64Array;
  private readonly b: Float64Array;
  /** The Kronrod sums, then the error sums, of a piece. */
  private readonly sums: Float64Array;
  private readonly sweep: Sweep;
  private readonly next: Float64Array;
  private readonly term: Float64Array;
  private readonly cell: Float64Array;
  // prepare's scratch: a column of A, the initial states, the step along one state
  private readonly column: Float64Array;
  private readonly start: Float64Array;
  private readonly unit: Float64Array;
  /** Layouts of the current twin: the first `valid` are in use (their arrays are reused). */
  private readonly layouts: Layout[] = [];
  private valid = 0;
  private evict = 0;
  /** Node offsets and weights by interval length, level and rate: the same for every twin. */
  private readonly grids = new Map<string, Grid>();
  private q: Float64Array = new Float64Array(0);
  /** ‖A‖₁, which bounds how fast e^{As} changes */
  private norm = 0;

  constructor(
    private readonly pd: PdDeclaration,
    private readonly modes: number,
    private readonly rtol: number,
    private readonly atol: number
  ) {
    const n = pd.states.length;
    this.a = new Float64Array(n * n);
    this.mu = new Float64Array(modes);
    this.expm = new MatrixExponential(n);
    this.zero = new Float64Array(n);
    this.b = new Float64Array(n);
    this.sums = new Float64Array(2 * n);
    this.sweep = sweepFor(n, modes);
    this.next = new Float64Array(n);
    this.term = new Float64Array(modes);
    this.cell = new Float64Array(n * n);
    this.column = new Float64Array(n);
    this.start = new Float64Array(n);
    this.unit = new Float64Array(n);
  }

  /**
   * Reads A for the twin with parameters q and PK rates mu; the cached layouts are kept
   * when both are unchanged (the same twin under another arm). False when A is not finite.
   */
  prepare(q: Float64Array, mu: Float64Array): boolean {
    const n = this.zero.length;
    const { b, column, start, unit } = this;
    this.q = q;
    let same = true;
    for (let k = 0; k < this.modes; k++) same &&= this.mu[k] === mu[k];
    this.pd.rhs(0, this.zero, q, b, 0);
    this.pd.initial(q, start);
    for (let j = 0; j < n; j++) {
      // A step of the state's own size (a power of two, so the division is exact): a unit
      // step beside a forcing of 1e8 would leave A's column to cancellation.
      const size = Math.abs(start[j]);
      const step = size > 0 && Number.isFinite(size) ? 2 ** Math.round(Math.log2(size)) : 1;
      unit.fill(0);
      unit[j] = step;
      this.pd.rhs(0, unit, q, column, 0);
      for (let i = 0; i < n; i++) {
        const v = (column[i] - b[i]) / step;
        if (!Number.isFinite(v)) return false;
        same &&= this.a[i * n + j] === v;
        this.a[i * n + j] = v;
      }
    }
    let norm = 0;
    for (let j = 0; j < n; j++) {
      let col = 0;
      for (let i = 0; i < n; i++) col += Math.abs(this.a[i * n + j]);
      if (col > norm) norm = col;
    }
    this.norm = norm;
    if (!same) {
      this.expm.setMatrix(this.a);
      this.mu.set(mu);
      this.valid = 0;
      this.evict = 0;
    }
    return true;
  }

  /**
   * Integrates from t0 to t1 (no dose in between), recording the outputs at times[k…] up to
   * t1; returns the next output index. If a piece needs more panels than MAX_LEVEL allows,
   * stops at its start with `gaveUpAt` set (y and the index are those there).
   */
  integrate(
    pk: DrivingConcentration,
    t0: number,
    t1: number,
    y: Float64Array,
    times: Float64Array,
    k: number,
    sink: OutputSink
  ): number {
    this.gaveUpAt = Number.NaN;
    let t = t0;
    while (k < times.length && times[k] <= t1) {
      const target = times[k];
      if (target > t) {
        const reached = this.advance(pk, t, target, y);
        if (reached !== target) return ((this.gaveUpAt = reached), k);
        t = target;
      }
      sink.record(k, target, y);
      k++;
    }
    if (t < t1) {
      const reached = this.advance(pk, t, t1, y);
      if (reached !== t1) this.gaveUpAt = reached;
    }
    return k;
  }

  /**
   * y(t0) → y(t1) in equal pieces short enough for e^{A(h−s)} to vary by a bounded factor
   * (‖A‖₁·h ≤ 2), each with one, then 2, 4, … panels until its error estimate passes.
   * Returns t1, or the start of the piece that did not pass (y is the state there).
   */
  private advance(pk: DrivingConcentration, t0: number, t1: number, y: Float64Array): number {
    const pieces = Math.max(1, Math.ceil((this.norm * (t1 - t0)) / 2));
    if (pieces > MAX_PIECES) return t0;
    const h = (t1 - t0) / pieces;
    for (let p = 0; p < pieces; p++) {
      const start = p === 0 ? t0 : t0 + p * h;
      if (!this.piece(pk, start, p === pieces - 1 ? t1 - start : h, y)) return start;
    }
    return t1;
  }

  private piece(pk: DrivingConcentration, t0: number, h: number, y: Float64Array): boolean {
    const n = y.length;
    const m = this.modes;
    const { term, b, sums, next, zero, q, pd, rtol, atol } = this;
    const since = t0 - pk.anchor;
    // The fastest PK mode still present grades the nodes: after a dose the absorption
    // term; in a washout the elimination; none without drug.
    let largest = Math.abs(pk.constant);
    for (let k = 0; k < m; k++) {
      const v = since === 0 ? pk.coef[k] : pk.coef[k] * Math.exp(pk.mu[k] * since);
      term[k] = v;
      if (Math.abs(v) > largest) largest = Math.abs(v);
    }
    let fastest = 0;
    for (let k = 0; k < m; k++) {
      const rate = Math.abs(pk.mu[k]);
      if (Math.abs(term[k]) > NEGLIGIBLE * largest && rate > fastest) fastest = rate;
    }
    for (let level = 0; level <= MAX_LEVEL; level++) {
      const { count, nodes, whole } = this.layout(h, level, fastest);
      this.sweep(nodes, count, term, pk.constant, pk.inverseVolume, t0, pd.rhs, zero, q, b, sums);
      let norm = 0;
      for (let i = 0; i < n; i++) {
        let v = sums[i];
        for (let l = 0; l < n; l++) v += whole[i * n + l] * y[l];
        next[i] = v;
        const yi = Math.abs(y[i]);
        const vi = Math.abs(v);
        const r = sums[n + i] / (atol + rtol * (yi > vi ? yi : vi));
        norm += r * r;
      }
      norm = Math.sqrt(norm / n);
      if (!(norm === norm)) {
        throw new StepLimitError(this.context, t0, Array.from(y), 'state or derivative is not finite');
      }
      if (norm <= 1) {
        for (let i = 0; i < n; i++) y[i] = next[i];
        return true;
      }
    }
    return false;
  }

  private layout(h: number, level: number, rate: number): Layout {
    const { layouts } = this;
    for (let i = 0; i < this.valid; i++) {
      const lay = layouts[i];
      if (lay.h === h && lay.level === level && lay.rate === rate) return lay;
    }
    let slot: number;
    if (this.valid < CACHED_LAYOUTS) slot = this.valid++;
    else slot = this.evict++ % CACHED_LAYOUTS;
    const lay = this.fillLayout(layouts[slot], h, level, rate);
    layouts[slot] = lay;
    return lay;
  }

  /** The nodes' offsets and weights for pieces of length h at a level, graded by `rate` (0: evenly). */
  private grid(h: number, level: number, rate: number): Grid {
    const key = `${h}/${level}/${rate}`;
    let grid = this.grids.get(key);
    if (grid) return grid;
    const panels = 1 << level;
    const count = panels * RULE;
    const beta = Math.min(MAX_GRADING, Math.log1p(2 * h * rate));
    const graded = beta > 1e-6;
    const span = graded ? Math.expm1(beta) : 1;
    grid = {
      offset: new Float64Array(count),
      weight: new Float64Array(count),
      errorWeight: new Float64Array(count)
    };
    for (let p = 0; p < panels; p++) {
      for (let r = 0; r < RULE; r++) {
        const j = p * RULE + r;
        const u = (p + (1 + KRONROD_NODES[r]) / 2) / panels;
        const scale = (graded ? (h * beta * Math.exp(beta * u)) / span : h) / (2 * panels);
        grid.offset[j] = graded ? (h * Math.expm1(beta * u)) / span : h * u;
        grid.weight[j] = KRONROD_WEIGHTS[r] * scale;
        grid.errorWeight[j] = (KRONROD_WEIGHTS[r] - GAUSS_WEIGHTS[r]) * scale;
      }
    }
    if (this.grids.size >= CACHED_GRIDS) this.grids.clear();
    this.grids.set(key, grid);
    return grid;
  }

  /** The twin's layout for (h, level, rate), written into `into`'s arrays when they are large enough. */
  private fillLayout(into: Layout | undefined, h: number, level: number, rate: number): Layout {
    const n = this.zero.length;
    const m = this.modes;
    const { offset, weight, errorWeight } = this.grid(h, level, rate);
    const count = offset.length;
    const stride = 3 + n * n + m;
    const lay: Layout =
      into && into.nodes.length >= count * stride
        ? into
        : { h, level, rate, count, nodes: new Float64Array(count * stride), whole: new Float64Array(n * n) };
    lay.h = h;
    lay.level = level;
    lay.rate = rate;
    lay.count = count;
    const { nodes } = lay;
    const cell = this.cell;
    for (let j = 0; j < count; j++) {
      const o = j * stride;
      const s = offset[j];
      nodes[o] = s;
      nodes[o + 1] = weight[j];
      nodes[o + 2] = errorWeight[j];
      this.expm.compute(h - s, cell);
      for (let e = 0; e < n * n; e++) nodes[o + 3 + e] = cell[e];
      for (let k = 0; k < m; k++) nodes[o + 3 + n * n + k] = Math.exp(this.mu[k] * s);
    }
    this.expm.compute(h, lay.whole);
    return lay;
  }
}
