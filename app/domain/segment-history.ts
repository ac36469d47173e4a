// One customer's segment at each month end, and the months it changed: the customer page's history.
import { figuresAsOf, segmentOf, type Borders, type CpmSegment, type Purchase } from "./cpm";

export interface SegmentChange {
  /** The month end (YYYY-MM-DD) from which the customer was in `segment`. */
  date: string;
  segment: CpmSegment | null;
}

function monthEnd(year: number, month: number) {
  return new Date(Date.UTC(year, month + 1, 0)).toISOString().slice(0, 10);
}

export function segmentHistory(purchases: Purchase[], asOf: string, timeZone: string, borders: Borders): SegmentChange[] {
  if (purchases.length === 0) return [];
  const firstDay = purchases.reduce((min, p) => (p.purchasedAt < min ? p.purchasedAt : min), purchases[0].purchasedAt);
  let year = firstDay.getUTCFullYear();
  let month = firstDay.getUTCMonth();
  const changes: SegmentChange[] = [];
  let previous: CpmSegment | null | undefined;
  for (;;) {
    const end = monthEnd(year, month);
    const date = end < asOf ? end : asOf;
    const segment = segmentOf(figuresAsOf(purchases, date, timeZone), borders);
    if (segment !== previous && !(previous === undefined && segment === null)) changes.push({ date, segment });
    previous = segment;
    if (date === asOf) break;
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return changes;
}
