// GET /staff/surveys/:id/qr.png: the open link's QR code.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { surveyQrResponse } from "~/services/survey-qr.server";
import { requireRole } from "~/utils/auth.server";
import { idParam } from "~/utils/params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  return surveyQrResponse(idParam(params.id), "png");
}
