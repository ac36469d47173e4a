// The book's reaction rates (DESIGN §2, the CPM book): the share of a segment that reacts to a survey or
// an invitation, per base segment: loyal 20 %, steady 10 %, toddler 5 %, first-time 1 %. The book gives
// no figure for trendy customers, so they have none.
import type { BaseSegment, CpmSegment } from "./cpm";

const book: Partial<Record<BaseSegment, number>> = { loyal: 0.2, steady: 0.1, toddler: 0.05, first: 0.01 };

export function bookReactionRate(segment: CpmSegment): number | null {
  return book[segment.split("_")[0] as BaseSegment] ?? null;
}
