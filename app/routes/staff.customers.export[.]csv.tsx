// GET /staff/customers/export.csv: the customer list with its filters, as CSV (columns fixed, see
// exportColumns; later issues append at the end).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportColumns, exportCustomerRows, usesLoyalty } from "~/models/customers.server";
import { ensureLoyaltyFresh } from "~/models/loyalty.server";
import { parseCustomerQuery } from "~/schemas/customers";
import { requireRole } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const params = new URL(request.url).searchParams;
  const query = parseCustomerQuery(params);
  if (usesLoyalty(query)) await ensureLoyaltyFresh();
  const date = new Date().toISOString().slice(0, 10);
  return csvResponse(`customers-${date}.csv`, exportColumns, exportCustomerRows({ ...query, after: undefined }), {
    bom: params.get("bom") === "1",
  });
}
