// Customer potential: the Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The
// Gamma-Gamma Model of Monetary Value"), fitted by maximum likelihood over the distinct (x, m_x) pairs
// of customers with at least one repeat purchase.
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { CompensatedSum, LOG_LIMIT, minimiseFromStarts, notConvergedCode, notConvergedReason, tabulate, type FitResult } from "./optimise.server";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** Distinct (x, m_x) pairs (x >= 1, m_x > 0) and their customer counts: the Gamma-Gamma fit's input. */
export interface SpendCounts {
  x: Float64Array;
  mx: Float64Array;
  n: Float64Array;
}

/** Fewer repeat customers than this leave the spend distribution to chance. */
export const MIN_SPEND_CUSTOMERS = 10;

/**
 * The pairs arranged for fast likelihood evaluations: x replaced by an index into its distinct values
 * (the terms in x alone are then computed once per distinct x), the sums of ln m_x taken once.
 */
interface Prepared {
  xs: Float64Array;
  xIndex: Int32Array;
  /** Customers per distinct x. */
  nPerX: Float64Array;
  /** x·m_x per pair: the customer's total over the repeat purchases. */
  total: Float64Array;
  n: Float64Array;
  /** Σ n ln m_x and Σ n x ln m_x. */
  sumLnMx: number;
  sumXLnMx: number;
}

function prepare(d: SpendCounts): Prepared {
  const xt = tabulate(d.x);
  const nPerX = new Float64Array(xt.values.length);
  const total = new Float64Array(d.n.length);
  let sumLnMx = 0;
  let sumXLnMx = 0;
  for (let i = 0; i < d.n.length; i++) {
    nPerX[xt.index[i]] += d.n[i];
    total[i] = d.x[i] * d.mx[i];
    sumLnMx += d.n[i] * Math.log(d.mx[i]);
    sumXLnMx += d.n[i] * d.x[i] * Math.log(d.mx[i]);
  }
  return { xs: xt.values, xIndex: xt.index, nPerX, total, n: d.n, sumLnMx, sumXLnMx };
}

/**
 * Σ n · log f(m_x | p, q, γ, x) and optionally its gradient with respect to (ln p, ln q, ln γ). Per pair
 * (Fader & Hardie 2013, eq. 3, on the log scale):
 *   ll = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(γ + x m_x),
 * of which only the last term needs each pair: one log per pair and evaluation.
 */
function evaluate(params: GammaGammaParams, data: Prepared, gradient?: Float64Array): number {
  const { p, q, gamma } = params;
  const { xs, nPerX, xIndex, total, n } = data;
  const lgQ = gammaln(q);
  const lnGamma = Math.log(gamma);
  const psiQ = digamma(q);
  let ll = p * data.sumXLnMx - data.sumLnMx;
  let gP = data.sumXLnMx;
  let gQ = 0;
  let gGamma = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    const m = nPerX[k];
    const px = p * x;
    const lnX = Math.log(x);
    ll += m * (gammaln(px + q) - gammaln(px) - lgQ + q * lnGamma + px * lnX);
    if (gradient) {
      const psiPXQ = digamma(px + q);
      gP += m * x * (psiPXQ - digamma(px) + lnX);
      gQ += m * (psiPXQ - psiQ + lnGamma);
      gGamma += (m * q) / gamma;
    }
  }
  const sum = new CompensatedSum();
  for (let i = 0; i < n.length; i++) {
    const m = n[i];
    const x = xs[xIndex[i]];
    const shape = p * x + q;
    const lnTotal = Math.log(gamma + total[i]);
    sum.add(-m * shape * lnTotal);
    if (gradient) {
      gP -= m * x * lnTotal;
      gQ -= m * lnTotal;
      gGamma -= (m * shape) / (gamma + total[i]);
    }
  }
  ll += sum.value;
  if (gradient) {
    gradient[0] = p * gP;
    gradient[1] = q * gQ;
    gradient[2] = gamma * gGamma;
  }
  return ll;
}

/** Σ over pairs of n · log-likelihood (Fader & Hardie 2013, eq. 3). */
export function gammaGammaLogLikelihood(p: GammaGammaParams, d: SpendCounts): number {
  return evaluate(p, prepare(d));
}

/** The same with its gradient with respect to (ln p, ln q, ln γ); exported for the tests. */
export function gammaGammaLogLikelihoodGradient(p: GammaGammaParams, d: SpendCounts): { logLikelihood: number; gradient: Float64Array } {
  const gradient = new Float64Array(3);
  const logLikelihood = evaluate(p, prepare(d), gradient);
  return { logLikelihood, gradient };
}

const NAMES = ["p", "q", "gamma"] as const;
const toParams = (v: ArrayLike<number>): GammaGammaParams => ({ p: Math.exp(v[0]), q: Math.exp(v[1]), gamma: Math.exp(v[2]) });

const validStart = (p: GammaGammaParams | undefined): p is GammaGammaParams =>
  !!p && NAMES.every((k) => Number.isFinite(p[k]) && p[k] > 0 && Math.abs(Math.log(p[k])) < LOG_LIMIT);

/**
 * Fits Gamma-Gamma by maximum likelihood (BFGS over log-parameters, analytic gradient). Synchronous,
 * like fitBgNbd. Pairs with x < 1 or m_x <= 0 are left out (they carry no spend information). Never
 * throws: a failure, including q <= 1 (an infinite mean spend), says why in `reason`.
 */
export function fitGammaGamma(d: SpendCounts, options: { start?: GammaGammaParams } = {}): FitResult<GammaGammaParams> {
  const len = d.n.length;
  if (d.x.length !== len || d.mx.length !== len) {
    return {
      converged: false,
      code: "malformed",
      reason: "The spend data are malformed (columns of different lengths); the previous parameters are kept.",
      customers: 0,
      iterations: 0,
    };
  }
  const usable = (i: number) => d.n[i] > 0 && d.n[i] < Infinity && d.x[i] >= 1 && d.x[i] < Infinity && d.mx[i] > 0 && d.mx[i] < Infinity;
  const keep: number[] = [];
  let customers = 0;
  let spend = 0;
  for (let i = 0; i < len; i++) {
    if (!usable(i)) continue;
    keep.push(i);
    customers += d.n[i];
    spend += d.n[i] * d.mx[i];
  }
  if (customers < MIN_SPEND_CUSTOMERS) {
    return {
      converged: false,
      code: "too_few_spend",
      values: { customers, needed: MIN_SPEND_CUSTOMERS },
      reason: `Too few repeat customers to fit the spend model: ${customers} (at least ${MIN_SPEND_CUSTOMERS} needed); the previous parameters are kept.`,
      customers,
      iterations: 0,
    };
  }
  const data = prepare({
    x: Float64Array.from(keep, (i) => d.x[i]),
    mx: Float64Array.from(keep, (i) => d.mx[i]),
    n: Float64Array.from(keep, (i) => d.n[i]),
  });
  const objective = (v: Float64Array, gradient: Float64Array) => {
    if (v.some((u) => Math.abs(u) > LOG_LIMIT)) return Infinity;
    const ll = evaluate(toParams(v), data, gradient);
    for (let i = 0; i < 3; i++) gradient[i] = -gradient[i] / customers;
    return -ll / customers;
  };

  // Scaled to the currency: with p = 1 and q = 2 the population mean p·γ/(q−1) is the observed mean.
  const mean = spend / customers;
  const starts = [
    ...(validStart(options.start) ? [options.start] : []),
    { p: 1, q: 2, gamma: mean },
    { p: 5, q: 4, gamma: mean * 0.6 },
    { p: 0.5, q: 1.5, gamma: mean },
  ];
  const run = minimiseFromStarts(
    objective,
    starts.map((p) => NAMES.map((k) => Math.log(p[k]))),
  );
  const { best, iterations } = run;
  if (!best) {
    const edge = "these amounts (a parameter ran off to zero or infinity, as when every customer spends the same)";
    return { converged: false, code: notConvergedCode(run), values: { iterations }, reason: notConvergedReason("Gamma-Gamma spend", run, edge), customers, iterations };
  }
  const params = toParams(best.x);
  const logLikelihood = -best.f * customers;
  if (!NAMES.every((k) => Number.isFinite(params[k])) || !Number.isFinite(logLikelihood)) {
    return {
      converged: false,
      code: "not_finite",
      reason: "The Gamma-Gamma spend fit produced values that are not numbers; the previous parameters are kept.",
      customers,
      iterations,
    };
  }
  if (params.q <= 1) {
    const q = params.q.toFixed(3);
    const reason = `The spend model's q came out at ${q}, not above 1, so the mean spend would be infinite (a few very large amounts?); the previous parameters are kept.`;
    return { converged: false, code: "infinite_mean_spend", values: { q: params.q }, reason, customers, iterations };
  }
  return { converged: true, params, logLikelihood, customers, iterations };
}

/**
 * E[M | x, m_x] (Fader & Hardie 2013, eq. 5): a weighted mean of the population mean p·γ/(q−1) and the
 * customer's own m_x, the weight moving to m_x as x grows. For x = 0 (or m_x <= 0), the population mean.
 */
export function expectedSpend(p: GammaGammaParams, x: number, mx: number): number {
  const population = (p.p * p.gamma) / (p.q - 1);
  if (!(x > 0) || !(mx > 0)) return population;
  const w = (p.q - 1) / (p.p * x + p.q - 1);
  return w * population + (1 - w) * mx;
}
