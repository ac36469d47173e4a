// Each view has one definition, its file in db/views (db/views.server.ts). A migrated database holds
// exactly those views with their indexes; migrating again re-creates a view whose file changed, with the
// views that read it and nothing else, populated with the same data.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, TransactionRollbackError } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { queryRows, type Db } from "../../db/client.server";
import { seedDemo } from "../../db/seed/demo";
import { applyViews, createView, readViewFiles, VIEWS_DIR } from "../../db/views.server";
import { refreshMetrics } from "~/models/metrics.server";
import { refreshSurveyStats } from "~/models/survey-results.server";
import { useTestDatabase } from "../setup/db";

const database = useTestDatabase();

interface ViewShape {
  name: string;
  kind: string;
  definition: string;
  indexes: string[];
}

/** The views of one schema as PostgreSQL prints them (names on the search path print bare). */
async function viewsOf(db: Db, schema: string) {
  return queryRows<ViewShape>(
    sql`select c.relname as name, c.relkind::text as kind, pg_get_viewdef(c.oid) as definition,
               array(select replace(pg_get_indexdef(i.indexrelid), ${schema + "."}, '') from pg_index i
                      where i.indrelid = c.oid order by 1) as indexes
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relkind in ('m', 'v')
         order by c.relname`,
    db,
  );
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of db/views to edit. */
function viewsCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-views-"));
  scratch.push(dir);
  fs.cpSync(VIEWS_DIR, dir, { recursive: true });
  return dir;
}

function edit(dir: string, name: string, change: (text: string) => string) {
  const file = path.join(dir, `${name}.sql`);
  const text = fs.readFileSync(file, "utf8");
  const changed = change(text);
  expect(changed).not.toBe(text);
  fs.writeFileSync(file, changed);
}

async function oids(db: Db) {
  const rows = await queryRows<{ name: string; oid: number }>(
    sql`select relname as name, oid::int as oid from pg_class where relnamespace = 'public'::regnamespace and relkind in ('m', 'v')`,
    db,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.oid]));
}

/** Customers, purchases and survey answers, with the metrics and survey statistics refreshed. */
async function seedAndRefresh(db: Db) {
  await seedDemo(db, { seed: 5, customers: 150, asOf: new Date("2026-11-01T00:00:00Z") });
  await db.execute(
    sql`insert into surveys (title, intro, thanks, open_token) values ('{"ja":"s","en":"s"}', '{"ja":"","en":""}', '{"ja":"","en":""}', 'tok')`,
  );
  await db.execute(
    sql`insert into survey_questions (survey_id, position, key, type, construct, definition)
        select s.id, 0, 'nps', 'nps', 'recommend', '{"key":"nps","type":"nps","label":{"ja":"n","en":"n"},"required":true,"construct":"recommend"}'::jsonb
          from surveys s`,
  );
  await db.execute(
    sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, nps_score, nps_category, construct_scores, submitted_at)
        select s.id, 'import', c.id, 'ja', jsonb_build_object('nps', c.id % 11), c.id % 11,
               case when c.id % 11 >= 9 then 'promoter' when c.id % 11 >= 7 then 'passive' else 'detractor' end,
               jsonb_build_object('recommend', (c.id % 11) * 10), timestamptz '2026-06-01' + c.id * interval '1 hour'
          from surveys s cross join customers c where c.id % 3 = 0`,
  );
  await refreshMetrics({ db });
  await refreshSurveyStats(db);
}

/** What the pages read from the views. */
async function contents(db: Db) {
  return {
    customers: await queryRows(sql`select customer_id::int, as_of::text, purchase_count, total_amount::text, rfm_r, rfm_f, rfm_m, cpm_segment from customer_metrics order by 1`, db),
    segments: await queryRows(sql`select cpm_segment, customers, total_amount::text from segment_summary order by 1`, db),
    cohorts: await queryRows(sql`select month::text, customers, converted from cohort_summary order by 1`, db),
    surveys: await queryRows(sql`select survey_id, segment, responses, promoters, detractors, nps_dist from survey_stats order by 1, 2`, db),
    answers: await queryRows(sql`select segment, nps_category, key, value, n from survey_answer_stats order by 1, 2, 3, 4`, db),
    months: await queryRows(sql`select month, segment, responses from survey_month_stats order by 1, 2`, db),
    grid: await queryRows(sql`select cpm_segment, behaviour_score, psych_floor, customers from loyalty_grid order by 1, 2, 3`, db),
    revenue: await queryRows(sql`select time_zone, month::text, revenue::text, purchases from monthly_revenue order by 2`, db),
  };
}

describe("views defined once, in db/views", () => {
  it("a migrated database holds exactly the files' views, with their indexes, populated", async () => {
    const db = database.current.db;
    const files = readViewFiles();
    let actual: ViewShape[] = [];
    let expected: ViewShape[] = [];
    await db
      .transaction(async (tx) => {
        // The files' statements, run again in a scratch schema searched first, give what they define.
        await tx.execute(sql`create schema views_from_files`);
        await tx.execute(sql`set local search_path = views_from_files, public`);
        for (const file of files) await createView(file, tx);
        expected = await viewsOf(tx, "views_from_files");
        await tx.execute(sql`set local search_path = public`);
        actual = await viewsOf(tx, "public");
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    expect(actual.every((v) => v.definition.length > 0 && v.indexes.some((i) => i.startsWith("CREATE UNIQUE INDEX")))).toBe(true);
    expect(actual.map((v) => v.name)).toEqual(files.map((f) => f.name).sort());
    expect(actual).toEqual(expected);
    const populated = await queryRows<{ name: string; populated: boolean }>(
      sql`select matviewname as name, ispopulated as populated from pg_matviews where schemaname = 'public' order by 1`,
      db,
    );
    expect(populated.every((v) => v.populated)).toBe(true);
    // Every materialized view can be refreshed CONCURRENTLY (it has a unique index).
    for (const { name } of populated) await db.execute(sql`refresh materialized view concurrently ${sql.identifier(name)}`);
  });

  it("re-creates a changed view and the views that read it, and nothing else, with the same data", async () => {
    const db = database.current.db;
    await seedAndRefresh(db);
    const before = await contents(db);
    const oidsBefore = await oids(db);
    const dir = viewsCopy();

    expect(await applyViews(db, dir)).toEqual([]);

    edit(dir, "segment_summary", (text) => `${text}\n-- edited\n`);
    expect(await applyViews(db, dir)).toEqual(["segment_summary"]);
    const oidsAfterSummary = await oids(db);
    for (const [name, oid] of Object.entries(oidsBefore)) {
      if (name === "segment_summary") expect(oidsAfterSummary[name]).not.toBe(oid);
      else expect(oidsAfterSummary[name]).toBe(oid);
    }
    expect(await contents(db)).toEqual(before);

    // customer_metrics is read by every other view but monthly_revenue (purchases by month): those are
    // re-created, it first.
    edit(dir, "customer_metrics", (text) => `${text}\n-- edited\n`);
    const recreated = await applyViews(db, dir);
    expect(recreated[0]).toBe("customer_metrics");
    const readers = Object.keys(oidsBefore).filter((name) => name !== "monthly_revenue");
    expect([...recreated].sort()).toEqual(readers.sort());
    const oidsAfterAll = await oids(db);
    for (const [name, oid] of Object.entries(oidsAfterSummary)) {
      if (readers.includes(name)) expect(oidsAfterAll[name]).not.toBe(oid);
      else expect(oidsAfterAll[name]).toBe(oid);
    }
    expect(await contents(db)).toEqual(before);
    await refreshSurveyStats(db);
    expect(await contents(db)).toEqual(before);
    expect(await applyViews(db, dir)).toEqual([]);
  });

  it("re-creates a view a migration dropped, applies a new definition and drops a view whose file is gone", async () => {
    const db = database.current.db;
    await seedAndRefresh(db);
    const before = await contents(db);

    // A migration that must change a table a view reads drops the view (and its readers) first.
    await db.execute(sql`drop materialized view segment_summary`);
    expect(await applyViews(db)).toEqual(["segment_summary"]);
    expect(await contents(db)).toEqual(before);

    const dir = viewsCopy();
    edit(dir, "survey_month_stats", (text) => text.replace("count(*)::int AS responses,", "count(*)::int AS responses, count(DISTINCT r.survey_id)::int AS surveys,"));
    expect(await applyViews(db, dir)).toEqual(["survey_month_stats"]);
    const months = await queryRows<{ surveys: number }>(sql`select distinct surveys from survey_month_stats`, db);
    expect(months).toEqual([{ surveys: 1 }]);

    fs.rmSync(path.join(dir, "survey_month_stats.sql"));
    expect(await applyViews(db, dir)).toEqual([]);
    expect(await queryRows(sql`select 1 from pg_class where relname = 'survey_month_stats'`, db)).toEqual([]);
    expect(await queryRows(sql`select 1 from drizzle.__view_files where name = 'survey_month_stats'`, db)).toEqual([]);
  });

  it("an upgraded database, whose views no checksum recorded, gets them re-created once with the same data", async () => {
    const db = database.current.db;
    await seedAndRefresh(db);
    const before = await contents(db);
    await db.execute(sql`drop table drizzle.__view_files`);
    expect((await applyViews(db)).length).toBe(readViewFiles().length);
    expect(await contents(db)).toEqual(before);
    expect(await applyViews(db)).toEqual([]);
  });
});
