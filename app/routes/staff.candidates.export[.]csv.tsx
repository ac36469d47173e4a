// GET /staff/candidates/export.csv?list=…&view=…&<filters>: the candidate list as the page shows it
// (same query), every row with its reasons in the staff member's language and the customer export's
// columns (app/cli/candidates-command.ts, shared with `portal export candidates`).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { candidateExportColumns, candidateExportRows } from "~/cli/candidates-command";
import { ensureLoyaltyFresh, getLoyaltySettings } from "~/models/loyalty.server";
import { filtersOf, parseCandidateQuery } from "~/schemas/candidates";
import { requireRole } from "~/utils/auth.server";
import type { Translate } from "~/utils/candidate-reasons";
import { csvResponse } from "~/utils/csv.server";
import { getFixedT, getLocale } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const params = new URL(request.url).searchParams;
  const query = parseCandidateQuery(params);
  await ensureLoyaltyFresh();
  const settings = await getLoyaltySettings();
  const t = (await getFixedT(await getLocale(request, user.locale))) as unknown as Translate;
  const date = new Date().toISOString().slice(0, 10);
  return csvResponse(
    `candidates-${query.list}-${query.view}-${date}.csv`,
    candidateExportColumns,
    candidateExportRows(query.list, settings, t, { view: query.view, filters: filtersOf(query) }),
    { bom: params.get("bom") === "1" },
  );
}
