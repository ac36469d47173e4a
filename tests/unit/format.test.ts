// The one percent format (one decimal, both languages), and no page building its own.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatPercent } from "~/utils/format";

describe("formatPercent", () => {
  it("shows a share with exactly one decimal in both languages", () => {
    for (const locale of ["en", "ja"] as const) {
      expect(formatPercent(0.253, { locale })).toBe("25.3%");
      expect(formatPercent(0.54, { locale })).toBe("54.0%");
      expect(formatPercent(1, { locale })).toBe("100.0%");
      expect(formatPercent(0, { locale })).toBe("0.0%");
      expect(formatPercent(0.00049, { locale })).toBe("0.0%");
      expect(formatPercent(0.12345, { locale })).toBe("12.3%");
      expect(formatPercent(12.3456, { locale })).toBe("1,234.6%");
    }
  });

  it("is the only way the pages write a percentage", () => {
    // A figure followed by a literal "%": {x}% in JSX or `${x}%` (other than a bar's CSS width), or toFixed(…) and "%".
    const handBuilt = (line: string) => (/\}%/.test(line) && !/width|height|hsl|style/.test(line)) || (/toFixed\(/.test(line) && line.includes("%"));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith(".tsx")) {
          fs.readFileSync(file, "utf8")
            .split("\n")
            .forEach((line, i) => (handBuilt(line) ? offenders.push(`${path.relative(".", file)}:${i + 1}: ${line.trim()}`) : undefined));
        }
      }
    };
    walk(path.resolve("app/routes"));
    walk(path.resolve("app/components"));
    expect(offenders).toEqual([]);
  });
});
