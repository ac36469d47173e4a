// The customer list's query string: search, filters, sort and the keyset cursor. Shared by the list,
// its CSV export and the CLI export, so all three select exactly the same customers.
import { z } from "zod";
import { cpmSegments } from "~/domain/cpm";

const score = z.coerce.number().int().min(1).max(5).optional().catch(undefined);

export const customerSorts = ["total", "count", "last", "id"] as const;
export type CustomerSort = (typeof customerSorts)[number];

export const customerListSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined).transform((v) => v || undefined),
  segment: z.enum(cpmSegments).optional().catch(undefined),
  r: score,
  f: score,
  m: score,
  sort: z.enum(customerSorts).default("total").catch("total"),
  after: z.string().max(500).optional().catch(undefined),
});
export type CustomerListQuery = z.infer<typeof customerListSchema>;

export function parseCustomerQuery(params: URLSearchParams): CustomerListQuery {
  return customerListSchema.parse(Object.fromEntries(params));
}
