import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodGradient,
  expectedPurchases,
  expectedPurchasesNew,
  expectedSpend,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGradient,
  pAlive,
  type BgNbdParams,
  type FitResult,
  type FrequencyCounts,
  type GammaGammaParams,
  type SpendCounts,
} from "~/services/potential/model.server";
import { minimise } from "~/services/potential/optimise.server";

// CDNOW (FHL 2005's sample: 2,357 customers, weeks), byte for byte from CamDavidsonPilon/lifetimes, lifetimes/datasets/cdnow_customers_summary_with_transactions.csv.
const cdnow = fs
  .readFileSync(new URL("../fixtures/cdnow-summary.csv", import.meta.url), "utf8")
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [, x, tx, T, zbar] = line.split(",").map(Number);
    return { x, tx, T, zbar };
  });

/** Groups customers into distinct (x, t_x, T) combinations, as the database does. */
function frequencyCounts(customers: { x: number; tx: number; T: number }[]): FrequencyCounts {
  const index = new Map<string, number>();
  const rows: number[][] = [];
  for (const { x, tx, T } of customers) {
    const key = `${x}|${tx}|${T}`;
    const i = index.get(key);
    if (i === undefined) {
      index.set(key, rows.length);
      rows.push([x, tx, T, 1]);
    } else rows[i][3]++;
  }
  const column = (j: number) => Float64Array.from(rows, (row) => row[j]);
  return { x: column(0), tx: column(1), T: column(2), n: column(3) };
}

const cdnowFrequencies = frequencyCounts(cdnow);
const repeaters = cdnow.filter((c) => c.x > 0 && c.zbar > 0);
const cdnowSpend: SpendCounts = {
  x: Float64Array.from(repeaters, (c) => c.x),
  mx: Float64Array.from(repeaters, (c) => c.zbar),
  n: new Float64Array(repeaters.length).fill(1),
};

/** FHL 2005, table 1 (and their Excel note): the ML estimates on CDNOW, LL = −9,582.4. */
const PUBLISHED_BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/** Fader & Hardie 2013, the Gamma-Gamma note's ML estimates on CDNOW's 946 repeat customers. */
const PUBLISHED_GG: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

function converged<P>(fit: FitResult<P>) {
  if (!fit.converged) throw new Error(`expected a converged fit: ${fit.reason}`);
  return fit;
}

/** Each parameter within `relative` of the published figure. */
function expectClose<P extends object>(actual: P, published: P, relative: number) {
  for (const [key, value] of Object.entries(published) as [string, number][]) {
    const got = (actual as Record<string, number>)[key];
    expect(Math.abs(got - value) / value, `${key}: ${got} vs ${value}`).toBeLessThan(relative);
  }
}

/**
 * ∫₀¹ f(q, 1 − q) dq by tanh-sinh quadrature, which copes with the integrable singularities of Beta
 * densities at either end (1 − q is passed separately so it keeps its digits near 1).
 */
function integrate01(f: (q: number, qc: number) => number): number {
  const h = 1 / 64;
  let sum = 0;
  for (let k = -256; k <= 256; k++) {
    const u = k * h;
    const s = (Math.PI / 2) * Math.sinh(u);
    const q = 1 / (1 + Math.exp(-2 * s));
    const qc = 1 / (1 + Math.exp(2 * s));
    if (q <= 0 || qc <= 0) continue;
    const weight = ((Math.PI / 2) * Math.cosh(u)) / (2 * Math.cosh(s) ** 2);
    sum += weight * f(q, qc);
  }
  return sum * h;
}

/**
 * E[Y(t) | x, t_x, T] from the model's definition, without the hypergeometric function: given λ and p and
 * alive at T, Y(t) has mean (1 − e^(−λpt))/p (FHL 2005, eq. 7); λ integrates out in closed form, p
 * numerically, and P(alive) weighs the two terms of the likelihood. Everything is scaled by (α+T)^(r+x).
 */
function expectedPurchasesByIntegration({ r, alpha, a, b }: BgNbdParams, t: number, x: number, tx: number, T: number) {
  const rx = r + x;
  const stillBuying = integrate01((q, qc) => q ** (a - 2) * qc ** (b + x - 1) * -Math.expm1(-rx * Math.log1p((q * t) / (alpha + T))));
  const aliveWeight = integrate01((q, qc) => q ** (a - 1) * qc ** (b + x - 1));
  const goneWeight = x > 0 ? integrate01((q, qc) => q ** a * qc ** (b + x - 2)) * ((alpha + T) / (alpha + tx)) ** rx : 0;
  return { expected: stillBuying / (aliveWeight + goneWeight), pAlive: aliveWeight / (aliveWeight + goneWeight) };
}

/** E[X(t)] the same way: (1 − (α/(α+pt))^r)/p averaged over p ~ Beta(a, b). */
function expectedNewByIntegration({ r, alpha, a, b }: BgNbdParams, t: number) {
  const total = integrate01((q, qc) => q ** (a - 2) * qc ** (b - 1) * -Math.expm1(-r * Math.log1p((q * t) / alpha)));
  return total / integrate01((q, qc) => q ** (a - 1) * qc ** (b - 1));
}

describe("BG/NBD on CDNOW (FHL 2005)", () => {
  it("recovers the published estimates and log-likelihood from the default start", () => {
    const fit = converged(fitBgNbd(cdnowFrequencies));
    expect(fit.customers).toBe(2357);
    // Published to 3 decimals: 1 % on each parameter, 0.1 on the log-likelihood.
    expectClose(fit.params, PUBLISHED_BG, 0.01);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.1);
    expect(fit.logLikelihood).toBeCloseTo(bgnbdLogLikelihood(fit.params, cdnowFrequencies), 6);
  });

  it.each([
    ["all 100", { r: 100, alpha: 100, a: 100, b: 100 }],
    ["all 0.01", { r: 0.01, alpha: 0.01, a: 0.01, b: 0.01 }],
    ["mixed extremes", { r: 100, alpha: 0.01, a: 0.01, b: 100 }],
    ["the other way round", { r: 0.01, alpha: 100, a: 100, b: 0.01 }],
  ])("converges to the same estimates from a poor start (%s)", (_, start) => {
    const fit = converged(fitBgNbd(cdnowFrequencies, { start }));
    expectClose(fit.params, PUBLISHED_BG, 0.01);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.1);
  });

  it("refits from the previous estimates in a few iterations", () => {
    const first = converged(fitBgNbd(cdnowFrequencies));
    const again = converged(fitBgNbd(cdnowFrequencies, { start: first.params }));
    expect(again.iterations).toBeLessThan(5);
    expectClose(again.params, first.params, 1e-5);
  });

  it("gives the same log-likelihood per customer and per combination", () => {
    const perCustomer: FrequencyCounts = {
      x: Float64Array.from(cdnow, (c) => c.x),
      tx: Float64Array.from(cdnow, (c) => c.tx),
      T: Float64Array.from(cdnow, (c) => c.T),
      n: new Float64Array(cdnow.length).fill(1),
    };
    expect(cdnowFrequencies.n.length).toBeLessThan(1100);
    expect(bgnbdLogLikelihood(PUBLISHED_BG, cdnowFrequencies)).toBeCloseTo(bgnbdLogLikelihood(PUBLISHED_BG, perCustomer), 8);
  });
});

describe("Gamma-Gamma on CDNOW's repeat customers (Fader & Hardie 2013)", () => {
  it("recovers the published estimates", () => {
    const fit = converged(fitGammaGamma(cdnowSpend));
    expect(fit.customers).toBe(946);
    // Published to 2 decimals: 0.5 % on each parameter.
    expectClose(fit.params, PUBLISHED_GG, 0.005);
  });

  it.each([
    ["all 100", { p: 100, q: 100, gamma: 100 }],
    ["all 0.01", { p: 0.01, q: 0.01, gamma: 0.01 }],
  ])("converges from a poor start (%s)", (_, start) => {
    expectClose(converged(fitGammaGamma(cdnowSpend, { start })).params, PUBLISHED_GG, 0.005);
  });

  it("predicts the spend the lifetimes package documents for the first CDNOW customers", () => {
    // lifetimes' Gamma-Gamma example on this data set: customers 1 (x = 2, m_x = 22.35), 2 (x = 1,
    // m_x = 11.77) and 3 (x = 0) expect 24.658616, 18.911480 and 35.171002 per purchase.
    const { params } = converged(fitGammaGamma(cdnowSpend));
    expect(expectedSpend(params, 2, 22.35)).toBeCloseTo(24.658616, 3);
    expect(expectedSpend(params, 1, 11.77)).toBeCloseTo(18.91148, 3);
    expect(expectedSpend(params, 0, 0)).toBeCloseTo(35.171002, 3);
    expect(expectedSpend(params, 0, 0)).toBeCloseTo((params.p * params.gamma) / (params.q - 1), 12);
  });

  it("E[M | x, m_x] is the posterior mean of p/ν, integrated numerically", () => {
    // ν | x, m_x ~ Gamma(px + q, γ + x·m_x) (Fader & Hardie 2013); E[p/ν] by quadrature over
    // ν = mode · s/(1 − s), the density taken relative to its mode so nothing underflows.
    const params = { p: 6.25, q: 3.74, gamma: 15.44 };
    for (const [x, mx] of [
      [1, 11.77],
      [2, 22.35],
      [7, 73.74],
      [29, 26.26],
    ]) {
      const shape = params.p * x + params.q;
      const rate = params.gamma + x * mx;
      const mode = (shape - 1) / rate;
      const weight = (s: number, sc: number) => {
        const nu = (mode * s) / sc;
        return (Math.exp((shape - 1) * Math.log(nu / mode) - rate * (nu - mode)) * mode) / sc ** 2;
      };
      const mean = integrate01((s, sc) => (weight(s, sc) * params.p * sc) / (mode * s)) / integrate01(weight);
      expect(expectedSpend(params, x, mx)).toBeCloseTo(mean, 8);
    }
  });
});

describe("BG/NBD predictions", () => {
  it("matches FHL 2005's worked example: customer 1 of CDNOW expects 1.226 purchases in the next 39 weeks", () => {
    // FHL 2005, section 5: x = 2, t_x = 30.43, T = 38.86 at the published estimates.
    expect(expectedPurchases(PUBLISHED_BG, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  const weeks = PUBLISHED_BG;
  // A day-scale set like the app's, and one with a > 1 (the (a − 1) denominator changes sign).
  const days: BgNbdParams = { r: 0.8, alpha: 60, a: 0.6, b: 3 };
  const heavy: BgNbdParams = { r: 1.7, alpha: 12, a: 2.5, b: 0.7 };
  const customers: [BgNbdParams, number, number, number, number][] = [
    [weeks, 39, 2, 30.43, 38.86],
    [weeks, 39, 0, 0, 38.86],
    [weeks, 78, 7, 29.43, 38.86],
    [weeks, 10, 29, 37.71, 38.0],
    [weeks, 39, 1, 1.71, 38.86],
    [days, 90, 0, 0, 0],
    [days, 90, 0, 0, 1500],
    [days, 90, 1, 3, 20],
    [days, 90, 12, 700, 730],
    [days, 365, 60, 1490, 1500],
    [days, 90, 60, 200, 1500],
    [heavy, 30, 3, 25, 40],
    [heavy, 30, 1, 0, 40],
  ];

  it.each(customers)(
    "E[Y(t)] and P(alive) equal their definitions integrated numerically (%o, t = %d, x = %d, t_x = %d, T = %d)",
    (params, t, x, tx, T) => {
      const reference = expectedPurchasesByIntegration(params, t, x, tx, T);
      const got = expectedPurchases(params, t, x, tx, T);
      expect(Math.abs(got - reference.expected) / Math.max(reference.expected, 1e-12)).toBeLessThan(1e-7);
      expect(pAlive(params, x, tx, T)).toBeCloseTo(reference.pAlive, 10);
    },
  );

  it("P(alive) is FHL 2005's closed form, and 1 for a customer without a repeat purchase", () => {
    const { r, alpha, a, b } = PUBLISHED_BG;
    const closed = 1 / (1 + (a / (b + 2 - 1)) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2));
    expect(pAlive(PUBLISHED_BG, 2, 30.43, 38.86)).toBeCloseTo(closed, 14);
    expect(pAlive(PUBLISHED_BG, 2, 30.43, 38.86)).toBeCloseTo(0.7266, 4);
    expect(pAlive(PUBLISHED_BG, 0, 0, 38.86)).toBe(1);
    // With the last purchase at T the only doubt is a dropout right after it: 1/(1 + a/(b+x−1)).
    expect(pAlive(PUBLISHED_BG, 3, 38.86, 38.86)).toBeCloseTo(1 / (1 + a / (b + 2)), 14);
  });

  it.each([
    [weeks, 39],
    [weeks, 78],
    [days, 90],
    [days, 365],
    [heavy, 30],
  ])("E[X(t)] for a new customer equals its definition integrated numerically (%o, t = %d)", (params, t) => {
    expect(expectedPurchasesNew(params, t)).toBeCloseTo(expectedNewByIntegration(params, t), 8);
  });

  it("is continuous through a = 1, where the closed forms divide by zero", () => {
    for (const a of [1, 1 + 1e-7, 1 - 3e-6, 1 + 2e-5]) {
      const params = { ...days, a };
      expect(expectedPurchases(params, 90, 4, 200, 400)).toBeCloseTo(expectedPurchasesByIntegration(params, 90, 4, 200, 400).expected, 8);
      expect(expectedPurchasesNew(params, 90)).toBeCloseTo(expectedNewByIntegration(params, 90), 8);
    }
  });

  it("stays finite and in range over the app's whole range of x, t_x and T (days)", () => {
    const edge: BgNbdParams = { r: 0.28, alpha: 3.7, a: 2.5e10, b: 2.4e11 }; // a fit on the no-heterogeneity edge
    for (const params of [days, heavy, edge, { r: 5, alpha: 900, a: 0.05, b: 40 }]) {
      for (const x of [0, 1, 2, 5, 20, 60]) {
        for (const T of [0, 1, 30, 365, 1500]) {
          for (const tx of x === 0 ? [0] : [0, Math.floor(T / 2), T]) {
            const alive = pAlive(params, x, tx, T);
            const e90 = expectedPurchases(params, 90, x, tx, T);
            const e365 = expectedPurchases(params, 365, x, tx, T);
            expect(alive, `${x} ${tx} ${T}`).toBeGreaterThanOrEqual(0);
            expect(alive).toBeLessThanOrEqual(1);
            expect(Number.isFinite(e90) && e90 >= 0, `${JSON.stringify(params)} ${x} ${tx} ${T}: ${e90}`).toBe(true);
            expect(e365).toBeGreaterThanOrEqual(e90);
          }
        }
      }
      expect(expectedPurchases(params, 0, 3, 10, 20)).toBe(0);
      expect(expectedPurchasesNew(params, 0)).toBe(0);
    }
  });
});

describe("likelihoods and gradients", () => {
  it("a one-customer BG/NBD log-likelihood equals FHL 2005's eq. 6 written out by hand", () => {
    const { r, alpha, a, b } = PUBLISHED_BG;
    // x = 2: Γ(r+2)/Γ(r) = r(r+1), B(a, b+2)/B(a, b) = b(b+1)/((a+b)(a+b+1)), B(a+1, b+1)/B(a, b) = ab/((a+b)(a+b+1)).
    const [tx, T] = [30.43, 38.86];
    const common = (r * (r + 1) * alpha ** r) / ((a + b) * (a + b + 1));
    const likelihood = common * ((b * (b + 1)) / (alpha + T) ** (r + 2) + (a * b) / (alpha + tx) ** (r + 2));
    const one = (x: number, txs: number, Ts: number, n: number): FrequencyCounts => ({
      x: Float64Array.of(x),
      tx: Float64Array.of(txs),
      T: Float64Array.of(Ts),
      n: Float64Array.of(n),
    });
    expect(bgnbdLogLikelihood(PUBLISHED_BG, one(2, tx, T, 1))).toBeCloseTo(Math.log(likelihood), 12);
    expect(bgnbdLogLikelihood(PUBLISHED_BG, one(2, tx, T, 3))).toBeCloseTo(3 * Math.log(likelihood), 11);
    // x = 0: (α/(α+T))^r.
    expect(bgnbdLogLikelihood(PUBLISHED_BG, one(0, 0, T, 1))).toBeCloseTo(r * Math.log(alpha / (alpha + T)), 12);
  });

  it("a one-customer Gamma-Gamma log-likelihood equals Fader & Hardie 2013's eq. 3 written out by hand", () => {
    // p = 2, q = 3, x = 1: Γ(5)/(Γ(2)Γ(3)) γ³ m / (γ + m)⁵ = 12 γ³ m / (γ + m)⁵.
    const [gamma, m] = [15, 22.35];
    const one: SpendCounts = { x: Float64Array.of(1), mx: Float64Array.of(m), n: Float64Array.of(1) };
    expect(gammaGammaLogLikelihood({ p: 2, q: 3, gamma }, one)).toBeCloseTo(Math.log((12 * gamma ** 3 * m) / (gamma + m) ** 5), 12);
    // x = 2, p = 1, q = 1: Γ(3)/(Γ(2)Γ(1)) γ m 2² / (γ + 2m)³ = 8 γ m / (γ + 2m)³.
    const two: SpendCounts = { x: Float64Array.of(2), mx: Float64Array.of(m), n: Float64Array.of(1) };
    expect(gammaGammaLogLikelihood({ p: 1, q: 1, gamma }, two)).toBeCloseTo(Math.log((8 * gamma * m) / (gamma + 2 * m) ** 3), 12);
  });

  /** Central differences in the log-parameters. */
  function numericGradient<P extends object>(ll: (p: P) => number, params: P): number[] {
    return Object.keys(params).map((key) => {
      const h = 1e-5;
      const shifted = (sign: number) => ({ ...params, [key]: (params as Record<string, number>)[key] * Math.exp(sign * h) } as P);
      return (ll(shifted(1)) - ll(shifted(-1))) / (2 * h);
    });
  }

  const dayData = frequencyCounts(
    Array.from({ length: 400 }, (_, i) => {
      const x = (i * 7) % 23;
      const T = (i * 37) % 1500;
      return { x, tx: x === 0 ? 0 : (i * 13) % (T + 1), T };
    }),
  );

  it.each([
    ["CDNOW at the estimates", PUBLISHED_BG, cdnowFrequencies],
    ["CDNOW far away", { r: 3, alpha: 0.5, a: 4, b: 0.3 }, cdnowFrequencies],
    ["day-scale data", { r: 0.8, alpha: 60, a: 0.6, b: 3 }, dayData],
    ["the no-heterogeneity edge", { r: 0.3, alpha: 4, a: 1e9, b: 1e10 }, dayData],
  ])("the BG/NBD gradient equals finite differences (%s)", (_, params, data) => {
    const { logLikelihood, gradient } = bgnbdLogLikelihoodGradient(params, data);
    expect(logLikelihood).toBeCloseTo(bgnbdLogLikelihood(params, data), 8);
    const numeric = numericGradient((p: BgNbdParams) => bgnbdLogLikelihood(p, data), params);
    numeric.forEach((g, i) =>
      expect(Math.abs(gradient[i] - g), `component ${i}: ${gradient[i]} vs ${g}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(g))),
    );
  });

  it.each([
    ["CDNOW at the estimates", PUBLISHED_GG],
    ["CDNOW far away", { p: 0.5, q: 20, gamma: 2 }],
  ])("the Gamma-Gamma gradient equals finite differences (%s)", (_, params) => {
    const { gradient } = gammaGammaLogLikelihoodGradient(params, cdnowSpend);
    const numeric = numericGradient((p: GammaGammaParams) => gammaGammaLogLikelihood(p, cdnowSpend), params);
    numeric.forEach((g, i) =>
      expect(Math.abs(gradient[i] - g), `component ${i}: ${gradient[i]} vs ${g}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(g))),
    );
  });
});

describe("fits that cannot succeed say why", () => {
  const noNaN = (fit: FitResult<unknown>) => {
    expect(fit.converged).toBe(false);
    expect(Number.isFinite(fit.customers) && Number.isFinite(fit.iterations)).toBe(true);
    return fit.converged ? "" : fit.reason;
  };
  const empty: FrequencyCounts = { x: new Float64Array(), tx: new Float64Array(), T: new Float64Array(), n: new Float64Array() };

  it("no customers", () => {
    expect(noNaN(fitBgNbd(empty))).toBe("There are no customers to fit the purchase model to; the previous parameters are kept.");
    expect(noNaN(fitGammaGamma({ x: new Float64Array(), mx: new Float64Array(), n: new Float64Array() }))).toBe(
      "Too few repeat customers to fit the spend model: 0 (at least 10 needed); the previous parameters are kept.",
    );
  });

  it("no repeat purchase at all", () => {
    const fit = fitBgNbd(frequencyCounts([0, 5, 30, 30, 90].map((T) => ({ x: 0, tx: 0, T }))));
    expect(noNaN(fit)).toBe(
      "No customer has made a repeat purchase yet, so the purchase model cannot be fitted; the previous parameters are kept.",
    );
    expect(fit.customers).toBe(5);
  });

  it("malformed input", () => {
    const bad = { ...cdnowFrequencies, tx: Float64Array.from(cdnowFrequencies.T, (T) => T + 1) };
    expect(noNaN(fitBgNbd(bad))).toMatch(/^The purchase data are malformed \(x = \d+, t_x = [\d.]+, T = [\d.]+, n = \d+\); the previous/);
    expect(noNaN(fitBgNbd({ ...empty, n: Float64Array.of(1) }))).toMatch(/columns of different lengths/);
    expect(noNaN(fitBgNbd({ ...cdnowFrequencies, n: cdnowFrequencies.n.map((n, i) => (i === 3 ? NaN : n)) }))).toMatch(/n = NaN/);
  });

  it("too few repeat customers for the spend model", () => {
    const three: SpendCounts = { x: Float64Array.of(1, 2, 5), mx: Float64Array.of(10, 20, 30), n: Float64Array.of(1, 1, 1) };
    expect(noNaN(fitGammaGamma(three))).toBe(
      "Too few repeat customers to fit the spend model: 3 (at least 10 needed); the previous parameters are kept.",
    );
    // x = 0 and m_x = 0 rows carry no spend information and do not count.
    const padded: SpendCounts = { x: Float64Array.of(1, 2, 5, 0), mx: Float64Array.of(10, 20, 30, 0), n: Float64Array.of(1, 1, 1, 50) };
    expect(noNaN(fitGammaGamma(padded))).toMatch(/: 3 \(at least 10 needed\)/);
  });

  it("a spend model whose q would be at most 1 (an infinite mean spend)", () => {
    // Amounts from a Pareto distribution with tail index 1/2 (evenly spaced quantiles): no finite mean.
    const count = 300;
    const heavy: SpendCounts = {
      x: new Float64Array(count).fill(1),
      mx: Float64Array.from({ length: count }, (_, i) => 10 * (1 - (i + 0.5) / count) ** -2),
      n: new Float64Array(count).fill(1),
    };
    expect(noNaN(fitGammaGamma(heavy))).toMatch(
      /^The spend model's q came out at 0\.\d{3}, not above 1, so the mean spend would be infinite/,
    );
  });

  it("every customer spending exactly the same", () => {
    // No variation to measure: p runs off to infinity.
    const same: SpendCounts = { x: Float64Array.of(1, 2, 3, 4), mx: Float64Array.of(20, 20, 20, 20), n: Float64Array.of(10, 10, 10, 10) };
    expect(noNaN(fitGammaGamma(same))).toBe(
      "The Gamma-Gamma spend fit could not find parameters that describe these amounts (a parameter ran off to zero or infinity, as when every customer spends the same); the previous parameters are kept.",
    );
  });
});

describe("the minimiser", () => {
  const rosenbrock = (v: Float64Array, g: Float64Array) => {
    const [x, y] = v;
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  };

  it("finds Rosenbrock's minimum from the classic start", () => {
    const run = minimise(rosenbrock, [-1.2, 1]);
    expect(run.status).toBe("converged");
    expect(run.x[0]).toBeCloseTo(1, 6);
    expect(run.x[1]).toBeCloseTo(1, 6);
  });

  it("reports running out of iterations, and a start outside the domain", () => {
    expect(minimise(rosenbrock, [-1.2, 1], { maxIterations: 3 }).status).toBe("max-iterations");
    expect(minimise(() => NaN, [0, 0]).status).toBe("non-finite");
  });
});
