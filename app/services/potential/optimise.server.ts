// Customer potential: the minimiser behind both model fits, the result type and the few numerical
// helpers they share.
// BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical Optimization, 2nd ed., algorithms
// 3.5, 3.6 and 6.1) for a handful of unconstrained variables: the fits minimise over log-parameters.
// Our own because neither candidate library runs here: nlopt-js 0.1.1 crashes on its first L-BFGS call
// in Node 20 (its wasm heap view goes stale when the heap grows), and fmin 0.0.4 exports nothing to a
// Node ESM import (a UMD bundle in a "type": "module" package).

/**
 * Why a fit failed, as a code the pages word in the user's language (with `values`); `reason` says the
 * same in English for logs and the command line.
 */
export type FitFailureCode =
  | "malformed"
  | "no_customers"
  | "no_repeat"
  | "too_few_spend"
  | "max_iterations"
  | "no_fit"
  | "not_finite"
  | "infinite_mean_spend";

export type FitResult<P> =
  | { converged: true; params: P; logLikelihood: number; customers: number; iterations: number }
  | { converged: false; code: FitFailureCode; values?: Record<string, number>; reason: string; customers: number; iterations: number };

/** f(x), writing ∇f(x) into `gradient`; a non-finite value marks x as outside the domain. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimiseOptions {
  maxIterations?: number;
  /** Converged when every gradient component is at most this. */
  gradientTolerance?: number;
  /** The longest step (largest component) one iteration may take: keeps a poor start from overflowing. */
  maxStep?: number;
}

export type MinimiseStatus = "converged" | "max-iterations" | "line-search-failed" | "stalled" | "non-finite";

export interface MinimiseResult {
  x: Float64Array;
  f: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  status: MinimiseStatus;
}

const C1 = 1e-4;
const C2 = 0.9;

const maxAbs = (v: Float64Array) => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
};
const dot = (u: Float64Array, v: Float64Array) => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
};

interface Point {
  x: Float64Array;
  f: number;
  g: Float64Array;
}

/**
 * Strong-Wolfe line search along `direction` from `from` (N&W 3.5 with the zoom of 3.6, safeguarded
 * cubic interpolation). Non-finite values count as too high, so the search backs off the domain's edge.
 * Returns null when no acceptable step was found.
 */
function lineSearch(objective: Objective, from: Point, direction: Float64Array, initialStep: number, count: () => void): Point | null {
  const n = from.x.length;
  const slope0 = dot(from.g, direction);
  const at = (step: number): Point => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = from.x[i] + step * direction[i];
    const g = new Float64Array(n);
    count();
    const f = objective(x, g);
    return { x, f: Number.isFinite(f) && g.every(Number.isFinite) ? f : Infinity, g };
  };
  const slope = (p: Point) => dot(p.g, direction);
  const cubicMin = (a: number, fa: number, da: number, b: number, fb: number, db: number) => {
    // Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept inside the middle of [a, b].
    const d1 = da + db - (3 * (fa - fb)) / (a - b);
    const disc = d1 * d1 - da * db;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let t = (a + b) / 2;
    if (Number.isFinite(fb) && disc >= 0) {
      const d2 = Math.sign(b - a) * Math.sqrt(disc);
      const c = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
      if (Number.isFinite(c)) t = c;
    }
    const margin = 0.1 * (hi - lo);
    return Math.min(hi - margin, Math.max(lo + margin, t));
  };
  const zoom = (lo: Point & { step: number }, hi: Point & { step: number }): Point | null => {
    for (let k = 0; k < 20; k++) {
      const step = cubicMin(lo.step, lo.f, slope(lo), hi.step, hi.f, Number.isFinite(hi.f) ? slope(hi) : 0);
      const p = { ...at(step), step };
      if (p.f > from.f + C1 * step * slope0 || p.f >= lo.f) {
        hi = p;
      } else {
        const s = slope(p);
        if (Math.abs(s) <= -C2 * slope0) return p;
        if (s * (hi.step - lo.step) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.step - lo.step) < 1e-14 * Math.max(1, lo.step)) break;
    }
    // Sufficient decrease without the curvature condition is still progress.
    return lo.step > 0 && lo.f < from.f ? lo : null;
  };

  let previous = { ...from, step: 0 };
  let step = initialStep;
  for (let k = 0; k < 20; k++) {
    const p = { ...at(step), step };
    if (p.f > from.f + C1 * step * slope0 || (k > 0 && p.f >= previous.f)) return zoom(previous, p);
    const s = slope(p);
    if (Math.abs(s) <= -C2 * slope0) return p;
    if (s >= 0) return zoom(p, previous);
    previous = p;
    step *= 2;
  }
  return null;
}

/** Minimises `objective` from `start` by BFGS; the caller decides what a status other than converged means. */
export function minimise(objective: Objective, start: ArrayLike<number>, options: MinimiseOptions = {}): MinimiseResult {
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.gradientTolerance ?? 1e-7;
  const maxStep = options.maxStep ?? 2;
  const n = start.length;
  let evaluations = 1;
  const count = () => void evaluations++;

  const g0 = new Float64Array(n);
  const x0 = Float64Array.from(start);
  let current: Point = { x: x0, f: objective(x0, g0), g: g0 };
  const result = (status: MinimiseStatus, iterations: number): MinimiseResult => ({
    x: current.x,
    f: current.f,
    gradient: current.g,
    iterations,
    evaluations,
    status,
  });
  if (!Number.isFinite(current.f) || !current.g.every(Number.isFinite)) return result("non-finite", 0);

  // Inverse Hessian approximation, row-major; identity until the first step tells the scale.
  const H = new Float64Array(n * n);
  let fresh = true;
  const reset = () => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = 1;
    fresh = true;
  };
  reset();
  const direction = new Float64Array(n);
  let stalled = 0;

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(current.g) <= tolerance) return result("converged", iteration);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= H[i * n + j] * current.g[j];
      direction[i] = s;
    }
    if (dot(direction, current.g) >= 0) {
      reset();
      for (let i = 0; i < n; i++) direction[i] = -current.g[i];
    }
    const length = maxAbs(direction);
    const next = lineSearch(objective, current, direction, Math.min(1, maxStep / length), count);
    if (!next) {
      // Near the optimum the decrease a step could make drowns in rounding: close enough counts.
      if (fresh) return result(maxAbs(current.g) <= tolerance * 100 ? "converged" : "line-search-failed", iteration);
      // A stale curvature estimate can point badly: start again from steepest descent.
      reset();
      continue;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next.x[i] - current.x[i];
      y[i] = next.g[i] - current.g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) {
        // Scale the identity to the curvature just seen (N&W 6.20) before the first update.
        const scale = sy / dot(y, y);
        for (let i = 0; i < n; i++) H[i * n + i] = scale;
        fresh = false;
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      const Hy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
      }
      const yHy = dot(y, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
    }
    const change = current.f - next.f;
    current = next;
    // Progress at the level of rounding for several steps: the gradient will not get smaller.
    stalled = change <= 1e-14 * Math.max(1, Math.abs(current.f)) ? stalled + 1 : 0;
    if (stalled >= 5) return result(maxAbs(current.g) <= tolerance * 100 ? "converged" : "stalled", iteration + 1);
  }
  return result(maxAbs(current.g) <= tolerance ? "converged" : "max-iterations", maxIterations);
}

/** Beyond e^±30 a log-parameter has run off to 0 or infinity: the objectives refuse such points. */
export const LOG_LIMIT = 30;
/** A converged point with a parameter beyond e^±12 sits on a flat edge of the likelihood (say, no dropout). */
const EDGE = 12;

export interface MultiStartResult {
  /** The best converged point, or null. */
  best: MinimiseResult | null;
  iterations: number;
  /** The last run's status, for the message when none converged. */
  lastStatus: MinimiseStatus;
}

/**
 * Minimises from each start in turn (log-parameters) until a converged point inside the parameter space.
 * A point on a flat edge is checked from one more start, since a poor start can end on an edge that a
 * better one avoids; when the data's maximum is on the edge (no dropout, say), the better edge point is it.
 */
export function minimiseFromStarts(objective: Objective, starts: number[][], options: MinimiseOptions = {}): MultiStartResult {
  let best: MinimiseResult | null = null;
  let iterations = 0;
  let lastStatus: MinimiseStatus = "non-finite";
  for (const start of starts) {
    const run = minimise(objective, start, options);
    iterations += run.iterations;
    lastStatus = run.status;
    if (run.status !== "converged" || !run.x.every((u) => Math.abs(u) < LOG_LIMIT - 1)) continue;
    const onEdge = !run.x.every((u) => Math.abs(u) < EDGE);
    if (!onEdge) return { best: best && best.f < run.f ? best : run, iterations, lastStatus };
    if (best) return { best: run.f < best.f ? run : best, iterations, lastStatus };
    best = run;
  }
  return { best, iterations, lastStatus };
}

/** The code of a fit that found nothing, by the last run's status. */
export function notConvergedCode(result: MultiStartResult): FitFailureCode {
  return result.lastStatus === "max-iterations" ? "max_iterations" : result.lastStatus === "non-finite" ? "not_finite" : "no_fit";
}

/** The sentence for a fit that found nothing, by the last run's status. */
export function notConvergedReason(model: string, result: MultiStartResult, edge: string): string {
  const why =
    result.lastStatus === "max-iterations"
      ? `did not converge after ${result.iterations} iterations (log-likelihood still changing)`
      : result.lastStatus === "non-finite"
      ? "produced values that are not numbers"
      : `could not find parameters that describe ${edge}`;
  return `The ${model} fit ${why}; the previous parameters are kept.`;
}

/**
 * Index of each value in a table of the distinct values, so per-value work is done once. Whole numbers
 * (days, counts) are looked up in an array, anything else in a Map.
 */
export function tabulate(values: Float64Array) {
  const index = new Int32Array(values.length);
  const table: number[] = [];
  let max = 0;
  let whole = true;
  for (let i = 0; i < values.length && whole; i++) {
    whole = Number.isInteger(values[i]) && values[i] >= 0;
    max = Math.max(max, values[i]);
  }
  if (whole && max < 1 << 22) {
    const slot = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (slot[v] < 0) {
        slot[v] = table.length;
        table.push(v);
      }
      index[i] = slot[v];
    }
    return { index, values: Float64Array.from(table) };
  }
  const seen = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let k = seen.get(v);
    if (k === undefined) {
      k = table.length;
      seen.set(v, k);
      table.push(v);
    }
    index[i] = k;
  }
  return { index, values: Float64Array.from(table) };
}

/**
 * Neumaier's compensated sum. The likelihoods add hundreds of thousands of terms in the hundreds while the
 * optimiser, near the optimum, needs the last digits of their mean; a plain sum blurs those.
 */
export class CompensatedSum {
  private sum = 0;
  private carry = 0;

  add(term: number) {
    const next = this.sum + term;
    this.carry += Math.abs(this.sum) >= Math.abs(term) ? this.sum - next + term : term - next + this.sum;
    this.sum = next;
  }

  get value() {
    return this.sum + this.carry;
  }
}
