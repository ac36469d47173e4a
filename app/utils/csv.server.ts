// CSV out: RFC 4180 through csv-stringify, with spreadsheet formulas defused.
import { stringify } from "csv-stringify/sync";

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in Excel or
 * Sheets: prefix it with an apostrophe. Plain numbers such as -1500 are numbers, not formulas, and stay.
 */
export function escapeFormula(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) return `'${text}`;
  return text;
}

export function csvLines(rows: (string | number | null | undefined)[][]): string {
  return stringify(rows.map((row) => row.map(escapeFormula)));
}

/**
 * A streamed CSV download: header, then batches of rows, UTF-8. With `bom` a byte-order mark goes
 * first, which Excel needs to read Japanese text right (other tools prefer the file without it).
 */
export function csvResponse(
  fileName: string,
  header: readonly string[],
  batches: AsyncIterable<(string | number | null)[][]>,
  options: { bom?: boolean } = {},
) {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode((options.bom ? "\uFEFF" : "") + csvLines([[...header]])));
    },
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(csvLines(value)));
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
