import { describe, expect, it } from "vitest";
import { figuresAsOf, guidanceKey, roundDays, roundMoney, segmentOf, suggestBorders, type Borders } from "~/domain/cpm";

const borders: Borders = { tenureBorderDays: 365, spendBorder: 30000, lapseBorderDays: 180 };
const tz = "Asia/Tokyo";
const at = (iso: string, amount: number) => ({ purchasedAt: new Date(iso), amount });
const segment = (purchases: ReturnType<typeof at>[], asOf: string) => segmentOf(figuresAsOf(purchases, asOf, tz), borders);

describe("CPM segments on the borders", () => {
  it("one purchase is first-time, whatever the amount", () => {
    expect(segment([at("2025-01-10T03:00:00Z", 500000)], "2025-02-01")).toBe("first_active");
  });

  it("tenure exactly at the border is steady/loyal; one day short is toddler/trendy", () => {
    const first = at("2024-01-01T03:00:00Z", 1000);
    expect(segment([first, at("2024-12-31T03:00:00Z", 1000)], "2025-01-01")).toBe("steady_active"); // 365 days (2024 is a leap year)
    expect(segment([first, at("2024-12-30T03:00:00Z", 1000)], "2025-01-01")).toBe("toddler_active"); // 364 days
    expect(segment([first, at("2024-12-31T03:00:00Z", 29000)], "2025-01-01")).toBe("loyal_active");
    expect(segment([first, at("2024-12-30T03:00:00Z", 29000)], "2025-01-01")).toBe("trendy_active");
  });

  it("spend exactly at the border counts as reaching it", () => {
    const f = { purchaseCount: 2, tenureDays: 10, lapseDays: 0 };
    expect(segmentOf({ ...f, totalAmount: 30000 }, borders)).toBe("trendy_active");
    expect(segmentOf({ ...f, totalAmount: 29999.99 }, borders)).toBe("toddler_active");
  });

  it("a second purchase on the same day makes a repeat customer with tenure 0", () => {
    const figures = figuresAsOf([at("2025-03-01T01:00:00Z", 3000), at("2025-03-01T09:00:00Z", 2000)], "2025-03-02", tz);
    expect(figures).toEqual({ purchaseCount: 2, totalAmount: 5000, tenureDays: 0, lapseDays: 1 });
    expect(segmentOf(figures, borders)).toBe("toddler_active");
  });

  it("lapse exactly at the border is lapsed; one day less is active", () => {
    const p = [at("2025-01-01T03:00:00Z", 1000)];
    expect(segment(p, "2025-06-30")).toBe("first_lapsed"); // Jan 1 + 180 days = Jun 30
    expect(figuresAsOf(p, "2025-06-30", tz).lapseDays).toBe(180);
    expect(segment(p, "2025-06-29")).toBe("first_active");
    expect(figuresAsOf(p, "2025-06-29", tz).lapseDays).toBe(179);
  });

  it("counts days in the brand's time zone", () => {
    // 2025-01-01 20:00 UTC is already 2 January in Tokyo.
    const figures = figuresAsOf([at("2025-01-01T20:00:00Z", 1000)], "2025-01-02", tz);
    expect(figures.lapseDays).toBe(0);
    expect(figuresAsOf([at("2025-01-01T20:00:00Z", 1000)], "2025-01-01", tz).purchaseCount).toBe(0);
  });

  it("a refund lowers the total and is not counted as a purchase", () => {
    const purchases = [at("2024-01-01T03:00:00Z", 20000), at("2024-06-01T03:00:00Z", 15000), at("2024-06-05T03:00:00Z", -15000)];
    const figures = figuresAsOf(purchases, "2024-07-01", tz);
    expect(figures).toMatchObject({ purchaseCount: 2, totalAmount: 20000, tenureDays: 152 });
    expect(segmentOf(figures, borders)).toBe("toddler_active"); // not trendy: 35,000 − 15,000 < 30,000
    // A refund is not a visit: it neither extends the tenure nor resets the lapse.
    expect(figuresAsOf(purchases, "2024-07-01", tz).lapseDays).toBe(30);
  });

  it("a customer with only refunds or nothing has no segment", () => {
    expect(segment([at("2024-01-01T03:00:00Z", -1000)], "2024-02-01")).toBeNull();
    expect(segment([], "2024-02-01")).toBeNull();
  });

  it("a purchase of amount 0 is a purchase: counted, dated, adding nothing to the total", () => {
    // A fully discounted order, an order paid with points, a free item.
    const free = [at("2024-01-01T03:00:00Z", 0)];
    expect(figuresAsOf(free, "2024-02-01", tz)).toEqual({ purchaseCount: 1, totalAmount: 0, tenureDays: 0, lapseDays: 31 });
    expect(segment(free, "2024-02-01")).toBe("first_active");
    // Only ¥0 rows: a repeat customer like any other, their tenure from the first to the last.
    const onlyFree = [...free, at("2025-01-05T03:00:00Z", 0)];
    expect(figuresAsOf(onlyFree, "2025-02-01", tz)).toEqual({ purchaseCount: 2, totalAmount: 0, tenureDays: 370, lapseDays: 27 });
    expect(segment(onlyFree, "2025-02-01")).toBe("steady_active");
    // A ¥0 order is a visit: it extends the tenure and resets the lapse.
    const paidThenFree = [at("2024-01-01T03:00:00Z", 40000), at("2024-12-31T03:00:00Z", 0)];
    expect(figuresAsOf(paidThenFree, "2025-01-01", tz)).toMatchObject({ purchaseCount: 2, totalAmount: 40000, tenureDays: 365, lapseDays: 1 });
    expect(segment(paidThenFree, "2025-01-01")).toBe("loyal_active");
  });

  it("a ¥0 purchase beside a refund: the refund lowers the total, the ¥0 order still counts", () => {
    const purchases = [at("2024-03-01T03:00:00Z", 0), at("2024-03-10T03:00:00Z", -500)];
    const figures = figuresAsOf(purchases, "2024-04-01", tz);
    expect(figures).toEqual({ purchaseCount: 1, totalAmount: -500, tenureDays: 0, lapseDays: 31 });
    expect(segmentOf(figures, borders)).toBe("first_active");
    // A refund of zero written as -0 is zero, so a purchase.
    expect(figuresAsOf([at("2024-03-01T03:00:00Z", -0)], "2024-04-01", tz).purchaseCount).toBe(1);
  });

  it("gives lapsed loyal customers the top-priority guidance and no cross-selling to newcomers", () => {
    expect(guidanceKey("loyal_lapsed")).toBe("cpm.guidance.loyal_lapsed");
    expect(guidanceKey("first_active")).toBe("cpm.guidance.nurture");
    expect(guidanceKey("toddler_active")).toBe("cpm.guidance.nurture");
    expect(guidanceKey("steady_active")).toBe("cpm.guidance.crossSell");
  });
});

describe("border suggestions", () => {
  it("suggests the 90th percentile gap and the medians of repeat customers, rounded, with reasons", () => {
    const s = suggestBorders({ gapP90: 143.2, gapCount: 5000, repeatSpendMedian: 48730, repeatTenureMedian: 412.5, repeatCustomers: 800, sampledCustomers: 2000 });
    expect(s.lapseBorderDays).toEqual({ value: 150, reason: { key: "cpm.suggest.lapse", values: { p90: 143, gaps: 5000, customers: 2000 } } });
    expect(s.spendBorder?.value).toBe(49000);
    expect(s.tenureBorderDays?.value).toBe(420);
    expect(s.spendBorder?.reason.values).toEqual({ median: 48730, customers: 800 });
  });

  it("suggests nothing without enough repeat customers", () => {
    const s = suggestBorders({ gapP90: 40, gapCount: 10, repeatSpendMedian: 9000, repeatTenureMedian: 30, repeatCustomers: 29, sampledCustomers: 29 });
    expect(s).toEqual({ lapseBorderDays: null, spendBorder: null, tenureBorderDays: null });
  });

  it("rounds to memorable numbers", () => {
    expect([roundDays(0.4), roundDays(45.1), roundDays(61), roundDays(181), roundDays(365)]).toEqual([1, 46, 70, 210, 390]);
    expect([roundMoney(1234), roundMoney(48730), roundMoney(95), roundMoney(999999)]).toEqual([1200, 49000, 95, 1000000]);
  });
});
