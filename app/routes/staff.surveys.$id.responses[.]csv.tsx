// GET /staff/surveys/:id/responses.csv: one row per response, one column per question key, formulas
// escaped as in the customer export.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponseRows, responseExportHeader } from "~/models/survey-results.server";
import { getQuestions } from "~/models/surveys.server";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const id = idParam(params.id);
  const questions = await getQuestions(id);
  if (questions.length === 0) throw new Response("Not found", { status: 404 });
  return csvResponse(`survey-${id}-responses.csv`, responseExportHeader(questions), exportResponseRows(id, questions), {
    bom: new URL(request.url).searchParams.get("bom") === "1",
  });
}
