// The customer list's query string: search, filters, sort and the keyset cursor. Shared by the list,
// its CSV export and the CLI export, so all three select exactly the same customers.
import { z } from "zod";
import { cpmSegments } from "~/domain/cpm";
import { quadrants } from "~/domain/loyalty";

const score = z.coerce.number().int().min(1).max(5).optional().catch(undefined);
const loyaltyScore = z.coerce.number().min(0).max(100).optional().catch(undefined);
const percent = z.coerce.number().min(0).max(100).optional().catch(undefined);

/** The quadrant filter: one of the four, or "unscored" (no loyalty score yet: "not yet asked"). */
export const quadrantFilters = [...quadrants, "unscored"] as const;

// "alive" and "value": customer potential (issue 19), highest first; they list only customers with a
// purchase (the others have no potential).
export const customerSorts = ["total", "count", "last", "id", "alive", "value"] as const;
export type CustomerSort = (typeof customerSorts)[number];

export const customerListSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined).transform((v) => v || undefined),
  segment: z.enum(cpmSegments).optional().catch(undefined),
  r: score,
  f: score,
  m: score,
  // Both axes (issue 16): the loyalty score's range, the latest NPS category, the quadrant.
  minScore: loyaltyScore,
  maxScore: loyaltyScore,
  nps: z.enum(["promoter", "passive", "detractor"]).optional().catch(undefined),
  quadrant: z.enum(quadrantFilters).optional().catch(undefined),
  // Customer potential (issue 19): p_alive as a percentage range, and a floor on the expected 90-day value.
  minAlive: percent,
  maxAlive: percent,
  minValue: z.coerce.number().min(0).optional().catch(undefined),
  sort: z.enum(customerSorts).default("total").catch("total"),
  after: z.string().max(500).optional().catch(undefined),
});
export type CustomerListQuery = z.infer<typeof customerListSchema>;

export function parseCustomerQuery(params: URLSearchParams): CustomerListQuery {
  return customerListSchema.parse(Object.fromEntries(params));
}
