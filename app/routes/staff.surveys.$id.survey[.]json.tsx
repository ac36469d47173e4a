// GET /staff/surveys/:id/survey.json: the survey as a file (texts, settings and questions), to import
// here or in another portal as a new draft.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportSurveyFile } from "~/services/survey-file.server";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const id = idParam(params.id);
  const json = await exportSurveyFile(id);
  if (json === null) throw new Response("Not found", { status: 404 });
  return new Response(json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="survey-${id}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
