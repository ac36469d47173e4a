// The fast CSV reader must give exactly readCsv's (csv-parse's) records whenever it gives any; for the
// rest it must hand over (NeedsFullParser). Checked on hand-written files and on many generated ones.
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectDelimiter, readCsv, type CsvRecord } from "~/services/import/csv-source.server";
import { FastTokenizer, NeedsFullParser, readCsvFast } from "~/services/import/fast-csv.server";

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

type Read = { encoding: string; delimiter: string; headers: string[]; rows: CsvRecord[] } | { error: string };

async function slow(bytes: Uint8Array, chunk = 64 * 1024): Promise<Read> {
  try {
    const source = await readCsv(chunked(bytes, chunk));
    const rows: CsvRecord[] = [];
    for await (const r of source.records) rows.push(r);
    return { encoding: source.encoding, delimiter: source.delimiter, headers: source.headers, rows };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function fast(bytes: Uint8Array, chunk = 64 * 1024): Promise<Read | "handed over"> {
  try {
    const source = await readCsvFast(chunked(bytes, chunk));
    const rows: CsvRecord[] = [];
    for await (const batch of source.batches) rows.push(...batch);
    return { encoding: source.encoding, delimiter: source.delimiter, headers: source.headers, rows };
  } catch (e) {
    if (e instanceof NeedsFullParser) return "handed over";
    throw e;
  }
}

/** Fast either hands over or reads exactly what readCsv reads. */
async function same(bytes: Uint8Array, chunk?: number): Promise<"read" | "handed over"> {
  const f = await fast(bytes, chunk);
  if (f === "handed over") return f;
  expect(f).toEqual(await slow(bytes, chunk));
  return "read";
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

describe("fast CSV reader", () => {
  it.each([
    ["plain", "customer_id,purchased_at,amount\nC1,2024-01-05,100\nC2,2024-01-06,200\n"],
    ["CRLF", "customer_id,purchased_at,amount\r\nC1,2024-01-05,100\r\nC2,2024-01-06,200\r\n"],
    ["no final line end", "a,b\nc,d"],
    ["quoted cells", 'a,b,c\n"C,1","1,200","say ""hi"""\n"",x,""\n'],
    ["quoted line break (LF)", 'a,b\n"two\nlines",x\ny,z\n'],
    ["quoted line break (CRLF)", 'a,b\r\n"two\r\nlines",x\r\ny,z\r\n'],
    ["blank lines", "a,b\n\nc,d\n\n\ne,f\n"],
    ["blank line before the header", "\na,b\nc,d\n"],
    ["quoted empty line", 'a,b\n""\nc,d\n'],
    ["BOM", "\uFEFFa,b\nc,d\n"],
    ["tabs", "顧客ID\t購入日\t金額\nC1\t2024/1/5\t￥1,200\n"],
    ["ragged rows", "a,b,c\n1\n1,2,3,4\n,,\n"],
    ["trailing delimiter", "a,b,\n1,2,\n"],
    ["header only", "a,b\n"],
    ["empty", ""],
  ])("reads %s exactly as csv-parse", async (_name, text) => {
    expect(await same(utf8(text))).toBe("read");
    expect(await same(utf8(text), 3)).toBe("read");
  });

  it("reads Shift_JIS files exactly as csv-parse", async () => {
    const text = "顧客ID,購入日,金額,店舗\r\nC001,2024/1/5,\"￥1,200\",渋谷店\r\nC002,2024-02-10,５００,ソウル ～ 表示\r\n";
    const bytes = iconv.encode(text, "cp932");
    expect(await same(bytes)).toBe("read");
    expect(await same(bytes, 5)).toBe("read");
    const f = await fast(bytes);
    expect(f).toMatchObject({ encoding: "cp932", headers: ["顧客ID", "購入日", "金額", "店舗"] });
  });

  it.each([
    ["a quote inside an unquoted cell", 'a,b\nx"y,z\n'],
    ["text after a closing quote", 'a,b\n"x"y,z\n'],
    ["an unclosed quote", 'a,b\n"x,z\n'],
    ["a lone carriage return", "a,b\nc\rd,e\n"],
    ["mixed line ends", "a,b\r\nc,d\ne,f\r\n"],
    ["a replacement character", "a,b\nc,\uFFFD\n"],
    ["a space before a quote", 'a,b\nc, "d"\n'],
    ["a UTF-16 file", "\uFEFFa,b"],
  ])("hands over %s", async (name, text) => {
    const bytes = name === "a UTF-16 file" ? Buffer.from(text, "utf16le") : utf8(text);
    expect(await same(bytes)).toBe("handed over");
  });

  it("hands over invalid UTF-8 after the sample, as csv-parse reports it", async () => {
    const head = "a,b\n" + "é,x\n".repeat(20_000); // > 64 KiB of valid UTF-8
    const bytes = Buffer.concat([utf8(head), Buffer.from([0x43, 0x2c, 0xff, 0x0a])]);
    expect(await same(bytes)).toBe("handed over");
    expect(await slow(bytes)).toMatchObject({ error: expect.stringContaining("not valid UTF-8") });
  });

  it("reads large files across chunk boundaries exactly as csv-parse", async () => {
    const rows = ["customer_id,purchased_at,amount,store"];
    for (let i = 0; i < 30_000; i++) rows.push(`C${i},2024-01-${String((i % 28) + 1).padStart(2, "0")},"${i},000",${i % 7 === 0 ? '"渋谷\n店"' : "梅田店"}`);
    const bytes = utf8(rows.join("\n") + "\n");
    for (const size of [1000, 4093, 65536]) expect(await same(bytes, size)).toBe("read");
    const crlf = utf8(rows.join("\r\n").replaceAll('"渋谷\n店"', '"渋谷\r\n店"') + "\r\n");
    expect(await same(crlf, 777)).toBe("read");
  });

  it("agrees with csv-parse on thousands of generated files", async () => {
    // A tiny PRNG so failures reproduce.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const cellParts = ["a", "b", "1", " ", "é", "渋", ",", "\t", '"', '""', "\n", "\r\n", "\r", "x y"];
    let read = 0;
    let handed = 0;
    for (let n = 0; n < Number(process.env.FUZZ_N ?? 3000); n++) {
      const delimiter = rand() < 0.8 ? "," : "\t";
      const eol = rand() < 0.7 ? "\n" : "\r\n";
      const lines: string[] = [];
      const rowCount = 1 + Math.floor(rand() * 6);
      for (let r = 0; r < rowCount; r++) {
        const cells: string[] = [];
        const cellCount = Math.floor(rand() * 4) + (rand() < 0.1 ? 0 : 1);
        for (let c = 0; c < cellCount; c++) {
          let cell = "";
          const len = Math.floor(rand() * 4);
          const messy = rand() < 0.15;
          for (let k = 0; k < len; k++) cell += messy ? pick(cellParts) : pick(["a", "b", "1", " ", "é", "渋", "x y"]);
          if (rand() < 0.3) {
            const inner = rand() < 0.5 ? cell.replaceAll('"', '""') : cell;
            cell = `"${inner}${rand() < 0.3 ? pick([",", "\n", eol, '""']) : ""}"`;
          }
          cells.push(cell);
        }
        lines.push(cells.join(delimiter));
      }
      const text = lines.join(eol) + (rand() < 0.7 ? eol : "");
      const bytes = utf8(text);
      const chunk = 1 + Math.floor(rand() * 8);
      // Through the tokenizer in small chunks (readCsv's sample would swallow a small file whole).
      const fromTokenizer = tokenize(text, detectDelimiter(text), chunk);
      const reference = await slow(bytes);
      if (fromTokenizer === "handed over") handed++;
      else if ("error" in reference) {
        expect({ text, fromTokenizer }).toEqual({ text, fromTokenizer: "handed over" });
      } else {
        read++;
        expect({ text, rows: fromTokenizer.slice(1) }).toEqual({ text, rows: reference.rows });
        expect({ text, headers: fromTokenizer[0]?.values ?? [] }).toEqual({ text, headers: reference.headers });
      }
      const whole = await fast(bytes);
      if (whole !== "handed over") expect({ text, whole }).toEqual({ text, whole: reference });
    }
    if (process.env.FUZZ_N) console.log({ read, handed });
    expect(read).toBeGreaterThan(1000);
    expect(handed).toBeGreaterThan(100);
  });
});

/** Records of `text` fed to the tokenizer `size` characters at a time (the header is the first). */
function tokenize(text: string, delimiter: "," | "\t", size: number): CsvRecord[] | "handed over" {
  const t = new FastTokenizer(delimiter);
  const out: CsvRecord[] = [];
  try {
    for (let i = 0; i < text.length; i += size) t.push(text.slice(i, i + size), false, out);
    t.push("", true, out);
  } catch (e) {
    if (e instanceof NeedsFullParser) return "handed over";
    throw e;
  }
  if (out.length > 0 && out[0].values[0]?.charCodeAt(0) === 0xfeff) out[0].values[0] = out[0].values[0].slice(1);
  return out;
}
