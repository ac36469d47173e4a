// The open link's QR code, as SVG (print) or PNG (slides, shop POP), through the qrcode library.
import QRCode from "qrcode";
import { getSurvey } from "~/models/surveys.server";
import { publicUrl } from "~/utils/unsubscribe.server";

export async function surveyQrResponse(surveyId: number, format: "svg" | "png") {
  const survey = await getSurvey(surveyId);
  if (!survey) throw new Response("Not found", { status: 404 });
  const url = publicUrl(`s/o/${survey.openToken}`);
  const headers = { "Content-Disposition": `inline; filename="survey-${survey.id}-qr.${format}"`, "Cache-Control": "private, max-age=300" };
  if (format === "svg") {
    const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    return new Response(svg, { headers: { ...headers, "Content-Type": "image/svg+xml" } });
  }
  const png = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 512 });
  return new Response(new Uint8Array(png), { headers: { ...headers, "Content-Type": "image/png" } });
}
