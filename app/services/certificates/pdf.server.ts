// The ambassador certificate as a printable A4 PDF (issue 17): the brand's colour, the member's display
// name, the programme, the dates in the reader's language, the serial and a QR code to /verify/<code>.
// Japanese is drawn with Noto Sans JP (the portal's own Japanese face), embedded as a subset of the
// glyphs used, so a certificate weighs tens of kilobytes rather than the font's 5 MB.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import * as fontkit from "fontkit";
import { PageSizes, PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from "pdf-lib";
import QRCode from "qrcode";
import { defaultBrandSettings } from "~/models/settings.server";

export type CertificatePdfInput = {
  code: string;
  displayName: string;
  programmeName: string;
  issuedAt: Date;
  expiresAt: Date | null;
  verifyUrl: string;
  locale: "ja" | "en";
  brandName: string;
  /** `#rrggbb`; the brand's primary colour by default. */
  colours?: { primary?: string };
  /** Dates are shown in the brand's time zone. */
  timeZone?: string;
};

const texts = {
  ja: {
    title: "アンバサダー認定証",
    lead: "",
    honorific: " 様",
    statement: "あなたを下記プログラムのアンバサダーとして認定します。",
    issued: "発行日",
    validUntil: "有効期限",
    noExpiry: "無期限",
    issuer: "発行者",
    serial: "認定番号",
    scan: "真正性の確認",
  },
  en: {
    title: "Ambassador Certificate",
    lead: "This certifies that",
    honorific: "",
    statement: "is a recognised ambassador of",
    issued: "Issued",
    validUntil: "Valid until",
    noExpiry: "No expiry",
    issuer: "Issued by",
    serial: "Certificate No.",
    scan: "Scan to verify",
  },
} as const;

const FONT_PACKAGE = "@expo-google-fonts/noto-sans-jp";
const fontFiles = {
  regular: { file: "400Regular/NotoSansJP_400Regular.ttf", postscriptName: "NotoSansJP-Regular" },
  bold: { file: "700Bold/NotoSansJP_700Bold.ttf", postscriptName: "NotoSansJP-Bold" },
} as const;
type Weight = keyof typeof fontFiles;

const ink = rgb(0.11, 0.13, 0.19); // the portal's --ink
const muted = rgb(0.36, 0.4, 0.47); // --muted
const [pageWidth, pageHeight] = PageSizes.A4;
const margin = 56; // inside the double border

const fontBytes = new Map<Weight, Promise<Uint8Array>>();

/** The font files are read once per process (5 MB each); every certificate then subsets them. */
function loadFont(weight: Weight): Promise<Uint8Array> {
  let bytes = fontBytes.get(weight);
  if (!bytes) {
    const file = createRequire(import.meta.url).resolve(`${FONT_PACKAGE}/${fontFiles[weight].file}`);
    bytes = fs.readFile(file);
    fontBytes.set(weight, bytes);
  }
  return bytes;
}

type PdfFontkit = Parameters<PDFDocument["registerFontkit"]>[0];

/**
 * pdf-lib's own @pdf-lib/fontkit is a stale fork whose TrueType subsets lose glyphs (blank kanji); the
 * maintained upstream fontkit subsets correctly. The one difference pdf-lib sees: it reads a subset
 * through `encodeStream()`, which upstream replaced with `encode()`.
 */
const upstreamFontkit: PdfFontkit = {
  create(bytes) {
    const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as fontkit.Font;
    const createSubset = font.createSubset.bind(font);
    const withStream = () => {
      const subset = createSubset();
      return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
    };
    return Object.assign(font, { createSubset: withStream }) as unknown as ReturnType<PdfFontkit["create"]>;
  },
};

/**
 * The six-letter tag PDF (ISO 32000 §9.6.4) puts before a subset font's name, e.g. `KQWZPA+NotoSansJP-Bold`;
 * taken from the certificate it is drawn for, so the same certificate gives the same file.
 */
function subsetTag(seed: string) {
  return Array.from(crypto.createHash("sha256").update(seed).digest().subarray(0, 6), (byte) =>
    String.fromCharCode(65 + (byte % 26)),
  ).join("");
}

function colourOf(hex: string | undefined): RGB {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? defaultBrandSettings.primaryColor);
  if (!match) return colourOf(defaultBrandSettings.primaryColor);
  const [r, g, b] = match.slice(1).map((part) => parseInt(part, 16) / 255);
  return rgb(r, g, b);
}

/** A certificate states its dates in full ("2025年3月1日", "March 1, 2025"), unlike the tables' medium style. */
function longDate(date: Date, locale: "ja" | "en", timeZone: string) {
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { dateStyle: "long", timeZone }).format(date);
}

type Line = { text: string; weight: Weight; size: number; colour: RGB; y: number; maxWidth?: number };

/** The PDF's bytes, in an ArrayBuffer of their own so they can be a Response body as they are. */
export async function certificatePdf(input: CertificatePdfInput): Promise<Uint8Array<ArrayBuffer>> {
  const t = texts[input.locale];
  const timeZone = input.timeZone ?? defaultBrandSettings.timeZone;
  const primary = colourOf(input.colours?.primary);
  const fullWidth = pageWidth - 2 * margin;
  const until = input.expiresAt ? longDate(input.expiresAt, input.locale, timeZone) : t.noExpiry;

  const centred: Line[] = [
    { text: input.brandName, weight: "bold", size: 14, colour: primary, y: pageHeight - 120, maxWidth: fullWidth },
    { text: t.title, weight: "bold", size: 30, colour: ink, y: pageHeight - 170 },
    { text: t.lead, weight: "regular", size: 13, colour: muted, y: pageHeight - 255 },
    { text: `${input.displayName}${t.honorific}`, weight: "bold", size: 40, colour: ink, y: pageHeight - 315, maxWidth: fullWidth - 40 },
    { text: t.statement, weight: "regular", size: 13, colour: muted, y: pageHeight - 385, maxWidth: fullWidth },
    { text: input.programmeName, weight: "bold", size: 20, colour: primary, y: pageHeight - 425, maxWidth: fullWidth },
  ];
  const dateColumns = [
    { label: t.issued, value: longDate(input.issuedAt, input.locale, timeZone), x: pageWidth / 2 - 110 },
    { label: t.validUntil, value: until, x: pageWidth / 2 + 110 },
  ];
  const footer: (Line & { x: number })[] = [
    { text: t.issuer, weight: "regular", size: 9, colour: muted, x: margin + 12, y: 178 },
    { text: input.brandName, weight: "bold", size: 13, colour: ink, x: margin + 12, y: 160, maxWidth: 300 },
    { text: `${t.serial} ${input.code}`, weight: "regular", size: 10, colour: ink, x: margin + 12, y: 120, maxWidth: 300 },
    { text: input.verifyUrl, weight: "regular", size: 8, colour: muted, x: margin + 12, y: 104, maxWidth: 300 },
  ];

  const doc = await PDFDocument.create();
  doc.registerFontkit(upstreamFontkit);
  const fonts = {} as Record<Weight, PDFFont>;
  for (const weight of ["regular", "bold"] as const) {
    fonts[weight] = await doc.embedFont(await loadFont(weight), {
      subset: true,
      customName: `${subsetTag(`${weight}\n${JSON.stringify(input)}`)}+${fontFiles[weight].postscriptName}`,
    });
  }

  doc.setTitle(`${t.title}: ${input.displayName}`);
  doc.setAuthor(input.brandName);
  doc.setSubject(input.programmeName);
  doc.setCreator(input.brandName);
  // The issue date, not the time of the download: the same certificate is the same file.
  doc.setCreationDate(input.issuedAt);
  doc.setModificationDate(input.issuedAt);

  const page = doc.addPage(PageSizes.A4);
  drawBorder(page, primary);
  for (const line of centred) drawCentred(page, fonts, line, pageWidth / 2);
  const rule = { start: { x: pageWidth / 2 - 150, y: pageHeight - 335 }, end: { x: pageWidth / 2 + 150, y: pageHeight - 335 } };
  page.drawLine({ ...rule, thickness: 0.75, color: muted });
  for (const column of dateColumns) {
    drawCentred(page, fonts, { text: column.label, weight: "regular", size: 10, colour: muted, y: 330 }, column.x);
    drawCentred(page, fonts, { text: column.value, weight: "bold", size: 14, colour: ink, y: 310, maxWidth: 200 }, column.x);
  }
  for (const line of footer) page.drawText(line.text, { x: line.x, y: line.y, size: fitSize(fonts[line.weight], line), font: fonts[line.weight], color: line.colour });
  drawQrCode(page, input.verifyUrl, { right: pageWidth - margin - 12, bottom: 112, size: 96 });
  drawCentred(page, fonts, { text: t.scan, weight: "regular", size: 8, colour: muted, y: 98 }, pageWidth - margin - 12 - 48);

  return new Uint8Array(await doc.save());
}

/** The largest size up to the line's own at which the text fits its width: long names shrink, never overflow. */
function fitSize(font: PDFFont, line: Line) {
  if (!line.maxWidth) return line.size;
  const width = font.widthOfTextAtSize(line.text, line.size);
  return width <= line.maxWidth ? line.size : Math.max(6, (line.size * line.maxWidth) / width);
}

function drawCentred(page: PDFPage, fonts: Record<Weight, PDFFont>, line: Line, centreX: number) {
  if (!line.text) return;
  const font = fonts[line.weight];
  const size = fitSize(font, line);
  const x = centreX - font.widthOfTextAtSize(line.text, size) / 2;
  page.drawText(line.text, { x, y: line.y, size, font, color: line.colour });
}

/** A heavy outer frame and a hairline inside it, in the brand's colour. */
function drawBorder(page: PDFPage, colour: RGB) {
  const frame = (inset: number, borderWidth: number) =>
    page.drawRectangle({ x: inset, y: inset, width: pageWidth - 2 * inset, height: pageHeight - 2 * inset, borderColor: colour, borderWidth });
  frame(28, 4);
  frame(38, 0.75);
}

/** The QR code as vector squares (one path, a run of dark modules per row), sharp at any print size. */
function drawQrCode(page: PDFPage, url: string, box: { right: number; bottom: number; size: number }) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  let path = "";
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      const start = col;
      while (col + 1 < modules.size && modules.get(row, col + 1)) col++;
      path += `M${start} ${row}h${col - start + 1}v1h${-(col - start + 1)}z`;
    }
  }
  const scale = box.size / modules.size;
  // drawSvgPath takes the top-left corner and draws downwards, as SVG does.
  page.drawSvgPath(path, { x: box.right - box.size, y: box.bottom + box.size, scale, color: ink });
}
