// CSV out: RFC 4180 through csv-stringify, with spreadsheet formulas defused. This module also runs in
// the browser (an import's error report is built in the page), so it uses csv-stringify's browser build,
// which brings its own Buffer; the server's streamed downloads use the Node build (csv.server.ts).
import { stringify } from "csv-stringify/browser/esm/sync";

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
