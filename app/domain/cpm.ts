// CPM (customer portfolio management, Yazuya): the ten segments and the metrics they rest on.
// Pure functions; the database computes the same rules in SQL (cpm_segment() in
// db/migrations/0002_customer_metrics.sql, the view customer_metrics last in 0016_zero_amount_purchases.sql)
// and a database test checks that both agree.

/** The ten segments, in the book's order (first purchase to loyal; active before lapsed). */
export const cpmSegments = [
  "first_active",
  "first_lapsed",
  "toddler_active",
  "toddler_lapsed",
  "trendy_active",
  "trendy_lapsed",
  "steady_active",
  "steady_lapsed",
  "loyal_active",
  "loyal_lapsed",
] as const;
export type CpmSegment = (typeof cpmSegments)[number];

export interface Borders {
  /** Tenure (days from first to last purchase) at or above which a repeat customer is steady/loyal. */
  tenureBorderDays: number;
  /** Total spend at or above which a repeat customer is trendy/loyal. */
  spendBorder: number;
  /** Days since the last purchase at or above which a customer counts as lapsed. */
  lapseBorderDays: number;
}

export interface CustomerFigures {
  purchaseCount: number;
  totalAmount: number;
  tenureDays: number | null;
  lapseDays: number | null;
}

export const baseSegments = ["first", "toddler", "trendy", "steady", "loyal"] as const;
export type BaseSegment = (typeof baseSegments)[number];

/** The segment of one customer, or null for a customer with no purchase (only refunds, or none). */
export function segmentOf(c: CustomerFigures, b: Borders): CpmSegment | null {
  if (c.purchaseCount < 1 || c.tenureDays === null || c.lapseDays === null) return null;
  let base: BaseSegment;
  if (c.purchaseCount === 1) base = "first";
  else if (c.totalAmount >= b.spendBorder) base = c.tenureDays >= b.tenureBorderDays ? "loyal" : "trendy";
  else base = c.tenureDays >= b.tenureBorderDays ? "steady" : "toddler";
  return `${base}_${c.lapseDays < b.lapseBorderDays ? "active" : "lapsed"}`;
}

export interface Purchase {
  purchasedAt: Date;
  amount: number;
}

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}
// Building a formatter costs far more than using one; the segment history formats thousands of dates.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * One customer's figures as of a date (YYYY-MM-DD in the brand's time zone): purchases up to the end of
 * that day count. An amount of 0 is a purchase (a fully discounted order, one paid with points, a free
 * item); refunds (amount < 0) lower the total but are not purchases.
 */
export function figuresAsOf(purchases: Purchase[], asOf: string, timeZone: string): CustomerFigures {
  let purchaseCount = 0;
  let totalAmount = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const p of purchases) {
    const day = localDate(p.purchasedAt, timeZone);
    if (day > asOf) continue;
    totalAmount += p.amount;
    if (p.amount < 0) continue;
    purchaseCount++;
    if (first === null || day < first) first = day;
    if (last === null || day > last) last = day;
  }
  return {
    purchaseCount,
    totalAmount: Math.round(totalAmount * 100) / 100,
    tenureDays: first && last ? daysBetween(first, last) : null,
    lapseDays: last ? daysBetween(last, asOf) : null,
  };
}

/** What each segment should get (DESIGN §2), as i18n keys under `cpm.guidance`. */
export function guidanceKey(segment: CpmSegment): string {
  if (segment === "loyal_lapsed") return "cpm.guidance.loyal_lapsed";
  const base = segment.split("_")[0] as BaseSegment;
  if (segment.endsWith("_lapsed")) return "cpm.guidance.lapsed";
  return base === "first" || base === "toddler" ? "cpm.guidance.nurture" : base === "trendy" ? "cpm.guidance.trendy" : "cpm.guidance.crossSell";
}

// ---- Border suggestions ----------------------------------------------------------------------

export interface BorderEvidence {
  /** Gaps in days between consecutive purchases of the same customer (a sample is fine). */
  gapP90: number | null;
  gapCount: number;
  /** Among repeat customers (2+ purchases): median total spend and median tenure in days. */
  repeatSpendMedian: number | null;
  repeatTenureMedian: number | null;
  repeatCustomers: number;
  sampledCustomers: number;
}

export interface Suggestion {
  value: number;
  /** i18n key under `cpm.suggest` with its interpolation values. */
  reason: { key: string; values: Record<string, number> };
}

export type BorderSuggestions = { [K in keyof Borders]: Suggestion | null };

/** Fewer repeat customers than this and a median says little: no suggestion. */
export const MIN_REPEAT_CUSTOMERS = 30;

/**
 * DESIGN §2: lapse border = the 90th percentile of the gaps between a customer's consecutive purchases
 * (90 % of returning customers come back within it); spend and tenure borders = the medians among
 * repeat customers. Values are rounded to numbers people can remember.
 */
export function suggestBorders(e: BorderEvidence): BorderSuggestions {
  const enough = e.repeatCustomers >= MIN_REPEAT_CUSTOMERS;
  return {
    lapseBorderDays:
      enough && e.gapP90 !== null && e.gapCount > 0
        ? {
            value: Math.max(1, roundDays(e.gapP90)),
            reason: { key: "cpm.suggest.lapse", values: { p90: Math.round(e.gapP90), gaps: e.gapCount, customers: e.sampledCustomers } },
          }
        : null,
    spendBorder:
      enough && e.repeatSpendMedian !== null && e.repeatSpendMedian > 0
        ? {
            value: roundMoney(e.repeatSpendMedian),
            reason: { key: "cpm.suggest.spend", values: { median: Math.round(e.repeatSpendMedian), customers: e.repeatCustomers } },
          }
        : null,
    tenureBorderDays:
      enough && e.repeatTenureMedian !== null
        ? {
            value: Math.max(1, roundDays(e.repeatTenureMedian)),
            reason: { key: "cpm.suggest.tenure", values: { median: Math.round(e.repeatTenureMedian), customers: e.repeatCustomers } },
          }
        : null,
  };
}

/** Days: up to 60 to the day, then to 10 days, then to 30 days. */
export function roundDays(days: number): number {
  if (days <= 60) return Math.ceil(days);
  if (days <= 180) return Math.ceil(days / 10) * 10;
  return Math.ceil(days / 30) * 30;
}

/** Money: two significant digits (¥48,730 → ¥49,000; ¥1,234 → ¥1,200). */
export function roundMoney(amount: number): number {
  if (amount <= 0) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(amount)) - 1);
  return Math.round(amount / magnitude) * magnitude;
}
