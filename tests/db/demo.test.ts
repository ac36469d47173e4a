import { describe, expect, it } from "vitest";
import { customers, outboxMessages, purchases, staffUsers } from "../../db/schema";
import { prepareDemo } from "~/services/demo.server";
import { signIn } from "~/utils/auth.server";
import { parseEnv } from "~/utils/env.server";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client.server";
import { useTestDatabase } from "../setup/db";
import { get } from "../support/requests";

describe("npm run demo on a database", () => {
  const database = useTestDatabase();

  it("creates the demo admin from DEMO_ADMIN_* and loads the data once; a second start reuses it", async () => {
    const env = parseEnv({ DEMO_ADMIN_EMAIL: "owner@example.jp", DEMO_ADMIN_PASSWORD: "omotenashi-2026", PORT: "3999", SESSION_SECRET: "s".repeat(40) });
    const first = await prepareDemo(env);
    expect(first.message).toMatch(/^Demo data loaded: 5000 customers, \d+ purchases/);
    expect(first.signIn).toContain("owner@example.jp / omotenashi-2026");
    // Demo mail for the mailbox: every template, and marketing mail to a customer without consent refused.
    expect(first.message).toMatch(/Demo mail queued: \d+ message\(s\), [1-9]\d* refused for lack of consent/);
    // The loyalty survey: about 1,500 answers that follow behaviour, with spread and some quiet fans.
    expect(first.message).toMatch(/Demo survey: ".+" with 1[45]\d\d responses/);
    const bySegment = await queryRows<{ kind: string; score: number; sd: number }>(
      sql`select split_part(coalesce(m.cpm_segment, 'none'), '_', 1) as kind, avg(r.psych_score)::float8 as score, stddev(r.psych_score)::float8 as sd
          from survey_responses r left join customer_metrics m on m.customer_id = r.customer_id group by 1`,
    );
    const score = Object.fromEntries(bySegment.map((r) => [r.kind, r]));
    expect(score.loyal!.score).toBeGreaterThan(score.first!.score + 15);
    expect(score.loyal!.sd).toBeGreaterThan(8);
    const [quiet] = await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_responses where psych_score >= 70 and nps_score <= 6`);
    expect(quiet!.n).toBeGreaterThan(10);
    const outbox = await database.current.db.select().from(outboxMessages);
    expect(new Set(outbox.map((m) => m.template)).size).toBe(10);
    expect(outbox.filter((m) => m.status === "suppressed").every((m) => m.category === "marketing")).toBe(true);
    expect(first.signIn).toContain("http://localhost:3999/login");
    expect((await signIn(get("/login"), "owner@example.jp", "omotenashi-2026")).ok).toBe(true);

    const db = database.current.db;
    const counts = async () => [(await db.select().from(customers)).length, (await db.select().from(purchases)).length];
    const before = await counts();
    expect(before[0]).toBe(5000);
    expect(before[1]).toBeGreaterThan(36_000);

    const second = await prepareDemo(env);
    expect(second.message).toBe("Existing data reused (5000 customers); nothing reseeded.");
    expect(second.signIn).not.toContain("omotenashi-2026");
    expect(await counts()).toEqual(before);
    expect(await database.current.db.select().from(outboxMessages)).toHaveLength(outbox.length);
    expect(await db.select().from(staffUsers)).toHaveLength(1);
  });
});
