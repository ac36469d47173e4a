// The certificate PDF (issue 17): one A4 page that pdf-lib reads back, with Noto Sans JP embedded as a
// subset whose glyphs are whole (the stale @pdf-lib/fontkit fork left most of them unreadable), and small.
import * as fontkit from "fontkit";
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFObject } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { certificatePdf, type CertificatePdfInput } from "~/services/certificates/pdf.server";

const input: CertificatePdfInput = {
  code: "K7QM-2XRD-9PLA",
  displayName: "山田 花子",
  programmeName: "ハナミズキ・アンバサダープログラム",
  issuedAt: new Date("2025-03-01T00:00:00Z"),
  expiresAt: new Date("2026-03-01T00:00:00Z"),
  verifyUrl: "https://loyalty.example.com/verify/K7QM-2XRD-9PLA",
  locale: "ja",
  brandName: "ハナミズキ化粧品",
};

/** The embedded font programs, by their PDF font names. */
function embeddedFonts(doc: PDFDocument) {
  const fonts: { name: string; program: Uint8Array }[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Type")) !== PDFName.of("FontDescriptor")) continue;
    const stream = doc.context.lookup(object.get(PDFName.of("FontFile2")) as PDFObject);
    expect(stream).toBeInstanceOf(PDFRawStream);
    fonts.push({ name: String(object.get(PDFName.of("FontName"))), program: decodePDFRawStream(stream as PDFRawStream).decode() });
  }
  return fonts;
}

describe("certificate PDF", () => {
  it("is one A4 page that loads back, with subset Japanese fonts, under 1 MB", async () => {
    const pdf = await certificatePdf(input);
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-");
    expect(pdf.byteLength).toBeLessThan(1024 * 1024);

    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(width).toBeCloseTo(595.28, 2);
    expect(height).toBeCloseTo(841.89, 2);
    expect(doc.getAuthor()).toBe(input.brandName);

    const fonts = embeddedFonts(doc);
    // A subset's name starts with a six-letter tag (ISO 32000 §9.6.4).
    for (const font of fonts) expect(font.name).toMatch(/^\/[A-Z]{6}\+NotoSansJP-(Regular|Bold)$/);
    expect(fonts.map((f) => f.name.split("+")[1]).sort()).toEqual(["NotoSansJP-Bold", "NotoSansJP-Regular"]);
    // The full face is over 5 MB; a subset holds only the glyphs drawn.
    for (const font of fonts) expect(font.program.byteLength).toBeLessThan(100_000);
  });

  it("embeds every subset glyph whole: an outline inside the font's box", async () => {
    const doc = await PDFDocument.load(await certificatePdf(input));
    for (const { name, program } of embeddedFonts(doc)) {
      const font = fontkit.create(Buffer.from(program)) as fontkit.Font;
      const empty: number[] = [];
      for (let id = 1; id < font.numGlyphs; id++) {
        const glyph = font.getGlyph(id);
        if (glyph.path.commands.length === 0) empty.push(id);
        expect(glyph.bbox.minY, `${name} glyph ${id}`).toBeGreaterThanOrEqual(font.bbox.minY);
        expect(glyph.bbox.maxY, `${name} glyph ${id}`).toBeLessThanOrEqual(font.bbox.maxY);
      }
      expect(empty.length, `${name}: only the space may be empty`).toBeLessThanOrEqual(1);
    }
  });

  it("draws any display name, in either language, and the same certificate gives the same file", async () => {
    const names = ["髙橋 﨑子", "𠮷田 😀", "Éloïse-Marie de la Fontaine-Dupont Wolfeschlegelsteinhausen-Bergerdorff", ""];
    for (const displayName of names) {
      for (const locale of ["ja", "en"] as const) {
        const pdf = await certificatePdf({ ...input, displayName, locale, expiresAt: null, colours: { primary: "#c0365a" } });
        expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
      }
    }
    expect(await certificatePdf(input)).toEqual(await certificatePdf(input));
  });
});
