// Failed queries reach the log without their parameters (issue 14 item 10): what the portal logs for a
// query that failed on the real database (PGlite, and PostgreSQL with TEST_DATABASE_URL), through the
// same helper entry.server, the mail worker and the answer endpoint use.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../../db/client.server";
import { handleError } from "~/entry.server";
import { useTestDatabase } from "../setup/db";

describe("the error log", () => {
  useTestDatabase();
  afterEach(() => vi.restoreAllMocks());

  it("names the failed statement, the database's reason and where, but not the values it was given", async () => {
    const secret = "hanako.secret@example.com";
    const token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg";
    const failures = [
      await getDb().execute(sql`select ${secret}::int as n`).catch((e: unknown) => e),
      await getDb().execute(sql`select * from customers where email = ${token} and no_such_column = 1`).catch((e: unknown) => e),
    ];
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    for (const error of failures) {
      expect(error).toBeInstanceOf(Error);
      handleError(error, { request: new Request("http://portal.test/staff/customers?q=x", { method: "GET" }) });
    }
    expect(logged).toHaveLength(2);
    for (const line of logged) {
      expect(line).toMatch(/^GET \/staff\/customers: Failed query: select/);
      expect(line).not.toContain(secret);
      expect(line).not.toContain(token);
      expect(line).toMatch(/\n\s+at /); // where it happened
    }
    expect(logged[0]).toMatch(/Caused by: .*\[22P02\]: invalid input syntax for type integer: "…"/);
    expect(logged[1]).toMatch(/Caused by: .*\[42703\]: column "no_such_column" does not exist/);
  });
});
