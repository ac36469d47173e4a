// Who a survey is sent to, as the send form chooses it: everyone, one CPM segment, or a list of the
// brand's customer ids pasted or read from a file (one per line, or separated by commas, semicolons or
// spaces; repeats count once).
import { cpmSegments, type CpmSegment } from "../cpm";

export type RecipientSelection =
  | { kind: "all" }
  | { kind: "segment"; segment: CpmSegment }
  /** The brand's own customer ids, pasted or uploaded. */
  | { kind: "list"; externalIds: string[] };

/** The most ids one list may hold. */
export const MAX_RECIPIENT_IDS = 100_000;

/** The distinct customer ids of a pasted list or file, in the order they first appear. */
export function parseRecipientList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/**
 * The selection the form posted (`recipients`: all | segment | list, with `segment` or `list`), or null
 * when it names no segment we know, or a list that is empty or longer than MAX_RECIPIENT_IDS.
 */
export function parseRecipientSelection(fields: { recipients: unknown; segment?: unknown; list?: unknown }): RecipientSelection | null {
  if (fields.recipients === "all") return { kind: "all" };
  if (fields.recipients === "segment") {
    const segment = cpmSegments.find((s) => s === fields.segment);
    return segment ? { kind: "segment", segment } : null;
  }
  if (fields.recipients === "list") {
    const externalIds = parseRecipientList(typeof fields.list === "string" ? fields.list : "");
    return externalIds.length > 0 && externalIds.length <= MAX_RECIPIENT_IDS ? { kind: "list", externalIds } : null;
  }
  return null;
}
