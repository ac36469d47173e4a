// The candidate lists' query string (page, CSV export and CLI read the same) and the forms that mark a
// candidate (shortlist, dismiss with a note, take the mark off), re-checked in the action. Messages are
// locale keys under candidates.errors, each naming its field.
import { z } from "zod";
import { cpmSegments } from "~/domain/cpm";
import { candidateLists, candidateViews, exclusionReasons, quadrants } from "~/domain/loyalty";
import type { CandidateFilters } from "~/models/loyalty.server";

export const candidateTabs = ["ranked", "shortlist", "excluded"] as const;
export type CandidateTab = (typeof candidateTabs)[number];

const text = z.string().trim().max(200).optional().catch(undefined).transform((v) => v || undefined);

export const candidateQuerySchema = z.object({
  list: z.enum(candidateLists).default("ambassador").catch("ambassador"),
  tab: z.enum(candidateTabs).default("ranked").catch("ranked"),
  view: z.enum(candidateViews).default("top5").catch("top5"),
  segment: z.enum(cpmSegments).optional().catch(undefined),
  quadrant: z.enum(quadrants).optional().catch(undefined),
  minScore: z.coerce.number().min(0).max(100).optional().catch(undefined),
  store: text,
  channel: text,
  /** The excluded tab's reason filter. */
  reason: z.enum(exclusionReasons).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type CandidateQuery = z.infer<typeof candidateQuerySchema>;

export function parseCandidateQuery(params: URLSearchParams): CandidateQuery {
  // An empty field of the filter form means "any".
  const values = Object.fromEntries([...params].filter(([, v]) => v !== ""));
  return candidateQuerySchema.parse(values);
}

export function filtersOf(q: CandidateQuery): CandidateFilters {
  return { segment: q.segment, quadrant: q.quadrant, minScore: q.minScore, store: q.store, channel: q.channel };
}

export const NOTE_MAX = 500;

const list = z.enum(candidateLists, { errorMap: () => ({ message: "candidates.errors.list" }) });
const customer = z.string({ required_error: "candidates.errors.customer" }).trim().min(1, "candidates.errors.customer").max(200, "candidates.errors.customer");

/** One form per row action; `customer` is the customer's external id. */
export const candidateMarkSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("shortlist"), list, customer }),
    z.object({
      intent: z.literal("dismiss"),
      list,
      customer,
      note: z
        .string({ required_error: "candidates.errors.noteRequired" })
        .trim()
        .min(1, "candidates.errors.noteRequired")
        .max(NOTE_MAX, "candidates.errors.noteTooLong"),
    }),
    z.object({ intent: z.literal("unmark"), list, customer }),
  ],
  { errorMap: () => ({ message: "candidates.errors.intent" }) },
);
export type CandidateMark = z.infer<typeof candidateMarkSchema>;
