// Customer potential (issue 19): the models' inputs per customer, and the rules the pages word them by.
// The models themselves (BG/NBD, Gamma-Gamma) are app/services/potential/model.server.ts; the same
// inputs are computed in SQL by customer_metrics (db/views/customer_metrics.sql) and, for any date, by
// potentialInputsSql (app/models/potential.server.ts); tests check both against potentialInputsAsOf.
import { daysBetween, localDate, type Purchase } from "./cpm";

/** The horizon of the per-customer predictions, in days. */
export const HORIZON_DAYS = 90;

/** The validation page's default hold-out, in days. */
export const DEFAULT_HOLDOUT_DAYS = 90;

export interface PotentialInputs {
  /** Repeat purchase days: distinct purchase days - 1. */
  x: number;
  /** Last purchase day - first purchase day. */
  tx: number;
  /** As-of day - first purchase day. */
  T: number;
  /** The mean of the repeat purchase days' totals (null when x = 0). */
  mx: number | null;
}

/**
 * A customer's inputs as of `asOf` (YYYY-MM-DD, brand time zone): a purchase day is a day with at least
 * one purchase (amount >= 0); a day's total is the sum of that day's purchases (refunds are not
 * purchases); purchases after asOf are ignored. Null without a purchase day.
 */
export function potentialInputsAsOf(purchases: Purchase[], asOf: string, timeZone: string): PotentialInputs | null {
  const days = new Map<string, number>();
  for (const p of purchases) {
    if (p.amount < 0) continue;
    const day = localDate(p.purchasedAt, timeZone);
    if (day > asOf) continue;
    days.set(day, (days.get(day) ?? 0) + p.amount);
  }
  if (days.size === 0) return null;
  const sorted = [...days.keys()].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const x = sorted.length - 1;
  const repeat = sorted.slice(1).reduce((sum, d) => sum + days.get(d)!, 0);
  return { x, tx: daysBetween(first, last), T: daysBetween(first, asOf), mx: x > 0 ? repeat / x : null };
}

/** Calibration repeat-purchase buckets of the validation plot: 0, 1, ..., 6 and "7 or more". */
export const VALIDATION_BUCKETS = 8;
export const bucketOf = (x: number) => Math.min(x, VALIDATION_BUCKETS - 1);

/** How a p_alive reads in words (the customer page's sentence and the list's badge). */
export type AliveBand = "likely" | "uncertain" | "unlikely";
export function aliveBand(pAlive: number): AliveBand {
  return pAlive >= 0.7 ? "likely" : pAlive >= 0.3 ? "uncertain" : "unlikely";
}

/**
 * The hold-out error in words: the predicted total against the actual, as a relative error, and the
 * mean absolute error per bucket relative to the mean actual (both null without actual purchases).
 */
export function holdoutError(buckets: { predicted: number; actual: number; customers: number }[]) {
  const predicted = buckets.reduce((s, b) => s + b.predicted, 0);
  const actual = buckets.reduce((s, b) => s + b.actual, 0);
  const withCustomers = buckets.filter((b) => b.customers > 0);
  const perCustomer = withCustomers.map((b) => Math.abs(b.predicted - b.actual) / b.customers);
  const meanActual = withCustomers.reduce((s, b) => s + b.actual / b.customers, 0) / (withCustomers.length || 1);
  return {
    predicted,
    actual,
    totalError: actual > 0 ? (predicted - actual) / actual : null,
    bucketError: actual > 0 && perCustomer.length ? perCustomer.reduce((s, v) => s + v, 0) / perCustomer.length / meanActual : null,
  };
}

/** A verdict on the total error: within 10 % good, within 25 % fair, else poor. */
export function errorVerdict(totalError: number | null): "good" | "fair" | "poor" | "unknown" {
  if (totalError === null) return "unknown";
  const e = Math.abs(totalError);
  return e <= 0.1 ? "good" : e <= 0.25 ? "fair" : "poor";
}
