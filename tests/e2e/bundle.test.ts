// What the browser downloads: the client build (public/build, made by `npm run build` before the e2e
// project runs) holds no server-side code. The database schema (drizzle's pg-core) once came along
// with the CPM segment list into the behaviour and customer pages (issue 15 item 4).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("the browser bundle", () => {
  it("carries no database code", () => {
    const scripts = files("public/build").filter((f) => f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(10);
    // drizzle's entity names survive minification (they are strings); postgres.js and PGlite name themselves.
    const serverMarkers = ["PgMaterializedView", "PgColumn", "PgDialect", "PGlite", "postgres.js"];
    const found = scripts.flatMap((f) => {
      const text = fs.readFileSync(f, "utf8");
      return serverMarkers.filter((m) => text.includes(m)).map((m) => `${path.relative("public/build", f)}: ${m}`);
    });
    expect(found).toEqual([]);
  });
});
