// The dates the segment movement page compares: by default the three months up to the metrics' date,
// or, before any refresh fixed one, up to today in the brand's time zone (not in UTC: at 05:00 on
// 1 April in Tokyo it is still 31 March in UTC).
import { localDate } from "./cpm";

/** A YYYY-MM-DD the browser's date input sends, or nothing usable. */
function isoDate(value: string | null | undefined): string | null {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** The date `months` calendar months away (a day that month lacks runs over, as Date does: 31 May − 3 → 3 March). */
export function shiftMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export interface MovementDates {
  from: string;
  to: string;
  /** Set when `from` is not before `to`. */
  error: "cpm.movementOrder" | null;
}

/**
 * The movement page's range from its query: `to` defaults to the metrics' as-of date, else today in the
 * brand's time zone; `from` to three months before `to`. Malformed dates count as absent.
 */
export function movementDates(
  query: { from?: string | null; to?: string | null },
  context: { asOf: string | null; timeZone: string; now?: Date },
): MovementDates {
  const today = context.asOf ?? localDate(context.now ?? new Date(), context.timeZone);
  const to = isoDate(query.to) ?? today;
  const from = isoDate(query.from) ?? shiftMonths(to, -3);
  return { from, to, error: from >= to ? "cpm.movementOrder" : null };
}
