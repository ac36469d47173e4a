// CSV downloads, streamed: csv-stringify's Node build with the formula escaping shared with the browser.
import { stringify } from "csv-stringify/sync";
import { escapeFormula } from "./csv";

export { escapeFormula };

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
