// Customer potential: the BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005, "Counting your
// customers the easy way"), fitted by maximum likelihood over the distinct (x, t_x, T) combinations.
// Times are in whatever unit the data uses (the app: days; CDNOW: weeks); predictions use the same unit.
import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import hyp2f1 from "@stdlib/math-base-special-hyp2f1";
import { CompensatedSum, LOG_LIMIT, minimiseFromStarts, notConvergedCode, notConvergedReason, tabulate, type FitResult } from "./optimise.server";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Distinct (x, t_x, T) combinations and how many customers share each: the BG/NBD fit's input. */
export interface FrequencyCounts {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  n: Float64Array;
}

/**
 * The data arranged for fast likelihood evaluations: x, t_x and T replaced by indices into tables of
 * their distinct values (a day-level data set has a few hundred distinct x and a few thousand distinct
 * times against hundreds of thousands of combinations), customers counted per distinct x.
 */
interface Prepared {
  xs: Float64Array;
  xIndex: Int32Array;
  times: Float64Array;
  txIndex: Int32Array;
  TIndex: Int32Array;
  n: Float64Array;
  /** Customers per distinct x. */
  nPerX: Float64Array;
  /** The distinct x in increasing order (indices into xs). */
  xOrder: Int32Array;
}

function prepare(d: FrequencyCounts): Prepared {
  const xt = tabulate(d.x);
  const both = new Float64Array(d.tx.length + d.T.length);
  both.set(d.tx);
  both.set(d.T, d.tx.length);
  const tt = tabulate(both);
  const nPerX = new Float64Array(xt.values.length);
  for (let i = 0; i < d.n.length; i++) nPerX[xt.index[i]] += d.n[i];
  return {
    xs: xt.values,
    xIndex: xt.index,
    times: tt.values,
    txIndex: tt.index.subarray(0, d.tx.length),
    TIndex: tt.index.subarray(d.tx.length),
    n: d.n,
    nPerX,
    xOrder: Int32Array.from(xt.values.keys()).sort((i, j) => xt.values[i] - xt.values[j]),
  };
}

/**
 * The differences in x for each distinct x: lnΓ(r+x) − lnΓ(r), ln B(a, b+x) − ln B(a, b), ψ(r+x) − ψ(r),
 * ψ(a+b+x) − ψ(a+b) and ψ(b+x) − ψ(b). For whole x as sums over j < x (ln(r+j), 1/(r+j), ...): the
 * differences of gammaln and digamma lose every digit when a + b is huge, an edge of the likelihood the
 * optimiser may walk along, and its gradient would be noise there.
 */
function xTerms(r: number, a: number, b: number, data: Prepared) {
  const { xs, xOrder } = data;
  const len = xs.length;
  const lnGammaR = new Float64Array(len);
  const lnBeta = new Float64Array(len);
  const psiR = new Float64Array(len);
  const psiAB = new Float64Array(len);
  const psiB = new Float64Array(len);
  let j = 0;
  let sumLnR = 0;
  let sumLnBeta = 0;
  let sumInvR = 0;
  let sumInvAB = 0;
  let sumInvB = 0;
  for (const k of xOrder) {
    const x = xs[k];
    if (!Number.isInteger(x)) {
      lnGammaR[k] = gammaln(r + x) - gammaln(r);
      lnBeta[k] = betaln(a, b + x) - betaln(a, b);
      psiR[k] = digamma(r + x) - digamma(r);
      psiAB[k] = digamma(a + b + x) - digamma(a + b);
      psiB[k] = digamma(b + x) - digamma(b);
      continue;
    }
    for (; j < x; j++) {
      sumLnR += Math.log(r + j);
      sumLnBeta += Math.log((b + j) / (a + b + j));
      sumInvR += 1 / (r + j);
      sumInvAB += 1 / (a + b + j);
      sumInvB += 1 / (b + j);
    }
    lnGammaR[k] = sumLnR;
    lnBeta[k] = sumLnBeta;
    psiR[k] = sumInvR;
    psiAB[k] = sumInvAB;
    psiB[k] = sumInvB;
  }
  return { lnGammaR, lnBeta, psiR, psiAB, psiB };
}

/**
 * Σ n · log L(r, α, a, b | x, t_x, T) and, when `gradient` is given, its gradient with respect to
 * (log r, log α, log a, log b). Per combination (FHL 2005, eq. 6, on the log scale):
 *   ll = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b) − (r+x) ln(α+T) + [x>0] softplus(d),
 *   d  = ln a − ln(b+x−1) + (r+x) (ln(α+T) − ln(α+t_x)),
 * so only two table lookups, one exp and one log1p are spent per combination.
 */
function evaluate(p: BgNbdParams, data: Prepared, gradient?: Float64Array): number {
  const { r, alpha, a, b } = p;
  const { xs, nPerX, times } = data;
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);

  // Terms of x alone, summed over customers at once.
  const terms = xTerms(r, a, b, data);
  const lnRatio = new Float64Array(xs.length);
  const invB = new Float64Array(xs.length);
  let ll = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    const m = nPerX[k];
    ll += m * (terms.lnGammaR[k] + r * lnAlpha + terms.lnBeta[k]);
    if (x > 0) {
      lnRatio[k] = lnA - Math.log(b + x - 1);
      invB[k] = 1 / (b + x - 1);
    }
    if (gradient) {
      gR += m * (terms.psiR[k] + lnAlpha);
      gAlpha += (m * r) / alpha;
      gA -= m * terms.psiAB[k];
      gB += m * (terms.psiB[k] - terms.psiAB[k]);
    }
  }

  const lnTime = new Float64Array(times.length);
  const invTime = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    lnTime[k] = Math.log(alpha + times[k]);
    invTime[k] = 1 / (alpha + times[k]);
  }

  const { xIndex, txIndex, TIndex, n } = data;
  // Σ n·w₂ per x: the weight of "dropped out after the last purchase" enters a and b through x alone.
  const w2PerX = new Float64Array(xs.length);
  let sumR = 0;
  let sumAlpha = 0;
  const sum = new CompensatedSum();
  for (let i = 0; i < n.length; i++) {
    const m = n[i];
    if (m === 0) continue;
    const k = xIndex[i];
    const rx = r + xs[k];
    const lT = lnTime[TIndex[i]];
    let term = -rx * lT;
    if (xs[k] === 0) {
      if (gradient) {
        sumR -= m * lT;
        sumAlpha -= m * rx * invTime[TIndex[i]];
      }
    } else {
      const ltx = lnTime[txIndex[i]];
      const d = lnRatio[k] + rx * (lT - ltx);
      // softplus(d) = ln(1 + e^d) and w₂ = e^d / (1 + e^d), both without overflow.
      let w2: number;
      if (d > 0) {
        const e = Math.exp(-d);
        term += d + Math.log1p(e);
        w2 = 1 / (1 + e);
      } else {
        const e = Math.exp(d);
        term += Math.log1p(e);
        w2 = e / (1 + e);
      }
      if (gradient) {
        const w1 = 1 - w2;
        sumR -= m * (w1 * lT + w2 * ltx);
        sumAlpha -= m * rx * (w1 * invTime[TIndex[i]] + w2 * invTime[txIndex[i]]);
        w2PerX[k] += m * w2;
      }
    }
    sum.add(m * term);
  }
  ll += sum.value;

  if (gradient) {
    for (let k = 0; k < xs.length; k++) {
      gA += w2PerX[k] / a;
      gB -= w2PerX[k] * invB[k];
    }
    // Chain rule to log-parameters: ∂/∂ln θ = θ ∂/∂θ.
    gradient[0] = r * (gR + sumR);
    gradient[1] = alpha * (gAlpha + sumAlpha);
    gradient[2] = a * gA;
    gradient[3] = b * gB;
  }
  return ll;
}

/** Σ over combinations of n · log-likelihood (FHL 2005, eq. 6). */
export function bgnbdLogLikelihood(p: BgNbdParams, d: FrequencyCounts): number {
  return evaluate(p, prepare(d));
}

/** The same with its gradient with respect to (ln r, ln α, ln a, ln b); exported for the tests. */
export function bgnbdLogLikelihoodGradient(p: BgNbdParams, d: FrequencyCounts): { logLikelihood: number; gradient: Float64Array } {
  const gradient = new Float64Array(4);
  const logLikelihood = evaluate(p, prepare(d), gradient);
  return { logLikelihood, gradient };
}

const NAMES = ["r", "alpha", "a", "b"] as const;
const toParams = (v: ArrayLike<number>): BgNbdParams => ({
  r: Math.exp(v[0]),
  alpha: Math.exp(v[1]),
  a: Math.exp(v[2]),
  b: Math.exp(v[3]),
});

/** Why the data cannot be fitted at all, or null. */
function invalidFrequencies(d: FrequencyCounts): string | null {
  const len = d.n.length;
  if (d.x.length !== len || d.tx.length !== len || d.T.length !== len) {
    return "The purchase data are malformed (columns of different lengths); the previous parameters are kept.";
  }
  for (let i = 0; i < len; i++) {
    const ok = d.n[i] >= 0 && Number.isFinite(d.n[i]) && d.x[i] >= 0 && Number.isFinite(d.x[i]) && d.T[i] >= 0 && Number.isFinite(d.T[i]);
    const txOk = d.x[i] === 0 || (d.tx[i] >= 0 && d.tx[i] <= d.T[i]);
    if (!ok || !txOk) {
      return `The purchase data are malformed (x = ${d.x[i]}, t_x = ${d.tx[i]}, T = ${d.T[i]}, n = ${d.n[i]}); the previous parameters are kept.`;
    }
  }
  return null;
}

/**
 * A start scaled to the data's time unit: λ ~ Gamma(1, α) with α the observed time per purchase (so the
 * mean rate is right for days or weeks alike), dropout p ~ Beta(1, 1).
 */
function defaultStart(d: FrequencyCounts): BgNbdParams {
  let time = 0;
  let purchases = 0;
  for (let i = 0; i < d.n.length; i++) {
    time += d.n[i] * d.T[i];
    purchases += d.n[i] * (d.x[i] + 1);
  }
  return { r: 1, alpha: Math.max(time / Math.max(purchases, 1), 1e-3), a: 1, b: 1 };
}

const validStart = (p: BgNbdParams | undefined): p is BgNbdParams =>
  !!p && NAMES.every((k) => Number.isFinite(p[k]) && p[k] > 0 && Math.abs(Math.log(p[k])) < LOG_LIMIT);

/**
 * Fits BG/NBD by maximum likelihood (BFGS over log-parameters, analytic gradient). Synchronous. From
 * `start` (say, the previous fit) and, if that does not converge, from a start scaled to the data and
 * then two more. Never throws: a failure says why in `reason`.
 */
export function fitBgNbd(d: FrequencyCounts, options: { start?: BgNbdParams } = {}): FitResult<BgNbdParams> {
  const invalid = invalidFrequencies(d);
  let customers = 0;
  for (let i = 0; i < d.n.length; i++) customers += d.n[i];
  if (invalid) return { converged: false, code: "malformed", reason: invalid, customers: Number.isFinite(customers) ? customers : 0, iterations: 0 };
  if (customers <= 0) {
    const reason = "There are no customers to fit the purchase model to; the previous parameters are kept.";
    return { converged: false, code: "no_customers", reason, customers: 0, iterations: 0 };
  }
  let repeaters = 0;
  for (let i = 0; i < d.n.length; i++) if (d.x[i] > 0) repeaters += d.n[i];
  if (repeaters === 0) {
    return {
      converged: false,
      code: "no_repeat",
      reason: "No customer has made a repeat purchase yet, so the purchase model cannot be fitted; the previous parameters are kept.",
      customers,
      iterations: 0,
    };
  }

  const data = prepare(d);
  const objective = (v: Float64Array, gradient: Float64Array) => {
    if (v.some((u) => Math.abs(u) > LOG_LIMIT)) return Infinity;
    const ll = evaluate(toParams(v), data, gradient);
    // The mean over customers keeps the tolerance independent of the data's size.
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i] / customers;
    return -ll / customers;
  };

  const base = defaultStart(d);
  const starts = [
    ...(validStart(options.start) ? [options.start] : []),
    base,
    { r: 0.5, alpha: base.alpha / 2, a: 0.5, b: 2 },
    { r: 2, alpha: base.alpha * 2, a: 2, b: 5 },
  ];
  const run = minimiseFromStarts(
    objective,
    starts.map((p) => NAMES.map((k) => Math.log(p[k]))),
  );
  const { best, iterations } = run;
  if (!best) {
    const reason = notConvergedReason("BG/NBD", run, "these purchases (a parameter ran off to zero or infinity)");
    return { converged: false, code: notConvergedCode(run), values: { iterations }, reason, customers, iterations };
  }
  const params = toParams(best.x);
  const logLikelihood = -best.f * customers;
  if (!NAMES.every((k) => Number.isFinite(params[k])) || !Number.isFinite(logLikelihood)) {
    return {
      converged: false,
      code: "not_finite",
      reason: "The BG/NBD fit produced values that are not numbers; the previous parameters are kept.",
      customers,
      iterations,
    };
  }
  return { converged: true, params, logLikelihood, customers, iterations };
}

/**
 * P(alive | x, t_x, T) (FHL 2005, eq. 13): 1 / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 * A customer without a repeat purchase is alive by the model's assumptions (dropout follows a purchase).
 */
export function pAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x <= 0) return 1;
  const d = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx));
  return d > 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
}

/**
 * `value(a)`, where the formula divides by a − 1 a difference that vanishes with it: within 1e-5 of 1 it
 * is interpolated between 1 ± 1e-5 instead (the error is of order 1e-10 either way).
 */
function nearOne(a: number, value: (a: number) => number): number {
  const h = 1e-5;
  if (Math.abs(a - 1) >= h) return value(a);
  const below = value(1 - h);
  return below + ((a - (1 - h)) / (2 * h)) * (value(1 + h) - below);
}

/**
 * E[Y(t) | x, t_x, T] (FHL 2005, eq. 10): expected purchases in the next t time units,
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] / (1 + [x>0] ·
 *   a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). The hypergeometric function is stdlib's (checked against mpmath
 *   to 1e-13 relative over the app's range of x, T and t).
 */
export function expectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  return expectedPurchasesIfAlive(p, t, x, T) * pAlive(p, x, tx, T);
}

/**
 * E[Y(t) | alive at T, x, T]: the expected purchases of a customer still active, the factor of
 * expectedPurchases before p_alive. It depends on x and T only (not t_x), so the refit works it out once
 * per distinct (x, T) and the database multiplies by each customer's p_alive.
 */
export function expectedPurchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  if (!(t > 0)) return 0;
  const { r, alpha, b } = p;
  const z = t / (alpha + T + t);
  const stay = (alpha + T) / (alpha + T + t);
  return nearOne(p.a, (a) => {
    const c = a + b + x - 1;
    return (c / (a - 1)) * (1 - Math.pow(stay, r + x) * hyp2f1(r + x, b + x, c, z));
  });
}

/** E[X(t)] (FHL 2005, eq. 9): purchases a new customer makes in t time units. */
export function expectedPurchasesNew(p: BgNbdParams, t: number): number {
  if (!(t > 0)) return 0;
  const { r, alpha, b } = p;
  const z = t / (alpha + t);
  return nearOne(p.a, (a) => ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z)));
}
