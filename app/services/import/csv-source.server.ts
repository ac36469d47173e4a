// Streaming CSV reader for the customer/purchase import: bytes in, header + records out, in bounded
// memory whatever the file size.
//
//   source bytes ─┬─ sniff (first ≥ 64 KiB): BOM / valid UTF-8 → utf-8, else cp932; delimiter from the header line
//                 └─ utf-8: bytes as they are │ cp932: iconv-lite streaming decoder → csv-parse (Transform) → records
//
// Back-pressure: records are pulled through an async generator; csv-parse only reads on when its
// readable side is drained, and the pipe only pulls the source when csv-parse's writable side has room.
// So memory holds a few chunks and the records of one chunk, never the file.
import { Readable, pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import iconv from "iconv-lite";

export type CsvEncoding = "utf-8" | "cp932";
export type CsvDelimiter = "," | "\t";

export interface CsvRecord {
  /** Spreadsheet row number: the header is row 1, the first data row 2 (see `recordStream`). */
  row: number;
  values: string[];
}

export interface CsvSource {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Raw header cells, BOM stripped. Empty when the file has no rows at all. */
  headers: string[];
  /**
   * Data rows, streamed; throws ImportFileError on malformed CSV. A caller that stops early (for
   * instance because the header mapping failed) should call `records.return()` to release the source.
   */
  records: AsyncGenerator<CsvRecord>;
}

/** What exactly is wrong with a file that cannot be read (the reason shown to users is always malformed_csv). */
export type ImportFileProblem =
  | "unclosed_quote"
  | "invalid_quote"
  | "row_too_large"
  | "invalid_encoding"
  | "unsupported_format"
  | "malformed";

/** The file as a whole cannot be read as CSV. `row` is the spreadsheet row where it went wrong, when known. */
export class ImportFileError extends Error {
  readonly reason = "malformed_csv" as const;
  constructor(
    message: string,
    readonly row: number | null,
    readonly problem: ImportFileProblem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ImportFileError";
  }
}

/** Bytes read before deciding the encoding. */
const SNIFF_BYTES = 64 * 1024;
/** While the sample is pure ASCII it says nothing about the encoding: read on, up to this much. */
const SNIFF_ASCII_BYTES = 1024 * 1024;
/**
 * Longest row csv-parse will buffer (bytes). Without a bound an unclosed quote near the top of a
 * huge file would swallow the rest of the file into one field.
 */
export const MAX_ROW_BYTES = 1024 * 1024;

export type Chunk = Uint8Array | string;

export function toBuffer(chunk: Chunk): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export function hasNonAscii(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] > 0x7f) return true;
  return false;
}

/**
 * Valid UTF-8? With `stream: true` a multi-byte character cut at the end of the sample waits for
 * bytes that will never come instead of counting as invalid; at the true end of input it must be whole.
 */
export function isUtf8Sample(sample: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** Tab if the first non-blank line (the header) has more tabs than commas outside quotes, else comma. */
export function detectDelimiter(text: string): CsvDelimiter {
  let tabs = 0;
  let commas = 0;
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted; // a doubled quote toggles twice: still right
    else if (quoted) continue;
    else if (c === 0x0a || c === 0x0d) {
      if (content) break;
      continue;
    } else if (c === 0x09) tabs++;
    else if (c === 0x2c) commas++;
    content = true;
  }
  return tabs > commas ? "\t" : ",";
}

function unsupportedFormat(sample: Buffer): string | null {
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))
    return "The file is UTF-16 text (Excel's “Unicode text”); save it as “CSV UTF-8” or “CSV”.";
  if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04)
    return "The file is an Excel workbook (or another ZIP file), not CSV; save it as “CSV UTF-8” or “CSV”.";
  if (sample[0] === 0xd0 && sample[1] === 0xcf && sample[2] === 0x11 && sample[3] === 0xe0)
    return "The file is an old Excel workbook (.xls), not CSV; save it as “CSV UTF-8” or “CSV”.";
  return null;
}

function describeCsvError(e: CsvError, row: number): [string, ImportFileProblem] {
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return [`Row ${row}: a quoted field is never closed (a closing " is missing).`, "unclosed_quote"];
    case "CSV_INVALID_CLOSING_QUOTE":
      return [
        `Row ${row}: unexpected text after a closing quote; a " inside a quoted field must be doubled ("").`,
        "invalid_quote",
      ];
    case "INVALID_OPENING_QUOTE":
      return [
        `Row ${row}: a " appears inside a field that is not quoted; quote the field and double the " inside it.`,
        "invalid_quote",
      ];
    case "CSV_MAX_RECORD_SIZE":
      return [
        `Row ${row}: the row is longer than ${MAX_ROW_BYTES / 1024 / 1024} MiB; most likely a quote is not closed.`,
        "row_too_large",
      ];
    default:
      return [`Row ${row}: the file cannot be read as CSV (${e.message}).`, "malformed"];
  }
}

/**
 * Wraps csv-parse's output into CsvRecords.
 *
 * Row numbers: the brief asked for `row = record index + 2` (header row 1), which is right as long as
 * every record is one spreadsheet row: a quoted field spanning several lines is still one record, so
 * counting records (not lines, which is what csv-parse's `info.lines` counts) keeps rows right after
 * multi-line fields. The one case where the index alone goes wrong is a blank line, which a
 * spreadsheet shows as an empty row: so csv-parse runs with `skip_empty_lines: false` and the fully
 * empty records ([""]) are dropped here but still counted. Without blank lines this is exactly
 * index + 2.
 */
async function* recordStream(
  parser: AsyncIterable<string[]> & { destroy(): void },
  input: { destroy(): void },
  encoding: CsvEncoding,
): AsyncGenerator<CsvRecord> {
  let row = 0;
  try {
    for await (const values of parser) {
      row++;
      if (values.length === 1 && values[0] === "") continue; // blank line
      for (let i = 0; i < values.length; i++) {
        // U+FFFD is what both decoders produce for bytes that are not valid in the detected encoding:
        // a file that changes encoding after the sniffed sample, or a corrupt one.
        if (values[i].indexOf("\uFFFD") !== -1) {
          const name = encoding === "utf-8" ? "UTF-8" : "Shift_JIS (CP932)";
          throw new ImportFileError(
            `Row ${row}: contains bytes that are not valid ${name} text; save the whole file in one encoding (“CSV UTF-8” is best).`,
            row,
            "invalid_encoding",
          );
        }
      }
      yield { row, values };
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    if (e instanceof CsvError) {
      // csv-parse counts finished records (blank lines included): the failing one is the next row.
      const records = (e as CsvError & { records?: unknown }).records;
      const at = typeof records === "number" ? records + 1 : row + 1;
      const [message, problem] = describeCsvError(e, at);
      throw new ImportFileError(message, at, problem, { cause: e });
    }
    throw e; // I/O errors of the source: not a CSV problem
  } finally {
    parser.destroy();
    input.destroy();
  }
}

export async function readCsv(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): Promise<CsvSource> {
  const it = (source as AsyncIterable<Chunk>)[Symbol.asyncIterator]();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await it.return?.();
  };

  // 1. Sample.
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  let nonAscii = false;
  try {
    while (size < SNIFF_BYTES || (!nonAscii && size < SNIFF_ASCII_BYTES)) {
      const r = await it.next();
      if (r.done) {
        ended = true;
        break;
      }
      const buf = toBuffer(r.value);
      if (buf.length === 0) continue;
      head.push(buf);
      size += buf.length;
      if (!nonAscii) nonAscii = hasNonAscii(buf);
    }
  } catch (e) {
    await release().catch(() => {});
    throw e;
  }
  let sample = head.length === 1 ? head[0] : Buffer.concat(head, size);
  head.length = 0;

  const unsupported = unsupportedFormat(sample);
  if (unsupported !== null) {
    await release().catch(() => {});
    throw new ImportFileError(unsupported, null, "unsupported_format");
  }

  // 2. Encoding.
  let encoding: CsvEncoding;
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    encoding = "utf-8";
    sample = sample.subarray(3);
  } else {
    encoding = isUtf8Sample(sample, ended) ? "utf-8" : "cp932";
  }

  // 3. Delimiter, from the sample's first line.
  const decoder = encoding === "cp932" ? iconv.getDecoder("cp932") : null;
  const firstText = decoder !== null ? decoder.write(sample) : null;
  const delimiter = detectDelimiter(firstText ?? sample.toString("utf8", 0, Math.min(sample.length, SNIFF_BYTES)));

  // 4. Parse. UTF-8 bytes go to csv-parse as they are (it splits on ASCII bytes and decodes whole
  // fields, so a character cut between chunks is fine); CP932 is decoded first: csv-parse can't, and
  // iconv-lite's streaming decoder keeps a double-byte character cut between chunks.
  async function* bytes(): AsyncGenerator<Buffer> {
    try {
      if (decoder === null) {
        if (sample.length > 0) yield sample;
        if (ended) return;
        for (let r = await it.next(); !r.done; r = await it.next()) {
          const buf = toBuffer(r.value);
          if (buf.length > 0) yield buf;
        }
      } else {
        if (firstText) yield Buffer.from(firstText, "utf8");
        if (!ended) {
          for (let r = await it.next(); !r.done; r = await it.next()) {
            const text = decoder.write(toBuffer(r.value));
            if (text) yield Buffer.from(text, "utf8");
          }
        }
        const rest = decoder.end();
        if (rest) yield Buffer.from(rest, "utf8");
      }
    } finally {
      await release();
    }
  }

  const parser = parse({
    delimiter,
    quote: '"',
    escape: '"',
    relax_column_count: true, // a row with the wrong cell count is the validator's to report
    skip_empty_lines: false, // blank lines are dropped in recordStream, where they still count as rows
    trim: false,
    bom: false, // stripped above
    max_record_size: MAX_ROW_BYTES,
  });
  const input = Readable.from(bytes());
  // pipeline destroys every stream on the first error, so a source error reaches the parser's iterator.
  pipeline(input, parser, () => {});

  const records = recordStream(parser, input, encoding);
  const first = await records.next();
  const headers = first.done ? [] : first.value.values;
  if (headers.length > 0 && headers[0].charCodeAt(0) === 0xfeff) headers[0] = headers[0].slice(1);
  return { encoding, delimiter, headers, records };
}
