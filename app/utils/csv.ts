// CSV out: RFC 4180 through csv-stringify, with spreadsheet formulas defused. Shared by the server's
// downloads and the browser's (an import's error report built in the page).
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
