// The rules around customer potential (issue 19): the models' inputs per customer, worked by hand from
// the definitions, and the validation's error in words.
import { describe, expect, it } from "vitest";
import { aliveBand, bucketOf, errorVerdict, holdoutError, potentialInputsAsOf } from "~/domain/potential";

const at = (iso: string, amount: number) => ({ purchasedAt: new Date(iso), amount });

describe("potentialInputsAsOf", () => {
  it("counts purchase days, not purchases, in the brand's time zone, and takes the first day off the spend", () => {
    const inputs = potentialInputsAsOf(
      [
        at("2026-01-10T01:00:00Z", 1000), // 10 Jan in Tokyo: the first purchase day
        at("2026-01-10T05:00:00Z", 500), // same day: still day one
        at("2026-01-10T16:00:00Z", 2000), // 11 Jan 01:00 in Tokyo: a repeat day
        at("2026-02-01T03:00:00Z", 3000), // repeat day
        at("2026-02-01T04:00:00Z", 0), // a free purchase the same day: same day, adds nothing
        at("2026-02-05T03:00:00Z", -3000), // a refund: not a purchase day
      ],
      "2026-03-01",
      "Asia/Tokyo",
    );
    // Days 10 Jan, 11 Jan, 1 Feb: x = 2; t_x = 1 Feb - 10 Jan = 22; T = 1 Mar - 10 Jan = 50;
    // m_x = mean of the repeat days' totals (2000, 3000) = 2500.
    expect(inputs).toEqual({ x: 2, tx: 22, T: 50, mx: 2500 });
  });

  it("ignores purchases after the as-of day (its end in the brand's zone), and gives x = 0 a null spend", () => {
    const purchases = [at("2026-06-01T03:00:00Z", 800), at("2026-06-30T14:59:59Z", 100), at("2026-06-30T15:00:00Z", 900)];
    expect(potentialInputsAsOf(purchases, "2026-06-30", "Asia/Tokyo")).toEqual({ x: 1, tx: 29, T: 29, mx: 100 });
    expect(potentialInputsAsOf(purchases, "2026-06-15", "Asia/Tokyo")).toEqual({ x: 0, tx: 0, T: 14, mx: null });
  });

  it("has no inputs without a purchase day (nothing yet, or refunds only)", () => {
    expect(potentialInputsAsOf([], "2026-06-30", "Asia/Tokyo")).toBeNull();
    expect(potentialInputsAsOf([at("2026-01-01T03:00:00Z", -500)], "2026-06-30", "Asia/Tokyo")).toBeNull();
    expect(potentialInputsAsOf([at("2026-07-01T03:00:00Z", 500)], "2026-06-30", "Asia/Tokyo")).toBeNull();
  });
});

describe("the validation's error in words", () => {
  it("compares totals and buckets", () => {
    const error = holdoutError([
      { customers: 100, predicted: 20, actual: 25 },
      { customers: 50, predicted: 40, actual: 30 },
    ]);
    expect(error.predicted).toBe(60);
    expect(error.actual).toBe(55);
    expect(error.totalError).toBeCloseTo(5 / 55, 12);
    // per customer |20-25|/100 = 0.05 and |40-30|/50 = 0.2, mean 0.125; mean actual per customer (0.25 + 0.6) / 2 = 0.425
    expect(error.bucketError).toBeCloseTo(0.125 / 0.425, 12);
    expect(errorVerdict(error.totalError)).toBe("good");
    expect(errorVerdict(-0.2)).toBe("fair");
    expect(errorVerdict(0.4)).toBe("poor");
    expect(holdoutError([{ customers: 10, predicted: 1, actual: 0 }]).totalError).toBeNull();
    expect(errorVerdict(null)).toBe("unknown");
  });

  it("puts 7 or more repeat purchase days in the last bucket, and words p_alive in three bands", () => {
    expect([0, 6, 7, 40].map(bucketOf)).toEqual([0, 6, 7, 7]);
    expect([0.95, 0.7, 0.5, 0.3, 0.1].map(aliveBand)).toEqual(["likely", "likely", "uncertain", "uncertain", "unlikely"]);
  });
});
