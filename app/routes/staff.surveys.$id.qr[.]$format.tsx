// The open link's QR code, as SVG (print) or PNG (slides, shop POP), through the qrcode library.
import type { LoaderFunctionArgs } from "@remix-run/node";
import QRCode from "qrcode";
import { getSurvey } from "~/models/surveys.server";
import { requireRole } from "~/utils/auth.server";
import { publicUrl } from "~/utils/unsubscribe.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const survey = await getSurvey(Number(params.id) || 0);
  if (!survey || (params.format !== "svg" && params.format !== "png")) throw new Response("Not found", { status: 404 });
  const url = publicUrl(`s/o/${survey.openToken}`);
  const disposition = `inline; filename="survey-${survey.id}-qr.${params.format}"`;
  if (params.format === "svg") {
    const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    return new Response(svg, { headers: { "Content-Type": "image/svg+xml", "Content-Disposition": disposition, "Cache-Control": "private, max-age=300" } });
  }
  const png = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 512 });
  return new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Content-Disposition": disposition, "Cache-Control": "private, max-age=300" } });
}
