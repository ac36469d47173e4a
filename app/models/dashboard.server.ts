// Headline figures for the dashboard, each one set-based statement.
import { desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { qualified as q, type ColumnValue } from "../../db/columns";
import { customers, loyaltySummary, monthlyRevenue, purchases, surveyMonthStats, type LoyaltySummaryCounts } from "../../db/schema";
import { npsOf } from "~/domain/survey/stats";
import { candidateCounts, getLoyaltyMatrix, getLoyaltySettings } from "./loyalty.server";
import { getCohorts } from "./metrics.server";
import { refreshSurveyStats } from "./survey-results.server";

export interface DashboardSummary {
  customers: number;
  purchases: number;
  revenue: string;
  lastPurchaseAt: Date | null;
}

export async function getDashboardSummary(db: Db = getDb()): Promise<DashboardSummary> {
  const [row] = await db
    .select({
      customers: sql<number>`(select count(*)::int from customers)`,
      // A refund (negative amount) lowers revenue but is not a purchase; ¥0 is one.
      purchases: sql<number>`(count(*) filter (where amount >= 0))::int`,
      revenue: sql<string>`coalesce(sum(amount), 0)::text`,
      last_purchase_at: sql<ColumnValue<typeof purchases.purchasedAt> | null>`max(purchased_at)`.mapWith(purchases.purchasedAt),
    })
    .from(purchases);
  return {
    customers: row.customers,
    purchases: row.purchases,
    revenue: row.revenue,
    lastPurchaseAt: row.last_purchase_at ? new Date(row.last_purchase_at) : null,
  };
}

/** Months of the revenue chart. */
const REVENUE_MONTHS = 12;

export interface RevenueMonth {
  month: string;
  revenue: number;
  purchases: number;
  /** The last month, when the data stops before its last day. */
  partial: boolean;
  /** The day (brand time zone) of the last purchase. */
  through: string;
}

/**
 * Revenue per calendar month (in the brand's time zone) for the last 12 calendar months up to the last
 * purchase. The last month is `partial` when the data stops before its last day (the current month, or a
 * load that ends mid-month): the chart marks it as month to date rather than letting it read as a
 * collapse. Read from monthly_revenue, refreshed with the behaviour metrics; computed from purchases
 * only when the brand's time zone changed since that refresh (the view's months are another zone's).
 */
export async function getMonthlyRevenue(timeZone: string, db: Db = getDb()): Promise<RevenueMonth[]> {
  const m = alias(monthlyRevenue, "m");
  const fromView = sql`(select ${q(m.month)}, ${q(m.revenue)}, ${q(m.purchases)}, ${q(m.lastPurchaseAt)}
                          from monthly_revenue m where ${q(m.timeZone)} = ${timeZone})`;
  const live = sql`(select date_trunc('month', p.purchased_at at time zone ${timeZone})::date as month, sum(p.amount) as revenue,
                           (count(*) filter (where p.amount >= 0))::int as purchases, max(p.purchased_at) as last_purchase_at
                      from purchases p group by 1)`;
  const inZone = await db.select({ one: sql<number>`1` }).from(monthlyRevenue).where(eq(monthlyRevenue.timeZone, timeZone)).limit(1);
  const stale = inZone.length === 0 && (await db.select({ one: sql<number>`1` }).from(purchases).limit(1)).length > 0;
  const rows = await db
    .select({
      month: sql<string>`to_char(m.month, 'YYYY-MM')`,
      revenue: sql<number>`m.revenue::float8`,
      purchases: sql<number>`m.purchases`,
      partial: sql<boolean>`m.month = date_trunc('month', l.day)::date and l.day < (date_trunc('month', l.day) + interval '1 month - 1 day')::date`,
      through: sql<string>`l.day::text`,
    })
    .from(
      sql`${stale ? live : fromView} m
          cross join (select (max(last_purchase_at) at time zone ${timeZone})::date as day from ${stale ? live : fromView} x) l`,
    )
    .where(sql`m.month >= (date_trunc('month', l.day) - ${`${REVENUE_MONTHS - 1} months`}::interval)::date`)
    .orderBy(sql`m.month`);
  return rows;
}

// ---- Issue 16 item 4: the loyalty figures, all pre-computed ----------------------------------------
// The NPS and loyalty-score trend comes from survey_month_stats, the CPM cells from segment_summary and
// the transition rate from cohort_summary (materialized views refreshed with the survey statistics and
// the behaviour refresh). The quadrant and candidate counts depend on the brand's loyalty settings, so
// they live in loyalty_summary: one row, recomputed only when the survey statistics or the settings are
// newer than what it was computed from.

/** Months of the trend chart. */
const TREND_MONTHS = 12;

export interface LoyaltyTrendMonth {
  month: string;
  /** Responses with an NPS answer. */
  responses: number;
  /** NPS of the month's responses, rounded as on the results page (getNpsTrend). */
  nps: number;
  /** Mean psychological loyalty score of the month's responses that have one (null: none). */
  meanScore: number | null;
  scored: number;
}

/** NPS and mean loyalty score per month (the brand's time zone), the last twelve months with answers. */
export async function getLoyaltyTrend(db: Db = getDb()): Promise<LoyaltyTrendMonth[]> {
  const rows = await db
    .select({
      month: surveyMonthStats.month,
      responses: sql<number>`sum(${surveyMonthStats.responses})::int`,
      promoters: sql<number>`sum(${surveyMonthStats.promoters})::int`,
      detractors: sql<number>`sum(${surveyMonthStats.detractors})::int`,
      psychSum: sql<number | null>`sum(${surveyMonthStats.psychSum})::float8`,
      psychN: sql<number>`sum(${surveyMonthStats.psychN})::int`,
    })
    .from(surveyMonthStats)
    .groupBy(surveyMonthStats.month)
    .orderBy(desc(surveyMonthStats.month))
    .limit(TREND_MONTHS);
  return rows.reverse().map((r) => ({
    month: r.month,
    responses: r.responses,
    nps: Math.round(npsOf({ promoters: r.promoters, passives: r.responses - r.promoters - r.detractors, detractors: r.detractors }) ?? 0),
    meanScore: r.psychN > 0 && r.psychSum !== null ? Math.round((r.psychSum / r.psychN) * 10) / 10 : null,
    scored: r.psychN,
  }));
}

export interface TransitionHeadline {
  /** Converted over new customers of the complete cohorts (null: no complete cohort yet). */
  rate: number | null;
  customers: number;
  converted: number;
  /** The complete cohorts it covers, oldest first ('YYYY-MM'). */
  from: string | null;
  to: string | null;
}

/**
 * The transition rate of the last twelve complete cohorts on the cohort page (getCohorts: cohort_summary),
 * pooled: a cohort still within lapseBorderDays of its month would read low, so it is left out.
 */
export async function getTransitionHeadline(db: Db = getDb()): Promise<TransitionHeadline> {
  const complete = (await getCohorts({ db })).filter((c) => c.complete).slice(-TREND_MONTHS);
  const customers = complete.reduce((n, c) => n + c.customers, 0);
  const converted = complete.reduce((n, c) => n + c.converted, 0);
  return {
    rate: customers > 0 ? converted / customers : null,
    customers,
    converted,
    from: complete[0]?.month ?? null,
    to: complete.at(-1)?.month ?? null,
  };
}

export interface LoyaltySummary {
  counts: LoyaltySummaryCounts;
  computedAt: Date;
}

/** What the summary must be computed from now: the statistics' and the settings' last change (as text: microseconds survive). */
async function summaryState(db: Db) {
  const [row] = await db
    .select({
      statsRefreshedAt: sql<string | null>`s.refreshed_at::text`,
      settingsUpdatedAt: sql<string | null>`b.updated_at::text`,
      // Also stale after a customer's consent changed (candidate counts; the partial index on
      // contact_changed_at gives the latest in one probe) or a candidate was marked (markCandidates
      // deletes the row).
      fresh: sql<boolean>`ls.id is not null
        and ls.stats_refreshed_at is not distinct from s.refreshed_at
        and ls.settings_updated_at is not distinct from b.updated_at
        and coalesce((select max(cc.contact_changed_at) from customers cc) < ls.computed_at, true)`,
      counts: sql<LoyaltySummaryCounts | null>`ls.counts`.mapWith(loyaltySummary.counts),
      computedAt: sql<ColumnValue<typeof loyaltySummary.computedAt> | null>`ls.computed_at`.mapWith(loyaltySummary.computedAt),
    })
    .from(
      sql`(select 1) one
          left join survey_stats_state s on s.id = 1
          left join brand_settings b on b.id = 1
          left join loyalty_summary ls on ls.id = 1`,
    );
  return row!;
}

/**
 * The quadrant counts (getLoyaltyMatrix) and both lists' candidate counts (candidateCounts) with the
 * current loyalty settings, from loyalty_summary; recomputed (and stored) only when the survey statistics
 * were refreshed or the settings saved since it was computed. Nothing is refreshed here, unless the
 * survey statistics were never computed at all.
 */
export async function getLoyaltySummary(db: Db = getDb()): Promise<LoyaltySummary> {
  let state = await summaryState(db);
  if (state.fresh && state.counts && state.computedAt) return { counts: state.counts, computedAt: new Date(state.computedAt) };
  if (state.statsRefreshedAt === null) {
    await refreshSurveyStats(db);
    state = await summaryState(db);
  }
  // The settings are read after the marks: a save in between makes the stored mark older, never newer.
  const settings = await getLoyaltySettings(db);
  const [matrix, candidates] = await Promise.all([getLoyaltyMatrix(settings, db), candidateCounts(settings, db)]);
  const counts: LoyaltySummaryCounts = { quadrants: matrix.quadrants, scored: matrix.scored, unscored: matrix.unscored, candidates };
  const marks = {
    counts,
    statsRefreshedAt: sql`${state.statsRefreshedAt}::timestamptz`,
    settingsUpdatedAt: sql`${state.settingsUpdatedAt}::timestamptz`,
    computedAt: sql`now()`,
  };
  const [row] = await db
    .insert(loyaltySummary)
    .values({ id: 1, ...marks })
    .onConflictDoUpdate({ target: loyaltySummary.id, set: marks })
    .returning({ computedAt: loyaltySummary.computedAt });
  return { counts, computedAt: new Date(row.computedAt) };
}

/** Whether there is any customer at all (the empty state): one index probe. */
export async function hasCustomers(db: Db = getDb()) {
  const rows = await db.select({ one: sql<number>`1` }).from(customers).limit(1);
  return rows.length > 0;
}
