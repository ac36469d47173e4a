// Waves (DESIGN §3): two surveys, or two date ranges, side by side. The difference of two independent
// NPS and of two construct means, B − A, each with a 95 % interval and whether it excludes zero.
import { npsOf, type NpsCounts } from "./stats";

export interface WaveDifference {
  /** B − A, in points; null when a side has too few answers. */
  difference: number | null;
  low: number | null;
  high: number | null;
  /** The interval lies wholly above or below zero: the change is unlikely to be noise. */
  excludesZero: boolean;
}

export interface NpsDifference extends WaveDifference {
  npsA: number | null;
  npsB: number | null;
  nA: number;
  nB: number;
}

/** Normal 97.5 % quantile: two-sided 95 % intervals. */
const Z95 = 1.959963984540054;

const total = ({ promoters, passives, detractors }: NpsCounts) => promoters + passives + detractors;

/**
 * NPS_B − NPS_A with the adjusted-Wald 95 % interval MeasuringU (Rocks 2016) recommends for comparing
 * two independent NPS: add 3 answers to each sample, ¾ of one to promoters and to detractors, so small
 * or lopsided samples (all promoters) still get an interval of sensible width. The point difference is
 * the plain one; only the interval uses the adjusted proportions.
 */
export function npsDifference(a: NpsCounts, b: NpsCounts): NpsDifference {
  for (const count of [a.promoters, a.passives, a.detractors, b.promoters, b.passives, b.detractors]) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`NPS counts must be whole numbers ≥ 0, got ${count}`);
  }
  const nA = total(a);
  const nB = total(b);
  const npsA = npsOf(a);
  const npsB = npsOf(b);
  if (npsA === null || npsB === null) return { npsA, npsB, nA, nB, difference: null, low: null, high: null, excludesZero: false };

  const adjusted = (c: NpsCounts, n: number) => {
    const nAdj = n + 3;
    const p = (c.promoters + 0.75) / nAdj;
    const d = (c.detractors + 0.75) / nAdj;
    return { nAdj, nps: p - d, variance: p + d - (p - d) ** 2 };
  };
  const adjA = adjusted(a, nA);
  const adjB = adjusted(b, nB);
  const se = Math.sqrt(adjA.variance / adjA.nAdj + adjB.variance / adjB.nAdj);
  const centre = adjB.nps - adjA.nps;
  const low = Math.max(-200, (centre - Z95 * se) * 100);
  const high = Math.min(200, (centre + Z95 * se) * 100);
  return { npsA, npsB, nA, nB, difference: npsB - npsA, low, high, excludesZero: low > 0 || high < 0 };
}

/** What SQL aggregates per construct: count, Σx and Σx². */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface MeanDifference extends WaveDifference {
  meanA: number | null;
  meanB: number | null;
  /** Welch–Satterthwaite degrees of freedom; null when the interval is undefined. */
  df: number | null;
}

/** Sample variance from moments; n·Σx² − (Σx)² keeps integer data exact, and rounding never makes it negative. */
function sampleVariance({ n, sum, sumSquares }: Moments) {
  return Math.max(0, (n * sumSquares - sum * sum) / (n * (n - 1)));
}

/**
 * mean_B − mean_A with Welch's 95 % interval (unequal variances, Welch–Satterthwaite df). Null figures
 * when either side has fewer than two answers (no variance to estimate).
 */
export function meanDifference(a: Moments, b: Moments): MeanDifference {
  const mean = (m: Moments) => (m.n > 0 ? m.sum / m.n : null);
  const meanA = mean(a);
  const meanB = mean(b);
  if (a.n < 2 || b.n < 2) return { meanA, meanB, difference: null, low: null, high: null, df: null, excludesZero: false };
  const difference = meanB! - meanA!;
  const wA = sampleVariance(a) / a.n;
  const wB = sampleVariance(b) / b.n;
  const se = Math.sqrt(wA + wB);
  if (se === 0) {
    // No spread on either side: the difference is exact.
    return { meanA, meanB, difference, low: difference, high: difference, df: null, excludesZero: difference !== 0 };
  }
  const df = (wA + wB) ** 2 / (wA ** 2 / (a.n - 1) + wB ** 2 / (b.n - 1));
  const halfWidth = studentT975(df) * se;
  const low = difference - halfWidth;
  const high = difference + halfWidth;
  return { meanA, meanB, difference, low, high, df, excludesZero: low > 0 || high < 0 };
}

/**
 * Student's t 97.5 % quantile for any df > 0 (Welch's df is fractional): the two-sided tail
 * P(|T| > t) = I_{df/(df+t²)}(df/2, ½) solved for 0.05 by bisection. Exact to ~1e-10, no table needed.
 */
export function studentT975(df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  const tail = (t: number) => regularizedBeta(df / (df + t * t), df / 2, 0.5);
  let low = 0;
  let high = 2;
  while (tail(high) > 0.05) high *= 2;
  for (let i = 0; i < 100 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (tail(mid) > 0.05) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

// The regularized incomplete beta function I_x(a, b) by its continued fraction (Numerical Recipes §6.4).
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let step = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / guard(1 + step * d);
    c = guard(1 + step / c);
    h *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / guard(1 + step * d);
    c = guard(1 + step / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

// Lanczos approximation of ln Γ(x), x > 0 (g = 7, nine coefficients: ~15 significant digits).
const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = lanczos[0]!;
  for (let i = 1; i < lanczos.length; i++) sum += lanczos[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
