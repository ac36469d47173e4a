// Behaviour metrics (DESIGN §2): the refresh, and the set-based queries the CPM pages read.
import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { col, type ColumnValue } from "../../db/columns";
import { brandSettings, cohortSummary, customerMetrics, customers, segmentSummary } from "../../db/schema";
import { cpmSegments, type Borders, type BorderEvidence, type CpmSegment } from "~/domain/cpm";
import { potentialBySegment } from "./potential.server";

export interface MetricsState extends Borders {
  asOf: string | null;
  /** The analysis date fixed in Settings (YYYY-MM-DD), or null: the metrics follow today. */
  analysisDate: string | null;
  refreshedAt: Date | null;
  timeZone: string;
}

export async function getMetricsState(db: Db = getDb()): Promise<MetricsState> {
  const [row] = await db
    .select({
      as_of: brandSettings.metricsAsOf,
      analysis_date: brandSettings.analysisDate,
      refreshed_at: brandSettings.metricsRefreshedAt,
      time_zone: brandSettings.timeZone,
      tenure_border_days: brandSettings.tenureBorderDays,
      spend_border: brandSettings.spendBorder,
      lapse_border_days: brandSettings.lapseBorderDays,
    })
    .from(brandSettings)
    .where(eq(brandSettings.id, 1));
  return {
    asOf: row.as_of,
    analysisDate: row.analysis_date,
    refreshedAt: row.refreshed_at ? new Date(row.refreshed_at) : null,
    timeZone: row.time_zone,
    tenureBorderDays: row.tenure_border_days,
    spendBorder: Number(row.spend_border),
    lapseBorderDays: row.lapse_border_days,
  };
}

/**
 * Recomputes every customer's metrics as of `asOf` (YYYY-MM-DD; default: the analysis date fixed in
 * Settings, or else today in the brand's time zone) with one set-based statement, REFRESH MATERIALIZED VIEW, over all purchases.
 */
export async function refreshMetrics(options: { asOf?: string; db?: Db } = {}) {
  const db = options.db ?? getDb();
  const started = performance.now();
  await db.transaction(async (tx) => {
    // Its sorts of one value per customer (the RFM borders) fit in memory with more work_mem (this
    // transaction only). JIT stays on: it costs 0.6 s of compilation, and saves more than that at 10 M
    // purchases.
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(
      sql`update brand_settings
             set metrics_as_of = coalesce(${options.asOf ?? null}::date, analysis_date, (now() at time zone time_zone)::date),
                 metrics_refreshed_at = now()
           where id = 1`,
    );
    await tx.execute(sql`refresh materialized view customer_metrics`);
    // Customer potential's inputs, grouped once here for the refit that follows (issue 19).
    await tx.execute(sql`refresh materialized view potential_frequency`);
    await tx.execute(sql`refresh materialized view potential_spend`);
    // The pages' summaries, from the fresh metrics (a scan of one row per customer each).
    await tx.execute(sql`refresh materialized view segment_summary`);
    await tx.execute(sql`refresh materialized view cohort_summary`);
    // The dashboard's revenue chart (one scan of purchases, grouped by month).
    await tx.execute(sql`refresh materialized view monthly_revenue`);
  });
  const state = await getMetricsState(db);
  return { asOf: state.asOf!, seconds: (performance.now() - started) / 1000 };
}

/**
 * Whether the daily refresh is due: the metrics are not as of the analysis date, that is today (brand
 * time zone) unless Settings fix a date, which then stays fixed. The refresh itself, with the customer
 * potential's refit, is refreshBehaviour (app/services/behaviour.server.ts).
 */
export async function metricsAreStale(db: Db = getDb()) {
  const [row] = await db
    .select({ stale: sql<boolean>`metrics_as_of is null or metrics_as_of <> coalesce(analysis_date, (now() at time zone time_zone)::date)` })
    .from(brandSettings)
    .where(eq(brandSettings.id, 1));
  return Boolean(row?.stale);
}

/** Fixes the analysis date (or, with null, lets the metrics follow today); the caller recomputes. */
export async function storeAnalysisDate(analysisDate: string | null, db: Db = getDb()) {
  await db.execute(sql`update brand_settings set analysis_date = ${analysisDate}::date, updated_at = now() where id = 1`);
}

/** Stores the CPM borders; the caller recomputes as of the metrics' date. */
export async function storeBorders(borders: Borders, db: Db = getDb()) {
  await db.execute(
    sql`update brand_settings
           set tenure_border_days = ${borders.tenureBorderDays}, spend_border = ${borders.spendBorder},
               lapse_border_days = ${borders.lapseBorderDays}, updated_at = now()
         where id = 1`,
  );
}

// ---- The CPM matrix ----------------------------------------------------------------------------

export interface MatrixCell {
  segment: CpmSegment;
  customers: number;
  share: number;
  totalAmount: number;
  averageSpend: number;
  /** The cell's customers' expected value over the next 90 days (customer potential; null before a fit). */
  expectedValue: number | null;
}

export async function getMatrix(db: Db = getDb()) {
  const [rows, potential] = await Promise.all([
    db.select({ segment: segmentSummary.cpmSegment, customers: segmentSummary.customers, total: segmentSummary.totalAmount }).from(segmentSummary),
    potentialBySegment(db),
  ]);
  const bySegment = new Map(rows.map((r) => [r.segment, r]));
  // The row without a segment counts the customers without a purchase yet: not in the matrix.
  const segmented = rows.reduce((n, r) => n + (r.segment ? r.customers : 0), 0);
  const cells: MatrixCell[] = cpmSegments.map((segment) => {
    const r = bySegment.get(segment);
    const customers = r?.customers ?? 0;
    const totalAmount = Number(r?.total ?? 0);
    return {
      segment,
      customers,
      share: segmented ? customers / segmented : 0,
      totalAmount,
      averageSpend: customers ? totalAmount / customers : 0,
      expectedValue: potential.get(segment)?.value ?? null,
    };
  });
  const loyalActive = bySegment.get("loyal_active")?.customers ?? 0;
  return { cells, segmented, activeLoyalShare: segmented ? loyalActive / segmented : 0 };
}

// ---- Transition rate by first-purchase cohort ----------------------------------------------------

export interface Cohort {
  month: string;
  customers: number;
  converted: number;
  rate: number;
  /** False while some of the cohort have not yet had lapseBorderDays to come back. */
  complete: boolean;
}

/**
 * Of the customers whose first purchase fell in a month, the share whose second purchase came before
 * they would have lapsed (fewer than lapseBorderDays later).
 */
export async function getCohorts(options: { months?: number; db?: Db } = {}): Promise<Cohort[]> {
  const db = options.db ?? getDb();
  const c = alias(cohortSummary, "c");
  const rows = await db
    .select({
      month: sql<string>`to_char(c.month, 'YYYY-MM')`,
      customers: col(c.customers),
      converted: col(c.converted),
      complete: sql<boolean>`(c.month + interval '1 month')::date + s.border <= s.as_of`,
    })
    .from(sql`cohort_summary c cross join (select lapse_border_days as border, metrics_as_of as as_of from brand_settings where id = 1) s`)
    .orderBy(sql`c.month desc`)
    .limit(options.months ?? 36);
  return rows
    .map((r) => ({ ...r, complete: Boolean(r.complete), rate: r.customers ? r.converted / r.customers : 0 }))
    .reverse();
}

// ---- Segment movement between two dates ----------------------------------------------------------

/** A segment computed in SQL (cpm_segment()): typed as the metrics' column. */
type Segment = ColumnValue<typeof customerMetrics.cpmSegment>;

export interface Movement {
  from: CpmSegment | null;
  to: CpmSegment | null;
  customers: number;
}

/**
 * Every customer's segment as of two dates, computed from the purchases in one pass with today's
 * borders (so it works for any two dates, not only dates a refresh ran on), counted by (from, to).
 */
export async function getMovement(from: string, to: string, db: Db = getDb()): Promise<Movement[]> {
  return db
    .select({ from: sql<Segment>`b.seg_from`, to: sql<Segment>`b.seg_to`, customers: sql<number>`count(*)::int` })
    .from(sql`(${segmentsAtTwoDates(from, to)} select * from both_dates) b`)
    .where(sql`b.seg_from is not null or b.seg_to is not null`)
    .groupBy(sql`1, 2`)
    .orderBy(sql`3 desc`);
}

/** The customers behind one cell of the movement table. */
export async function getMovers(from: string, to: string, segFrom: CpmSegment | null, segTo: CpmSegment | null, limit = 100, db: Db = getDb()) {
  const c = alias(customers, "c");
  return db
    .select({ id: col(c.id), external_id: col(c.externalId), name: col(c.name), email: col(c.email) })
    .from(sql`(${segmentsAtTwoDates(from, to)} select * from both_dates) b join customers c on c.id = b.customer_id`)
    .where(sql`b.seg_from is not distinct from ${segFrom} and b.seg_to is not distinct from ${segTo}`)
    .orderBy(sql`c.external_id`)
    .limit(limit);
}

function segmentsAtTwoDates(from: string, to: string) {
  const figures = (d: string, alias: string) => sql.raw(`
    (count(*) filter (where amount >= 0 and purchased_at < ${alias}))::int as n_${d},
    sum(amount) filter (where purchased_at < ${alias}) as total_${d},
    min(purchased_at) filter (where amount >= 0 and purchased_at < ${alias}) as first_${d},
    max(purchased_at) filter (where amount >= 0 and purchased_at < ${alias}) as last_${d}`);
  return sql`with s as (
      select time_zone as tz, tenure_border_days as tb, spend_border as sb, lapse_border_days as lb,
             ((${from}::date + 1)::timestamp at time zone time_zone) as end_from,
             ((${to}::date + 1)::timestamp at time zone time_zone) as end_to
        from brand_settings where id = 1),
    agg as (
      select customer_id, ${figures("a", "(select end_from from s)")}, ${figures("b", "(select end_to from s)")}
        from purchases
       where purchased_at < (select greatest(end_from, end_to) from s)
       group by customer_id),
    both_dates as (
      select agg.customer_id,
             cpm_segment(n_a, total_a, (last_a at time zone s.tz)::date - (first_a at time zone s.tz)::date,
                         ${from}::date - (last_a at time zone s.tz)::date, s.tb, s.sb, s.lb) as seg_from,
             cpm_segment(n_b, total_b, (last_b at time zone s.tz)::date - (first_b at time zone s.tz)::date,
                         ${to}::date - (last_b at time zone s.tz)::date, s.tb, s.sb, s.lb) as seg_to
        from agg cross join s)`;
}

// ---- Borders: preview and evidence for suggestions ------------------------------------------------

/** How many customers would move, and where, if the borders changed (from the current metrics). */
export async function previewBorders(b: Borders, db: Db = getDb()) {
  const moves = await db
    .select({
      from: customerMetrics.cpmSegment,
      to: sql<Segment>`cpm_segment(purchase_count, total_amount, tenure_days, lapse_days,
                         ${b.tenureBorderDays}::int, ${b.spendBorder}::numeric, ${b.lapseBorderDays}::int)`,
      customers: sql<number>`count(*)::int`,
    })
    .from(customerMetrics)
    .where(sql`cpm_segment is not null`)
    .groupBy(sql`1, 2`);
  const changed = moves.filter((m) => m.from !== m.to);
  return { moved: changed.reduce((n, m) => n + m.customers, 0), moves: changed.sort((a, b) => b.customers - a.customers) };
}

/** Up to this many repeat customers' purchase gaps are read for the lapse border suggestion. */
const GAP_SAMPLE = 20_000;

export async function getBorderEvidence(db: Db = getDb()): Promise<BorderEvidence> {
  const [repeat] = await db
    .select({
      n: sql<number>`count(*)::int`,
      spend: sql<number | null>`percentile_cont(0.5) within group (order by total_amount)::float8`,
      tenure: sql<number | null>`percentile_cont(0.5) within group (order by tenure_days)::float8`,
    })
    .from(customerMetrics)
    .where(sql`purchase_count >= 2`);
  // A deterministic sample of repeat customers (every k-th id) keeps this fast at a million customers.
  const every = Math.max(1, Math.ceil(repeat.n / GAP_SAMPLE));
  const [gaps] = await db
    .select({
      p90: sql<number | null>`percentile_cont(0.9) within group (order by g.gap)::float8`,
      gaps: sql<number>`count(g.gap)::int`,
      customers: sql<number>`count(distinct g.customer_id)::int`,
    })
    .from(
      sql`(with s as (select time_zone as tz, metrics_as_of as as_of from brand_settings where id = 1),
             sample as (select customer_id from customer_metrics where purchase_count >= 2 and customer_id % ${every} = 0),
             days as (
               select p.customer_id, (p.purchased_at at time zone s.tz)::date as day
                 from purchases p join sample using (customer_id) cross join s
                where p.amount >= 0 and p.purchased_at < ((s.as_of + 1)::timestamp at time zone s.tz)),
             g as (select customer_id, day - lag(day) over (partition by customer_id order by day) as gap from days)
        select customer_id, gap from g) g`,
    )
    .where(sql`g.gap is not null`);
  return {
    gapP90: gaps.p90,
    gapCount: gaps.gaps,
    sampledCustomers: gaps.customers,
    repeatSpendMedian: repeat.spend,
    repeatTenureMedian: repeat.tenure,
    repeatCustomers: repeat.n,
  };
}
