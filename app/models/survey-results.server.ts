// A survey's results (DESIGN §3), aggregated in SQL over all its responses into materialized views
// (survey_stats, survey_alpha_stats, survey_answer_stats): NPS counts and the 0–10 distribution,
// construct means, the moments Cronbach's alpha needs per construct, and every question's answer
// counts. The page and `npm run portal -- results ID --json` read the same getSurveyResults; no
// response is read into JavaScript. Optionally for one CPM segment (or the anonymous / no-purchase groups).
import { and, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { nullableCol, col, qualified } from "../../db/columns";
import { customerMetrics, customers, surveyAlphaStats, surveyAnswerStats, surveyMonthStats, surveyResponses, surveys, surveyStats } from "../../db/schema";
import { cpmSegments } from "../domain/cpm";
import { npsOf, npsWithInterval, type NpsWithInterval } from "../domain/survey/stats";
import { constructResults, questionResults, type AlphaMomentRow, type AnswerCountRow, type ConstructResult, type QuestionResult } from "../domain/survey/results";
import { constructs, type Construct, type Question } from "../domain/survey/types";
import { getQuestions } from "./surveys.server";
import { textArray } from "../../db/sql-arrays";
import { logError } from "../utils/log.server";

/**
 * Who answered: a CPM segment, "none" (an identified customer with no purchases yet) or "anonymous"
 * (the open link, no customer).
 */
export const resultGroups = [...cpmSegments, "none", "anonymous"] as const;
export type ResultGroup = (typeof resultGroups)[number];

/** The statistics views key the groups by segment: '' is the open link's anonymous answers. */
const groupKey = (group: ResultGroup) => (group === "anonymous" ? "" : group);
const groupOf = (key: string): ResultGroup => (key === "" ? "anonymous" : (key as ResultGroup));

export function parseResultGroup(value: string | null | undefined): ResultGroup | null {
  return resultGroups.find((g) => g === value) ?? null;
}

export interface SurveyResults {
  responses: number;
  nps: NpsWithInterval;
  counts: { promoters: number; passives: number; detractors: number };
  distribution: number[];
  psychMean: number | null;
  constructs: Partial<Record<Construct, ConstructResult>>;
  questions: QuestionResult[];
  bySegment: { segment: ResultGroup; responses: number; nps: number | null; psychMean: number | null }[];
}

function segmentJoin(group: ResultGroup | null): SQL {
  if (group === null) return sql``;
  if (group === "anonymous") return sql`join lateral (select 1) g on r.customer_id is null`;
  if (group === "none") return sql`join customer_metrics m on m.customer_id = r.customer_id and m.cpm_segment is null`;
  return sql`join customer_metrics m on m.customer_id = r.customer_id and m.cpm_segment = ${group}`;
}

type StatsRow = typeof surveyStats.$inferSelect;
type NumberKey = { [K in keyof StatsRow]: StatsRow[K] extends number | null ? K : never }[keyof StatsRow];

/** Each construct's sum and count in survey_stats: a construct without its columns fails the type-check. */
const constructColumns: Record<Construct, { sum: NumberKey; n: NumberKey }> = {
  attachment: { sum: "attachmentSum", n: "attachmentN" },
  preference: { sum: "preferenceSum", n: "preferenceN" },
  continuity: { sum: "continuitySum", n: "continuityN" },
  trust: { sum: "trustSum", n: "trustN" },
  recommend: { sum: "recommendSum", n: "recommendN" },
  share_of_wallet: { sum: "shareOfWalletSum", n: "shareOfWalletN" },
  ambassador_interest: { sum: "ambassadorInterestSum", n: "ambassadorInterestN" },
  cocreation_interest: { sum: "cocreationInterestSum", n: "cocreationInterestN" },
};

// The aliases of the hand-written queries below, as drizzle tables (each selected column typed from the schema).
const r = alias(surveyResponses, "r");
const s = alias(surveys, "s");
const c = alias(customers, "c");
const cm = alias(customerMetrics, "cm");

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Results from the pre-aggregated statistics (a few rows a survey and segment), brought up to date
 * first when responses or segments changed since they were computed. `wait: false` serves the last
 * statistics while a refresh runs in the background (for big surveys on a busy page).
 */
export async function getSurveyResults(
  surveyId: number,
  group: ResultGroup | null,
  db: Db = getDb(),
  options: { wait?: boolean } = {},
): Promise<SurveyResults & { asOf: string | null; updating: boolean }> {
  const freshness = await ensureSurveyStats(options.wait ?? true, db);
  const key = group === null ? null : groupKey(group);
  const [questions, all, moments, answerRows] = await Promise.all([
    getQuestions(surveyId, db),
    db.select().from(surveyStats).where(eq(surveyStats.surveyId, surveyId)),
    db
      .select({
        pos: surveyAlphaStats.pos,
        n: sql<number>`sum(${surveyAlphaStats.n})::int`,
        s: sql<number>`sum(${surveyAlphaStats.s})::float8`,
        ss: sql<number>`sum(${surveyAlphaStats.ss})::float8`,
      } satisfies Record<keyof AlphaMomentRow, unknown>)
      .from(surveyAlphaStats)
      .where(and(eq(surveyAlphaStats.surveyId, surveyId), key === null ? undefined : eq(surveyAlphaStats.segment, key)))
      .groupBy(surveyAlphaStats.pos),
    db
      .select({
        segment: surveyAnswerStats.segment,
        npsCategory: surveyAnswerStats.npsCategory,
        key: surveyAnswerStats.key,
        value: surveyAnswerStats.value,
        n: surveyAnswerStats.n,
      })
      .from(surveyAnswerStats)
      .where(and(eq(surveyAnswerStats.surveyId, surveyId), key === null ? undefined : eq(surveyAnswerStats.segment, key))),
  ]);
  const rows = key === null ? all : all.filter((r) => r.segment === key);
  const counts = { promoters: sum(rows.map((r) => r.promoters)), passives: sum(rows.map((r) => r.passives)), detractors: sum(rows.map((r) => r.detractors)) };
  const psychN = sum(rows.map((r) => r.psychN));
  const means: Partial<Record<Construct, { sum: number; n: number }>> = {};
  for (const c of constructs) {
    const { sum: sumKey, n: nKey } = constructColumns[c];
    means[c] = { sum: sum(rows.map((r) => Number(r[sumKey] ?? 0))), n: sum(rows.map((r) => Number(r[nKey] ?? 0))) };
  }

  const bySegment = all
    .map((row) => {
      const nps = npsOf(row);
      return {
        segment: groupOf(row.segment),
        responses: row.responses,
        nps: nps === null ? null : Math.round(nps),
        psychMean: row.psychN > 0 ? Math.round((Number(row.psychSum) / row.psychN) * 10) / 10 : null,
      };
    })
    .sort((a, b) => resultGroups.indexOf(a.segment) - resultGroups.indexOf(b.segment));

  return {
    responses: sum(rows.map((r) => r.responses)),
    nps: npsWithInterval(counts),
    counts,
    distribution: Array.from({ length: 11 }, (_, i) => sum(rows.map((r) => Number(r.npsDist[i] ?? 0)))),
    psychMean: psychN > 0 ? Math.round((sum(rows.map((r) => Number(r.psychSum ?? 0))) / psychN) * 10) / 10 : null,
    constructs: constructResults(questions, moments, means),
    // value is null only for a JSON null answer, which cleanAnswers never stores.
    questions: questionResults(
      questions,
      answerRows.map((r): AnswerCountRow => ({ ...r, value: r.value ?? "", segment: groupOf(r.segment) })),
      resultGroups,
    ),
    bySegment,
    asOf: freshness.refreshedAt,
    updating: freshness.updating,
  };
}

/** The results as one JSON object (`npm run portal -- results ID --json`): the page's figures, by key. */
export function resultsAsJson(results: SurveyResults) {
  const { nps, counts } = results;
  const hasNps = nps.n > 0 || results.questions.some((q) => q.type === "nps");
  const pct = (x: number) => (nps.n > 0 ? Math.round((1000 * x) / nps.n) / 10 : null);
  return {
    responses: results.responses,
    nps: hasNps
      ? {
          score: nps.nps === null ? null : Math.round(nps.nps * 10) / 10,
          low: nps.low === null ? null : Math.round(nps.low * 10) / 10,
          high: nps.high === null ? null : Math.round(nps.high * 10) / 10,
          n: nps.n,
          promoters: pct(counts.promoters),
          passives: pct(counts.passives),
          detractors: pct(counts.detractors),
        }
      : null,
    constructs: Object.fromEntries(
      Object.entries(results.constructs).map(([name, c]) => [name, { mean: c!.mean, alpha: c!.alpha, complete: c!.complete, items: c!.items }]),
    ),
    questions: Object.fromEntries(results.questions.map(({ key, ...rest }) => [key, rest])),
  };
}

// One refresh at a time per database: a second caller waits for the one under way.
const refreshing = new WeakMap<Db, Promise<void>>();

/** Recomputes the survey statistics (CONCURRENTLY: the results page keeps reading the old ones meanwhile). */
export function refreshSurveyStats(db: Db = getDb()): Promise<void> {
  const running = refreshing.get(db);
  if (running) return running;
  const refresh = (async () => {
    try {
      const mark = await statsMark(db);
      // Every view groups millions of rows into a few hundred groups: hashed, they take a fraction of a
      // sort of all the rows, which the planner picks on its row estimates (survey_answer_stats at 1 M
      // responses: 10 s instead of 24 s). JIT compilation does not pay back here either.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_sort = off`);
        await tx.execute(sql`set local work_mem = '64MB'`);
        await tx.execute(sql`set local jit = off`);
        for (const view of ["survey_stats", "survey_alpha_stats", "survey_answer_stats", "survey_month_stats"]) {
          await tx.execute(sql`refresh materialized view concurrently ${sql.identifier(view)}`);
        }
      });
      // Each respondent's figures for the loyalty matrix and the candidate lists (issue 16): its latest
      // answers come from a sort (DISTINCT ON), so it runs outside the hashed-aggregate settings above.
      await db.execute(sql`refresh materialized view concurrently customer_loyalty`);
      // The matrix's counts, from the fresh rows (a few thousand groups).
      await db.execute(sql`refresh materialized view concurrently loyalty_grid`);
      await db.execute(
        sql`update survey_stats_state set refreshed_at = now(), last_response_id = ${mark.last}, metrics_refreshed_at = ${mark.metrics}`,
      );
    } finally {
      refreshing.delete(db);
    }
  })();
  refreshing.set(db, refresh);
  return refresh;
}

/**
 * What the statistics are computed from: the newest response id and the metrics refresh (as
 * PostgreSQL's text, so the microseconds survive the round trip into survey_stats_state).
 */
async function statsMark(db: Db) {
  const [mark] = await db
    .select({
      last: sql<string>`coalesce((select max(${surveyResponses.id}) from ${surveyResponses}), 0)::bigint::text`,
      metrics: sql<string | null>`b.metrics_refreshed_at::text`,
    })
    .from(sql`(select 1) one left join brand_settings b on b.id = 1`);
  return mark!;
}

/** Marks the statistics out of date (scores were recomputed in place). */
export async function invalidateSurveyStats(db: Db = getDb()) {
  await db.execute(sql`update survey_stats_state set refreshed_at = null`);
}

/** How long a page waits for a refresh before it shows the last statistics instead. */
const REFRESH_GRACE_MS = 1_500;

/**
 * Refreshes the survey statistics (and customer_loyalty with them) when responses or the behaviour
 * metrics changed since their last refresh; `wait` waits for it, else a page gets a grace period.
 */
export async function ensureSurveyStats(wait: boolean, db: Db = getDb()): Promise<{ refreshedAt: string | null; updating: boolean }> {
  // survey_stats_state (db/migrations/0010) is not in the drizzle schema: its one row is read by hand.
  const [state] = await db
    .select({
      refreshedAt: sql<string | null>`s.refreshed_at::text`,
      stale: sql<boolean>`s.refreshed_at is null
                 or s.last_response_id <> coalesce((select max(id) from survey_responses), 0)
                 or s.metrics_refreshed_at is distinct from (select metrics_refreshed_at from brand_settings where id = 1)`,
      old: sql<boolean>`s.refreshed_at is null or s.refreshed_at < now() - interval '10 minutes'`,
    })
    .from(sql`survey_stats_state s`);
  if (!state?.stale) return { refreshedAt: state?.refreshedAt ?? null, updating: false };
  const refresh = refreshSurveyStats(db);
  // Wait when asked, when there are no statistics yet, or when they are more than ten minutes old.
  // Otherwise give the refresh a moment (small surveys are done in it, so a new answer shows at
  // once) and then show the last statistics while it finishes in the background.
  if (wait || state.old) {
    await refresh;
    return { refreshedAt: new Date().toISOString(), updating: false };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = await Promise.race([
    refresh.then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), REFRESH_GRACE_MS))),
  ]).finally(() => clearTimeout(timer));
  if (done) return { refreshedAt: new Date().toISOString(), updating: false };
  refresh.catch((error) => logError("survey statistics refresh failed", error));
  return { refreshedAt: state.refreshedAt, updating: true };
}

/** NPS by month across every survey (the brand's time zone), optionally for one segment. */
export async function getNpsTrend(group: ResultGroup | null, db: Db = getDb()) {
  const rows = await db
    .select({
      month: surveyMonthStats.month,
      responses: sql<number>`sum(${surveyMonthStats.responses})::int`,
      promoters: sql<number>`sum(${surveyMonthStats.promoters})::int`,
      detractors: sql<number>`sum(${surveyMonthStats.detractors})::int`,
    })
    .from(surveyMonthStats)
    .where(group ? eq(surveyMonthStats.segment, groupKey(group)) : undefined)
    .groupBy(surveyMonthStats.month)
    .orderBy(surveyMonthStats.month);
  // survey_month_stats keeps only the responses with an NPS answer: the rest of a month's are passives.
  return rows.map((r) => {
    const counts = { promoters: r.promoters, passives: r.responses - r.promoters - r.detractors, detractors: r.detractors };
    return { month: r.month, responses: r.responses, nps: Math.round(npsOf(counts) ?? 0) };
  });
}

/** Open-text answers, newest first, with a search over the text. */
export async function getOpenText(surveyId: number, segment: ResultGroup | null, q: string | null, limit = 50, db: Db = getDb()) {
  const textKeys = (await getQuestions(surveyId, db)).filter((x) => x.type === "short_text" || x.type === "long_text").map((x) => x.key);
  if (textKeys.length === 0) return { keys: [], answers: [] };
  const pattern = q ? `%${q.replace(/[\\%_]/g, "\\$&")}%` : null;
  const answers = await db
    .select({
      id: col(r.id),
      submittedAt: sql<string>`${qualified(r.submittedAt)}::text`,
      customerId: col(r.customerId),
      customer: nullableCol(c.externalId),
      segment: nullableCol(cm.cpmSegment),
      npsCategory: col(r.npsCategory),
      // t: each text question's answer of the response (its key, the answer as text).
      key: sql<string>`t.key`,
      text: sql<string>`t.text`,
    })
    .from(
      sql`survey_responses r
        ${segmentJoin(segment)}
        cross join lateral (select k as key, r.answers->>k as text from unnest(${textArray(textKeys)}) as k) t
        left join customers c on c.id = r.customer_id
        left join customer_metrics cm on cm.customer_id = r.customer_id`,
    )
    .where(sql`${r.surveyId} = ${surveyId} and t.text is not null ${pattern ? sql`and t.text ilike ${pattern}` : sql``}`)
    .orderBy(sql`${r.submittedAt} desc, ${r.id} desc`)
    .limit(limit);
  return { keys: textKeys, answers };
}

/** The responses export: one row per response, one column per question key (multiple choice joined with ";"). */
export async function* exportResponseRows(surveyId: number, questions: Question[], db: Db = getDb(), batch = 5000): AsyncGenerator<(string | number | null)[][]> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select({
        id: sql<number>`${qualified(r.id)}::int`,
        submitted_at: sql<string>`to_char(${qualified(r.submittedAt)} at time zone b.time_zone, 'YYYY-MM-DD"T"HH24:MI:SS')`,
        channel: col(r.channel),
        customer_id: nullableCol(c.externalId),
        locale: col(r.locale),
        answers: col(r.answers),
        psych_score: sql<string | null>`${qualified(r.psychScore)}::text`,
        nps_score: col(r.npsScore),
        nps_category: col(r.npsCategory),
      })
      .from(sql`survey_responses r left join customers c on c.id = r.customer_id cross join brand_settings b`)
      .where(sql`b.id = 1 and ${r.surveyId} = ${surveyId} and ${r.id} > ${afterId}`)
      .orderBy(sql`${r.id}`)
      .limit(batch);
    if (rows.length === 0) return;
    yield rows.map((r) => [
      r.id,
      r.submitted_at,
      r.channel,
      r.customer_id,
      r.locale,
      ...questions.map((q) => {
        const value: unknown = r.answers[q.key];
        return Array.isArray(value) ? value.join(";") : value === undefined || value === null ? null : (value as string | number);
      }),
      r.psych_score,
      r.nps_score,
      r.nps_category,
    ]);
    afterId = rows[rows.length - 1]!.id;
    if (rows.length < batch) return;
  }
}

export function responseExportHeader(questions: Question[]) {
  return ["response_id", "submitted_at", "channel", "customer_id", "locale", ...questions.map((q) => q.key), "psych_score", "nps_score", "nps_category"];
}

/** A customer's survey responses, newest first: the latest is their current psychological score. */
export async function getCustomerResponses(customerId: number, db: Db = getDb()) {
  return db
    .select({
      id: sql<number>`${qualified(r.id)}::int`,
      surveyId: sql<number>`${qualified(r.surveyId)}::int`,
      title: col(s.title),
      submittedAt: sql<string>`${qualified(r.submittedAt)}::text`,
      psychScore: sql<number | null>`${qualified(r.psychScore)}::float8`,
      npsScore: col(r.npsScore),
      npsCategory: col(r.npsCategory),
      channel: col(r.channel),
    })
    .from(sql`survey_responses r join surveys s on s.id = r.survey_id`)
    .where(sql`${r.customerId} = ${customerId}`)
    .orderBy(sql`${r.submittedAt} desc, ${r.id} desc`)
    .limit(50);
}

/**
 * The dashboard's survey tiles: the latest survey (by when it opened) that has NPS answers, with its NPS
 * and 95 % interval from the pre-aggregated statistics, and its invitations' response rate. Reads the
 * last statistics without waiting for a refresh (the dashboard must not stall on a big survey).
 */
export async function getLatestSurveyHeadline(db: Db = getDb(), options: { wait?: boolean } = {}) {
  await ensureSurveyStats(options.wait ?? false, db);
  // l: the latest survey with NPS answers (its id and title, and its NPS counts); c: its invitations.
  const l = alias(surveys, "l");
  const [row] = await db
    .select({
      id: col(l.id),
      title: col(l.title),
      promoters: sql<number>`l.promoters`,
      passives: sql<number>`l.passives`,
      detractors: sql<number>`l.detractors`,
      invited: sql<number>`c.invited`,
      answered: sql<number>`c.answered`,
    })
    .from(
      sql`(select s.id, s.title, sum(t.promoters)::int as promoters, sum(t.passives)::int as passives, sum(t.detractors)::int as detractors
           from surveys s join survey_stats t on t.survey_id = s.id
           group by s.id
           having sum(t.promoters + t.passives + t.detractors) > 0
           order by max(coalesce(s.opened_at, s.created_at)) desc, s.id desc
           limit 1) l
          cross join lateral (select count(*)::int as invited, count(i.answered_at)::int as answered
                              from survey_invitations i where i.survey_id = l.id) c`,
    );
  if (!row) return null;
  const nps = npsWithInterval({ promoters: row.promoters, passives: row.passives, detractors: row.detractors });
  // Keyed by any language (the dashboard looks the page's language up, falling back to ja).
  const title: Record<string, string> = row.title;
  return { surveyId: Number(row.id), title, nps, invited: row.invited, answered: row.answered, responseRate: row.invited > 0 ? row.answered / row.invited : null };
}
