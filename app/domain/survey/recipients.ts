// Who a survey is sent to, as the send form chooses it: everyone, one CPM segment, one loyalty
// quadrant, the customers not yet asked (no loyalty score), a candidate shortlist, or a list of the
// brand's customer ids pasted or read from a file (one per line, or separated by commas, semicolons or
// spaces; repeats count once).
import { cpmSegments, type CpmSegment } from "../cpm";
import { candidateLists, quadrants, type CandidateList, type Quadrant } from "../loyalty";

export type RecipientSelection =
  | { kind: "all" }
  | { kind: "segment"; segment: CpmSegment }
  | { kind: "quadrant"; quadrant: Quadrant }
  /** Customers without a loyalty score yet ("not yet asked" on the loyalty matrix). */
  | { kind: "unscored" }
  /** A candidate list's shortlist (issue 16). */
  | { kind: "shortlist"; list: CandidateList }
  /** The brand's own customer ids, pasted or uploaded. */
  | { kind: "list"; externalIds: string[] };

export const recipientKinds = ["all", "segment", "quadrant", "unscored", "shortlist", "list"] as const;
export type RecipientKind = (typeof recipientKinds)[number];

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
export function parseRecipientSelection(fields: { recipients: unknown; segment?: unknown; list?: unknown; quadrant?: unknown; shortlist?: unknown }): RecipientSelection | null {
  if (fields.recipients === "all") return { kind: "all" };
  if (fields.recipients === "unscored") return { kind: "unscored" };
  if (fields.recipients === "quadrant") {
    const quadrant = quadrants.find((q) => q === fields.quadrant);
    return quadrant ? { kind: "quadrant", quadrant } : null;
  }
  if (fields.recipients === "shortlist") {
    const list = candidateLists.find((l) => l === fields.shortlist);
    return list ? { kind: "shortlist", list } : null;
  }
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
