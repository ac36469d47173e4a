// Waves: differences of two NPS (adjusted Wald) and of two means (Welch), checked against hand computation.
import { describe, expect, it } from "vitest";
import { meanDifference, npsDifference, studentT975 } from "~/domain/survey/waves";

describe("NPS difference", () => {
  it("puts identical samples' difference at zero, inside a symmetric interval", () => {
    // n' = 13, p' = 5.75/13, d' = 2.75/13, var = p' + d' − (p' − d')² = 0.600592;
    // SE = √(2 · 0.600592 / 13) = 0.303972, half-width 1.96 · SE · 100 = 59.58.
    const sample = { promoters: 5, passives: 3, detractors: 2 };
    const result = npsDifference(sample, sample);
    expect(result).toMatchObject({ npsA: 30, npsB: 30, nA: 10, nB: 10, difference: 0, excludesZero: false });
    expect(result.low).toBeCloseTo(-59.58, 2);
    expect(result.high).toBeCloseTo(59.58, 2);
  });

  it("gives all promoters against all detractors a wide but clearly positive interval", () => {
    // A: n' = 13, p' = 0.75/13, d' = 10.75/13 → adjusted NPS −10/13, var = 11.5/13 − (10/13)² = 49.5/169; B the mirror.
    // SE = √(2 · 49.5/169 / 13) = 0.212275; centre 20/13 = 1.538462; ± 0.416059.
    const result = npsDifference({ promoters: 0, passives: 0, detractors: 10 }, { promoters: 10, passives: 0, detractors: 0 });
    expect(result).toMatchObject({ npsA: -100, npsB: 100, difference: 200, excludesZero: true });
    expect(result.low).toBeCloseTo(112.24, 2);
    expect(result.high).toBeCloseTo(195.45, 2);
  });

  it("compares two unequal samples (B − A)", () => {
    // A 50/30/20: p' = 50.75/103, d' = 20.75/103, var 0.609341. B 60/25/15: p' = 60.75/103, d' = 15.75/103, var 0.551842.
    // SE = √((0.609341 + 0.551842) / 103) = 0.106177; centre 0.436893 − 0.291262 = 0.145631; ± 0.208107.
    const result = npsDifference({ promoters: 50, passives: 30, detractors: 20 }, { promoters: 60, passives: 25, detractors: 15 });
    expect(result.difference).toBeCloseTo(15, 10);
    expect(result.low).toBeCloseTo(-6.25, 2);
    expect(result.high).toBeCloseTo(35.37, 2);
    expect(result.excludesZero).toBe(false);
    // Reversed, the difference and interval change sign.
    const reversed = npsDifference({ promoters: 60, passives: 25, detractors: 15 }, { promoters: 50, passives: 30, detractors: 20 });
    expect(reversed.difference).toBeCloseTo(-15, 10);
    expect(reversed.low).toBeCloseTo(-35.37, 2);
    expect(reversed.high).toBeCloseTo(6.25, 2);
  });

  it("has no figures when a side has no answers", () => {
    const none = { promoters: 0, passives: 0, detractors: 0 };
    expect(npsDifference(none, { promoters: 3, passives: 1, detractors: 1 })).toEqual({
      npsA: null,
      npsB: 40,
      nA: 0,
      nB: 5,
      difference: null,
      low: null,
      high: null,
      excludesZero: false,
    });
    expect(npsDifference({ promoters: 1, passives: 0, detractors: 0 }, none).difference).toBeNull();
  });

  it("refuses counts that are not whole numbers", () => {
    expect(() => npsDifference({ promoters: -1, passives: 0, detractors: 0 }, { promoters: 1, passives: 0, detractors: 0 })).toThrow(RangeError);
    expect(() => npsDifference({ promoters: 1.5, passives: 0, detractors: 0 }, { promoters: 1, passives: 0, detractors: 0 })).toThrow(RangeError);
  });
});

describe("mean difference (Welch)", () => {
  const moments = (values: number[]) => ({ n: values.length, sum: values.reduce((a, b) => a + b, 0), sumSquares: values.reduce((a, b) => a + b * b, 0) });

  it("matches a hand-computed Welch interval", () => {
    // A = 1…5: mean 3, s² 2.5; B = 2, 4, …, 10: mean 6, s² 10. SE² = 2.5/5 + 10/5 = 2.5;
    // df = 2.5² / (0.5²/4 + 2²/4) = 5.882353; t(0.975, 5.882) = 2.458824; half-width 2.458824 · √2.5 = 3.887742.
    const result = meanDifference(moments([1, 2, 3, 4, 5]), moments([2, 4, 6, 8, 10]));
    expect(result.meanA).toBe(3);
    expect(result.meanB).toBe(6);
    expect(result.difference).toBe(3);
    expect(result.df).toBeCloseTo(5.882353, 6);
    expect(result.low).toBeCloseTo(-0.887742, 5);
    expect(result.high).toBeCloseTo(6.887742, 5);
    expect(result.excludesZero).toBe(false);
  });

  it("excludes zero when the groups are far apart", () => {
    // A = 10, 20, 30 (mean 20, s² 100); B = 70, 80, 90 (mean 80, s² 100): SE² = 200/3, df = 4, t = 2.776445.
    const result = meanDifference(moments([10, 20, 30]), moments([70, 80, 90]));
    expect(result.df).toBeCloseTo(4, 10);
    expect(result.low).toBeCloseTo(60 - 2.776445 * Math.sqrt(200 / 3), 4);
    expect(result.high).toBeCloseTo(60 + 2.776445 * Math.sqrt(200 / 3), 4);
    expect(result.excludesZero).toBe(true);
  });

  it("has no interval with fewer than two answers on a side", () => {
    expect(meanDifference(moments([50]), moments([60, 70]))).toMatchObject({ meanA: 50, meanB: 65, difference: null, low: null, high: null, df: null });
    expect(meanDifference(moments([]), moments([60, 70])).meanA).toBeNull();
  });

  it("is exact when neither side varies", () => {
    expect(meanDifference(moments([50, 50]), moments([75, 75, 75]))).toMatchObject({ difference: 25, low: 25, high: 25, excludesZero: true });
  });
});

describe("Student's t quantile", () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
    [120, 1.9799],
  ])("t(0.975, %d) = %f as in the tables", (df, expected) => {
    expect(studentT975(df)).toBeCloseTo(expected, 4);
  });

  it("approaches the normal quantile for large df", () => {
    expect(studentT975(1e7)).toBeCloseTo(1.959964, 5);
  });
});
