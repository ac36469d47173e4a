// A fast reader for the CSV files most imports are: the same records as `readCsv` (csv-parse), at
// several times its speed, for the part of RFC 4180 that files exported by spreadsheets and shop
// systems use. It cuts lines with `indexOf` and cells with `split`, and follows quoted cells ("1,200",
// "say ""hi""", quoted line breaks) with a small state machine.
//
// It never reports a problem itself: whatever it is not sure to read exactly as csv-parse would (a
// stray quote, a carriage return that is not part of the file's line ends, a replacement character,
// a very long row, a file that is not text) makes it throw `NeedsFullParser`, and the caller reads the
// file again with `readCsv`, which is the one place where malformed files are described to users.
// tests/unit/fast-csv.test.ts compares the two readers on generated files, byte for byte.
//
// The sniffing (encoding, delimiter) is the same as `readCsv`'s, step for step.
import { StringDecoder } from "node:string_decoder";
import iconv from "iconv-lite";
import { detectDelimiter, hasNonAscii, isUtf8Sample, toBuffer, type Chunk, type CsvDelimiter, type CsvEncoding, type CsvRecord } from "./csv-source.server";

/** The file needs the full parser (csv-parse): read it again with `readCsv`. */
export class NeedsFullParser extends Error {
  constructor(readonly why: string) {
    super(`needs the full CSV parser: ${why}`);
    this.name = "NeedsFullParser";
  }
}

export interface FastCsvSource {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Raw header cells; empty when the file has no rows at all. */
  headers: string[];
  /** Bytes of the sniffed sample and how many lines it held (an estimate of the file's row count). */
  sample: { bytes: number; lines: number };
  /** Data rows in file order, a batch per chunk read. Throws NeedsFullParser. */
  batches: AsyncGenerator<CsvRecord[]>;
}

// The same constants as readCsv's.
const SNIFF_BYTES = 64 * 1024;
const SNIFF_ASCII_BYTES = 1024 * 1024;
/** Characters tokenized per batch. */
const PIECE = 64 * 1024;
/** Rows longer than this (UTF-16 units; at most 3 bytes each, under csv-parse's 1 MiB) go to csv-parse. */
const MAX_ROW_CHARS = 256 * 1024;

function unsupportedFormat(sample: Buffer): boolean {
  return (
    (sample[0] === 0xff && sample[1] === 0xfe) ||
    (sample[0] === 0xfe && sample[1] === 0xff) ||
    (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) ||
    (sample[0] === 0xd0 && sample[1] === 0xcf && sample[2] === 0x11 && sample[3] === 0xe0)
  );
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Text in, records out. Line ends are those of the first line (LF or CRLF), as csv-parse settles on
 * the first one it meets; any other carriage return or line feed is left to csv-parse.
 */
export class FastTokenizer {
  /** Records seen, blank lines included: the spreadsheet row of the last one (csv-parse's count). */
  row = 0;
  private rest = "";
  /** null until the first line end. */
  private crlf: boolean | null = null;
  private readonly delimiterCode: number;

  constructor(private readonly delimiter: CsvDelimiter) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Appends the records completed by `chunk` (all of them when `final`) to `out`. */
  push(chunk: string, final: boolean, out: CsvRecord[]): void {
    const text = this.rest.length > 0 ? this.rest + chunk : chunk;
    this.rest = "";
    const n = text.length;
    if (text.indexOf("\uFFFD") !== -1) throw new NeedsFullParser("replacement character (bytes not valid in the encoding)");
    let nextQuote = text.indexOf('"');
    if (nextQuote === -1) nextQuote = n;
    let nextCr = text.indexOf("\r");
    if (nextCr === -1) nextCr = n;
    let pos = 0;
    while (pos < n) {
      let nl = text.indexOf("\n", pos);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      if (nl - pos > MAX_ROW_CHARS) throw new NeedsFullParser("very long row");
      if (nextQuote < nl) {
        const next = this.quotedRecord(text, pos, final, out);
        if (next === -1) break; // the record goes on in the next chunk
        pos = next;
        nextQuote = text.indexOf('"', pos);
        if (nextQuote === -1) nextQuote = n;
        nextCr = text.indexOf("\r", pos);
        if (nextCr === -1) nextCr = n;
        continue;
      }
      let end = nl;
      if (nextCr < nl) {
        // Only as the CR of a CRLF line end.
        if (nextCr !== nl - 1 || nl === n || this.crlf === false) throw new NeedsFullParser("carriage return inside a row");
        this.crlf = true;
        end = nl - 1;
        nextCr = text.indexOf("\r", nl);
        if (nextCr === -1) nextCr = n;
      } else if (nl < n) {
        if (this.crlf === true) throw new NeedsFullParser("line feed without carriage return in a CRLF file");
        this.crlf = false;
      }
      this.row++;
      if (end > pos) out.push({ row: this.row, values: text.slice(pos, end).split(this.delimiter) }); // else a blank line
      pos = nl + 1;
    }
    if (pos < n) {
      if (n - pos > MAX_ROW_CHARS) throw new NeedsFullParser("very long row");
      this.rest = text.slice(pos);
    }
  }

  /** Line end at `i`: its length, 0 for none; throws on a CR or LF that does not fit the file's line ends. */
  private lineEnd(text: string, i: number, final: boolean): number {
    const c = text.charCodeAt(i);
    if (c === LF) {
      if (this.crlf === true) throw new NeedsFullParser("line feed without carriage return in a CRLF file");
      this.crlf = false;
      return 1;
    }
    if (c === CR) {
      if (i + 1 >= text.length && !final) return -1;
      if (text.charCodeAt(i + 1) !== LF || this.crlf === false) throw new NeedsFullParser("carriage return inside a row");
      this.crlf = true;
      return 2;
    }
    return 0;
  }

  /**
   * One record with a quote in it, from `pos`: appends it and returns where the next one starts, or -1
   * when the record is not complete in `text` (and more is coming).
   */
  private quotedRecord(text: string, pos: number, final: boolean, out: CsvRecord[]): number {
    const n = text.length;
    const values: string[] = [];
    let i = pos;
    for (;;) {
      if (i - pos > MAX_ROW_CHARS) throw new NeedsFullParser("very long row");
      if (i < n && text.charCodeAt(i) === QUOTE) {
        // Quoted cell: "" is a quote; the closing quote is followed by a delimiter, a line end or the end.
        let value = "";
        let from = i + 1;
        let j = from;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1 || (q + 1 >= n && !final)) {
            if (final) throw new NeedsFullParser("quote not closed");
            return -1;
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            j = q + 2;
            from = j;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        if (!this.lineBreaksFit(value)) throw new NeedsFullParser("line break in a quoted cell that differs from the file's line ends");
        values.push(value);
        if (i >= n) {
          if (!final) return -1;
          this.record(values, out);
          return n;
        }
        if (text.charCodeAt(i) === this.delimiterCode) {
          i++;
          continue;
        }
        const eol = this.lineEnd(text, i, final);
        if (eol === -1) return -1;
        if (eol === 0) throw new NeedsFullParser("text after a closing quote");
        this.record(values, out);
        return i + eol;
      }
      // Unquoted cell: up to the next delimiter or line end; no quote in it.
      let stop = i;
      while (stop < n) {
        const c = text.charCodeAt(stop);
        if (c === this.delimiterCode || c === LF || c === CR) break;
        if (c === QUOTE) throw new NeedsFullParser("quote inside an unquoted cell");
        stop++;
      }
      if (stop >= n && !final) return -1;
      values.push(text.slice(i, stop));
      if (stop >= n) {
        this.record(values, out);
        return n;
      }
      if (text.charCodeAt(stop) === this.delimiterCode) {
        i = stop + 1;
        continue;
      }
      const eol = this.lineEnd(text, stop, final);
      if (eol === -1) return -1;
      this.record(values, out);
      return stop + eol;
    }
  }

  /** A record counts as a row; one that is a single empty cell ("" alone on a line) is dropped like a blank line, as readCsv does. */
  private record(values: string[], out: CsvRecord[]) {
    this.row++;
    if (values.length !== 1 || values[0] !== "") out.push({ row: this.row, values });
  }

  /** Line breaks inside a quoted cell: only the file's own line end (known by then, or none at all). */
  private lineBreaksFit(value: string): boolean {
    const cr = value.indexOf("\r");
    const lf = value.indexOf("\n");
    if (cr === -1 && lf === -1) return true;
    if (this.crlf === null) return false;
    if (this.crlf === false) return cr === -1;
    // CRLF: every CR followed by LF and every LF preceded by CR.
    for (let k = 0; k < value.length; k++) {
      const c = value.charCodeAt(k);
      if (c === CR && value.charCodeAt(k + 1) !== LF) return false;
      if (c === LF && value.charCodeAt(k - 1) !== CR) return false;
    }
    return true;
  }
}

/** Like `readCsv`, for the files the fast tokenizer can read; throws NeedsFullParser for the others. */
export async function readCsvFast(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): Promise<FastCsvSource> {
  const it = (source as AsyncIterable<Chunk>)[Symbol.asyncIterator]();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await it.return?.();
  };
  try {
    // 1. Sample, 2. encoding, 3. delimiter: exactly as readCsv.
    const head: Buffer[] = [];
    let size = 0;
    let ended = false;
    let nonAscii = false;
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
    let sample = head.length === 1 ? head[0] : Buffer.concat(head, size);
    head.length = 0;
    if (unsupportedFormat(sample)) throw new NeedsFullParser("not a text file");
    let encoding: CsvEncoding;
    if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
      encoding = "utf-8";
      sample = sample.subarray(3);
    } else {
      encoding = isUtf8Sample(sample, ended) ? "utf-8" : "cp932";
    }
    const cp932 = encoding === "cp932" ? iconv.getDecoder("cp932") : null;
    const firstText = cp932 !== null ? cp932.write(sample) : null;
    const delimiter = detectDelimiter(firstText ?? sample.toString("utf8", 0, Math.min(sample.length, SNIFF_BYTES)));
    const utf8 = cp932 === null ? new StringDecoder("utf8") : null;
    const decode = (buf: Buffer): string => (cp932 !== null ? cp932.write(buf) : utf8!.write(buf));
    const decodeEnd = (): string => (cp932 !== null ? (cp932.end() ?? "") : utf8!.end());

    let lines = 0;
    for (let i = sample.indexOf(LF); i !== -1; i = sample.indexOf(LF, i + 1)) lines++;

    // 4. Records. The header is the first record that is not a blank line.
    const tokenizer = new FastTokenizer(delimiter);
    let pending: CsvRecord[] = [];
    const first = firstText ?? decode(sample);
    tokenizer.push(ended ? first + decodeEnd() : first, ended, pending);
    let done = ended;
    while (pending.length === 0 && !done) {
      const r = await it.next();
      if (r.done) {
        done = true;
        tokenizer.push(decodeEnd(), true, pending);
      } else {
        tokenizer.push(decode(toBuffer(r.value)), false, pending);
      }
    }
    const headers = pending.length > 0 ? pending[0].values : [];
    if (headers.length > 0 && headers[0].charCodeAt(0) === 0xfeff) headers[0] = headers[0].slice(1);
    pending = pending.slice(1);

    // Batches of at most PIECE characters' worth of records: records are short-lived objects, and a
    // young generation that holds few of them at a time is cheap to collect (a megabyte's worth of
    // records per batch made garbage collection cost more than reading).
    async function* batches(): AsyncGenerator<CsvRecord[]> {
      try {
        if (pending.length > 0) yield pending;
        while (!done) {
          const r = await it.next();
          let text: string;
          if (r.done) {
            done = true;
            text = decodeEnd();
          } else {
            text = decode(toBuffer(r.value));
          }
          for (let at = 0; at < text.length || (done && at === 0); at += PIECE) {
            const out: CsvRecord[] = [];
            const end = Math.min(text.length, at + PIECE);
            tokenizer.push(text.slice(at, end), done && end === text.length, out);
            if (out.length > 0) yield out;
          }
        }
      } finally {
        await release();
      }
    }
    return { encoding, delimiter, headers, sample: { bytes: size, lines }, batches: batches() };
  } catch (e) {
    await release().catch(() => {});
    throw e;
  }
}
