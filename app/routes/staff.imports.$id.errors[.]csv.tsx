// GET /staff/imports/:id/errors.csv: every error of an import, one line per bad cell with its row number
// (a row with a bad date and a bad amount has two lines), so a spreadsheet can sort and filter by row,
// column or reason without splitting a cell of packed messages; the reason in words beside its code.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describeError } from "~/domain/import/messages";
import { getImportJob } from "~/services/import/import.server";
import { importErrorRows } from "~/models/import-jobs.server";
import { requireRole } from "~/utils/auth.server";
import { idParam } from "~/utils/params.server";
import { csvResponse } from "~/utils/csv.server";
import { getLocale } from "~/utils/locale.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const id = idParam(params.id);
  if (!(await getImportJob(id))) throw new Response("Not Found", { status: 404 });
  const locale = await getLocale(request, user.locale);
  async function* rows() {
    for await (const batch of importErrorRows(id)) {
      yield batch.map((e) => [e.row, e.column, e.value, e.reason, describeError(e as never, locale)]);
    }
  }
  return csvResponse(`import-${id}-errors.csv`, ["row", "column", "value", "reason", "message"], rows(), { bom: locale === "ja" });
}
