// The ticket's QR code scans back to the ticket code, through the same decoder the door scanner uses.
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { ticketQrDataUrl, ticketQrSvg } from "~/services/events/ticket-qr.server";

const PIXELS_PER_MODULE = 6;

/**
 * Draws the qrcode library's SVG (a white square, then one stroked path of one-module-high runs: `M x y.5`
 * moves to a row, `h n` paints n modules, `m dx 0` skips) as RGBA pixels for the decoder.
 */
function rasterise(svg: string) {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !path) throw new Error("unexpected SVG shape");
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHhVv])([\d.]+)(?: ([\d.]+))?/g)) {
    const first = Number(a);
    if (command === "M") [x, y] = [first, Number(b)];
    else if (command === "m") [x, y] = [x + first, y + Number(b)];
    else if (command === "h") {
      for (let column = x; column < x + first; column++) dark[Math.floor(y)][column] = true;
      x += first;
    } else throw new Error(`unexpected path command ${command}`);
  }
  const width = size * PIXELS_PER_MODULE;
  const pixels = new Uint8ClampedArray(width * width * 4);
  for (let row = 0; row < width; row++) {
    for (let column = 0; column < width; column++) {
      const value = dark[Math.floor(row / PIXELS_PER_MODULE)][Math.floor(column / PIXELS_PER_MODULE)] ? 0 : 255;
      pixels.set([value, value, value, 255], (row * width + column) * 4);
    }
  }
  return { pixels, width };
}

function scan(svg: string) {
  const { pixels, width } = rasterise(svg);
  return jsQR(pixels, width, width)?.data;
}

describe("ticket QR code", () => {
  it.each(["AAAAAAAAAAAAAAAAAAAAAA", "q7Xk-2_bZ9vLw0PmN4sT8uYc", "x".repeat(64) + "-_0aZ".repeat(4)])(
    "scans back to %s",
    async (code) => {
      const svg = await ticketQrSvg(code);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(scan(svg)).toBe(code);
    },
  );

  it("keeps a quiet zone of two modules", async () => {
    const svg = await ticketQrSvg("q7Xk-2_bZ9vLw0PmN4sT8uYc");
    expect(svg).toContain('d="M2 2.5h7');
  });

  it("gives the same SVG as a base64 data URL for an <img>", async () => {
    const code = "q7Xk-2_bZ9vLw0PmN4sT8uYc";
    const url = await ticketQrDataUrl(code);
    const prefix = "data:image/svg+xml;base64,";
    expect(url.startsWith(prefix)).toBe(true);
    const svg = Buffer.from(url.slice(prefix.length), "base64").toString("utf8");
    expect(svg).toBe(await ticketQrSvg(code));
    expect(scan(svg)).toBe(code);
  });

  it.each(["", "too-short", "has spaces in it and is long enough", "https://portal.example.com/e/abc"])(
    "refuses %j, which is not a ticket code",
    async (code) => {
      await expect(ticketQrSvg(code)).rejects.toThrow("Not a ticket code");
    },
  );
});
