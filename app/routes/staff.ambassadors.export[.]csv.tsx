// GET /staff/ambassadors/export.csv: every member with certificate state, points and referrals
// (app/cli/members-command.ts, shared with `portal export members`).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { memberExportColumns, memberExportRows } from "~/cli/members-command";
import { requireRole } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const bom = new URL(request.url).searchParams.get("bom") === "1";
  return csvResponse(`members-${new Date().toISOString().slice(0, 10)}.csv`, memberExportColumns, memberExportRows(), { bom });
}
