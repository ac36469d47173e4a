// Upgrading a database that holds data. Migration 0013 turns purchases' (customer_id, dedupe_key) into
// the primary key and drops the surrogate id. Every purchase must survive, and the key must still
// refuse a second copy of a row (what makes a re-import change nothing).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, openDatabase, queryRows, type DatabaseHandle } from "../../db/client.server";
import { withDatabase } from "../setup/db-global";

const url = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An empty database of the kind under test. */
async function emptyDatabase(): Promise<DatabaseHandle> {
  if (!url) {
    const handle = await openDatabase({ migrate: false });
    cleanups.push(() => handle.close());
    return handle;
  }
  const name = `portal_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const handle = await openDatabase({ url: withDatabase(url, name), migrate: false });
  cleanups.push(async () => {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.end();
  });
  return handle;
}

/** The migrations folder as it was before `tag`: the journal cut before that entry. */
function migrationsBefore(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-migrations-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

async function migrate(handle: DatabaseHandle, migrationsFolder: string) {
  const { migrate: run } =
    handle.kind === "pglite" ? await import("drizzle-orm/pglite/migrator") : await import("drizzle-orm/postgres-js/migrator");
  await run(handle.db as never, { migrationsFolder });
}

describe("upgrading a database with purchases in it", () => {
  it("keeps every purchase when (customer_id, dedupe_key) becomes the primary key", async () => {
    const handle = await emptyDatabase();
    await migrate(handle, migrationsBefore("0013_purchases_natural_key"));
    const db = handle.db;
    await db.execute(sql`insert into customers (external_id) select 'C' || g from generate_series(1, 50) g`);
    await db.execute(
      sql`insert into purchases (customer_id, purchased_at, amount, order_id, dedupe_key)
          select c.id, timestamptz '2025-01-01' + g * interval '1 day', g * 100, 'O' || c.id || '-' || g, md5('o:O' || c.id || '-' || g)::uuid
          from customers c cross join generate_series(1, 4) g`,
    );
    const before = await queryRows<{ customer_id: number; dedupe_key: string; amount: string }>(
      sql`select customer_id::int as customer_id, dedupe_key::text as dedupe_key, amount::text as amount from purchases order by 1, 2`,
      db,
    );
    expect(before).toHaveLength(200);

    await migrate(handle, MIGRATIONS_DIR);
    const after = await queryRows<{ customer_id: number; dedupe_key: string; amount: string }>(
      sql`select customer_id::int as customer_id, dedupe_key::text as dedupe_key, amount::text as amount from purchases order by 1, 2`,
      db,
    );
    expect(after).toEqual(before);
    const [shape] = await queryRows<{ key: string; has_id: boolean; indexes: number }>(
      sql`select pg_get_constraintdef(k.oid) as key,
                 exists (select 1 from information_schema.columns where table_name = 'purchases' and column_name = 'id') as has_id,
                 (select count(*)::int from pg_indexes where tablename = 'purchases') as indexes
            from pg_constraint k where k.conrelid = 'purchases'::regclass and k.contype = 'p'`,
      db,
    );
    // The key, (customer, time), and the partial referral-code index of migration 0025 (coded purchases only).
    expect(shape).toEqual({ key: "PRIMARY KEY (customer_id, dedupe_key)", has_id: false, indexes: 3 });
    // The key still refuses a second copy of a purchase.
    const again = await queryRows<{ n: number }>(
      sql`with ins as (insert into purchases (customer_id, purchased_at, amount, dedupe_key)
                       select customer_id, purchased_at, amount, dedupe_key from purchases
                       on conflict (customer_id, dedupe_key) do nothing returning 1)
          select count(*)::int as n from ins`,
      db,
    );
    expect(again).toEqual([{ n: 0 }]);
  });
});

describe("upgrading a database with survey responses in it", () => {
  it("keeps the loyalty score only where two or more scored constructs were answered (migration 0015)", async () => {
    const handle = await emptyDatabase();
    await migrate(handle, migrationsBefore("0015_survey_analytics"));
    const db = handle.db;
    await db.execute(sql`insert into customers (external_id) values ('C1')`);
    await db.execute(
      sql`insert into surveys (title, intro, thanks, open_token) values ('{"ja":"s","en":"s"}', '{"ja":"","en":""}', '{"ja":"","en":""}', 'tok')`,
    );
    await db.execute(
      sql`insert into survey_questions (survey_id, position, key, type, construct, definition)
          select s.id, x.position, x.key, x.type, x.construct, x.definition::jsonb from surveys s, (values
            (0, 'a', 'likert', 'attachment', '{"key":"a","type":"likert","label":{"ja":"a","en":"a"},"required":true,"points":5,"construct":"attachment"}'),
            (1, 'b', 'likert', 'attachment', '{"key":"b","type":"likert","label":{"ja":"b","en":"b"},"required":true,"points":5,"reverse":true,"construct":"attachment"}'),
            (2, 'nps', 'nps', 'recommend', '{"key":"nps","type":"nps","label":{"ja":"n","en":"n"},"required":true,"construct":"recommend"}')
          ) as x(position, key, type, construct, definition)`,
    );
    // Before 0015 a one-question NPS survey stored its NPS item as the loyalty score.
    await db.execute(
      sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, submitted_at)
          select s.id, 'import', c.id, 'ja', x.answers::jsonb, x.psych, x.nps, x.cat, x.constructs::jsonb, x.at::timestamptz
          from surveys s, customers c, (values
            ('{"a":5,"b":2,"t":5,"nps":8}', 86.3, 8, 'passive', '{"attachment":87.5,"trust":100,"recommend":80}', '2026-03-01'),
            ('{"nps":10}', 100, 10, 'promoter', '{"recommend":100}', '2026-04-01'),
            ('{"w":"all"}', null, null, null, '{"share_of_wallet":100}', '2026-05-01')
          ) as x(answers, psych, nps, cat, constructs, at)`,
    );
    // Before 0015 loyalty_scores held every loyalty item of a complete response, of all constructs at once.
    await db.execute(sql`update survey_responses set loyalty_scores = '{100,75,80}' where nps_score = 8`);
    await migrate(handle, MIGRATIONS_DIR);
    const rows = await queryRows<{ psych: number | null; nps: number | null; slots: number[] | null }>(
      sql`select psych_score::float8 as psych, nps_score as nps, loyalty_scores as slots from survey_responses order by submitted_at`,
      db,
    );
    // Now: per construct with two or more items, its item scores (b reverse-scored) and their total, as
    // scoreResponse lays them out for a new answer.
    expect(rows).toEqual([{ psych: 86.3, nps: 8, slots: [100, 75, 175] }, { psych: null, nps: 10, slots: null }, { psych: null, nps: null, slots: null }]);
    // The statistics views of 0015 exist and count the stored answers per value.
    await db.execute(sql`refresh materialized view survey_answer_stats`);
    const counts = await queryRows<{ value: string; n: number }>(sql`select value, sum(n)::int as n from survey_answer_stats where key = 'nps' group by value order by value`, db);
    expect(counts).toEqual([{ value: "10", n: 1 }, { value: "8", n: 1 }]);
  });
});

describe("upgrading a database with ¥0 purchases in it", () => {
  it("counts a ¥0 purchase as a purchase after migration 0016: purchase count, dates and a segment", async () => {
    const handle = await emptyDatabase();
    await migrate(handle, migrationsBefore("0016_zero_amount_purchases"));
    const db = handle.db;
    await db.execute(sql`update brand_settings set metrics_as_of = '2026-06-30' where id = 1`);
    await db.execute(sql`insert into customers (external_id) values ('FREE'), ('FREE_REFUND'), ('PAID'), ('REFUND')`);
    await db.execute(
      sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
          select c.id, x.at::timestamptz, x.amount, md5(x.id || x.at)::uuid
          from customers c join (values
            ('FREE', '2026-01-10 12:00+09', 0), ('FREE', '2026-05-20 12:00+09', 0),
            ('FREE_REFUND', '2026-03-01 12:00+09', 0), ('FREE_REFUND', '2026-03-05 12:00+09', -500),
            ('PAID', '2026-02-01 12:00+09', 2000),
            ('REFUND', '2026-02-01 12:00+09', -700)
          ) as x(id, at, amount) on x.id = c.external_id`,
    );
    await db.execute(
      sql`insert into surveys (title, intro, thanks, open_token) values ('{"ja":"s","en":"s"}', '{"ja":"","en":""}', '{"ja":"","en":""}', 'tok')`,
    );
    await db.execute(
      sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, nps_score, nps_category, construct_scores, submitted_at)
          select s.id, 'import', c.id, 'ja', '{"nps":9}', 9, 'promoter', '{"recommend":90}', '2026-06-01' from surveys s, customers c where c.external_id = 'FREE'`,
    );
    const metrics = () =>
      queryRows<{ id: string; n: number; total: string; first: string | null; last: string | null; segment: string | null }>(
        sql`select c.external_id as id, m.purchase_count as n, m.total_amount::text as total,
                   to_char(m.first_purchase_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as first,
                   to_char(m.last_purchase_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as last, m.cpm_segment as segment
              from customer_metrics m join customers c on c.id = m.customer_id order by c.external_id`,
        db,
      );
    const segmented = async () =>
      (await queryRows<{ n: number }>(sql`select coalesce(sum(customers), 0)::int as n from segment_summary`, db))[0]!.n;
    await db.execute(sql`refresh materialized view customer_metrics`);
    await db.execute(sql`refresh materialized view segment_summary`);
    // Before 0016 a customer whose only purchases were ¥0 had none, and no segment.
    expect((await metrics()).find((m) => m.id === "FREE")).toMatchObject({ n: 0, first: null, segment: null });
    expect(await segmented()).toBe(1);
    await db.execute(sql`refresh materialized view survey_stats`);
    expect(await queryRows(sql`select segment, responses from survey_stats`, db)).toEqual([{ segment: "none", responses: 1 }]);

    await migrate(handle, MIGRATIONS_DIR);
    expect(await metrics()).toEqual([
      { id: "FREE", n: 2, total: "0.00", first: "2026-01-10", last: "2026-05-20", segment: "toddler_active" },
      { id: "FREE_REFUND", n: 1, total: "-500.00", first: "2026-03-01", last: "2026-03-01", segment: "first_active" },
      { id: "PAID", n: 1, total: "2000.00", first: "2026-02-01", last: "2026-02-01", segment: "first_active" },
      { id: "REFUND", n: 0, total: "-700.00", first: null, last: null, segment: null },
    ]);
    // The migration refreshed the matrix and the cohorts, and recreated the survey views that read the metrics.
    expect(await segmented()).toBe(3);
    const cohorts = await queryRows<{ month: string; customers: number }>(
      sql`select to_char(month, 'YYYY-MM') as month, customers from cohort_summary order by month`,
      db,
    );
    expect(cohorts).toEqual([{ month: "2026-01", customers: 1 }, { month: "2026-02", customers: 1 }, { month: "2026-03", customers: 1 }]);
    for (const view of ["survey_stats", "survey_alpha_stats", "survey_answer_stats", "survey_month_stats"]) {
      await db.execute(sql`refresh materialized view concurrently ${sql.identifier(view)}`);
    }
    // The ¥0 customer's answer is counted under their segment now, no longer under "no purchases yet".
    expect(await queryRows(sql`select segment, responses from survey_stats`, db)).toEqual([{ segment: "toddler_active", responses: 1 }]);
    expect(await queryRows(sql`select segment, responses from survey_month_stats`, db)).toEqual([{ segment: "toddler_active", responses: 1 }]);
  });
});
