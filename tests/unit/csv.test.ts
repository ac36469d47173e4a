import { describe, expect, it } from "vitest";
import { csvLines, escapeFormula } from "~/utils/csv.server";

describe("spreadsheet formula escaping", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+81 3 1234", "'+81 3 1234"],
    ["-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1", "'\t=1"],
    ["-1500.00", "-1500.00"],
    ["山田 太郎", "山田 太郎"],
    [null, ""],
  ])("%s → %s", (input, expected) => {
    expect(escapeFormula(input)).toBe(expected);
  });

  it("quotes per RFC 4180", () => {
    expect(csvLines([["a,b", 'say "hi"', "line\nbreak", 3]])).toBe('"a,b","say ""hi""","line\nbreak",3\n');
  });
});
