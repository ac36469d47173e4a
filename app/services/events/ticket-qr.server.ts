// The QR code on an attendee's ticket, which staff scan at the door: the ticket code itself, nothing else,
// so a scan works offline and a photo of someone else's screen reveals no link.
import QRCode from "qrcode";
import { isTicketCode } from "~/domain/events";

/** The ticket's QR code as an SVG document. Throws on anything that is not a ticket code (a bug, not user input). */
export async function ticketQrSvg(code: string): Promise<string> {
  if (!isTicketCode(code)) throw new Error("Not a ticket code");
  return QRCode.toString(code, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The same SVG as a `data:` URL for an <img> (the portal's CSP allows data: images). */
export async function ticketQrDataUrl(code: string): Promise<string> {
  const svg = await ticketQrSvg(code);
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
