// A survey's results (DESIGN §3), aggregated in SQL over all its responses into materialized views
// (survey_stats, survey_alpha_stats, survey_answer_stats): NPS counts and the 0–10 distribution,
// construct means, the moments Cronbach's alpha needs per construct, and every question's answer
// counts. The page and `npm run portal -- results ID --json` read the same getSurveyResults; no
// response is read into JavaScript. Optionally for one CPM segment (or the anonymous / no-purchase groups).
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { cpmSegments, type CpmSegment } from "../domain/cpm";
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

interface StatsRow {
  segment: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps_dist: number[];
  psych_sum: number | null;
  psych_n: number;
  [construct: string]: unknown;
}

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
    queryRows<StatsRow>(sql`select * from survey_stats where survey_id = ${surveyId}`, db),
    queryRows<AlphaMomentRow>(
      sql`select pos, sum(n)::int as n, sum(s)::float8 as s, sum(ss)::float8 as ss from survey_alpha_stats
          where survey_id = ${surveyId} ${key === null ? sql`` : sql`and segment = ${key}`}
          group by pos`,
      db,
    ),
    queryRows<AnswerCountRow>(
      sql`select segment, nps_category as "npsCategory", key, value, n from survey_answer_stats
          where survey_id = ${surveyId} ${key === null ? sql`` : sql`and segment = ${key}`}`,
      db,
    ),
  ]);
  const rows = key === null ? all : all.filter((r) => r.segment === key);
  const counts = { promoters: sum(rows.map((r) => r.promoters)), passives: sum(rows.map((r) => r.passives)), detractors: sum(rows.map((r) => r.detractors)) };
  const psychN = sum(rows.map((r) => r.psych_n));
  const means: Partial<Record<Construct, { sum: number; n: number }>> = {};
  for (const c of constructs) means[c] = { sum: sum(rows.map((r) => Number(r[`${c}_sum`] ?? 0))), n: sum(rows.map((r) => Number(r[`${c}_n`] ?? 0))) };

  const bySegment = all
    .map((row) => {
      const nps = npsOf(row);
      return {
        segment: groupOf(row.segment),
        responses: row.responses,
        nps: nps === null ? null : Math.round(nps),
        psychMean: row.psych_n > 0 ? Math.round((Number(row.psych_sum) / row.psych_n) * 10) / 10 : null,
      };
    })
    .sort((a, b) => resultGroups.indexOf(a.segment) - resultGroups.indexOf(b.segment));

  return {
    responses: sum(rows.map((r) => r.responses)),
    nps: npsWithInterval(counts),
    counts,
    distribution: Array.from({ length: 11 }, (_, i) => sum(rows.map((r) => Number(r.nps_dist[i] ?? 0)))),
    psychMean: psychN > 0 ? Math.round((sum(rows.map((r) => Number(r.psych_sum ?? 0))) / psychN) * 10) / 10 : null,
    constructs: constructResults(questions, moments, means),
    questions: questionResults(questions, answerRows.map((r) => ({ ...r, segment: groupOf(r.segment) })), resultGroups),
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
      const [mark] = await queryRows<{ last: number; metrics: string | null }>(
        sql`select coalesce((select max(id) from survey_responses), 0)::bigint as last,
                   (select metrics_refreshed_at from brand_settings where id = 1) as metrics`,
        db,
      );
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
      await db.execute(
        sql`update survey_stats_state set refreshed_at = now(), last_response_id = ${mark!.last}, metrics_refreshed_at = ${mark!.metrics}`,
      );
    } finally {
      refreshing.delete(db);
    }
  })();
  refreshing.set(db, refresh);
  return refresh;
}

/** Marks the statistics out of date (scores were recomputed in place). */
export async function invalidateSurveyStats(db: Db = getDb()) {
  await db.execute(sql`update survey_stats_state set refreshed_at = null`);
}

/** How long a page waits for a refresh before it shows the last statistics instead. */
const REFRESH_GRACE_MS = 1_500;

async function ensureSurveyStats(wait: boolean, db: Db): Promise<{ refreshedAt: string | null; updating: boolean }> {
  const [state] = await queryRows<{ refreshedAt: string | null; stale: boolean; old: boolean }>(
    sql`select s.refreshed_at as "refreshedAt",
               s.refreshed_at is null
                 or s.last_response_id <> coalesce((select max(id) from survey_responses), 0)
                 or s.metrics_refreshed_at is distinct from (select metrics_refreshed_at from brand_settings where id = 1) as stale,
               s.refreshed_at is null or s.refreshed_at < now() - interval '10 minutes' as old
        from survey_stats_state s`,
    db,
  );
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
  const rows = await queryRows<{ month: string; responses: number; promoters: number; detractors: number }>(
    sql`select month, sum(responses)::int as responses, sum(promoters)::int as promoters, sum(detractors)::int as detractors
        from survey_month_stats ${group ? sql`where segment = ${groupKey(group)}` : sql``}
        group by month order by month`,
    db,
  );
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
  const answers = await queryRows<{ id: number; submittedAt: string; customerId: number | null; customer: string | null; segment: CpmSegment | null; npsCategory: string | null; key: string; text: string }>(
    sql`select r.id, r.submitted_at as "submittedAt", r.customer_id as "customerId", c.external_id as customer, cm.cpm_segment as segment, r.nps_category as "npsCategory", t.key, t.text
        from survey_responses r
        ${segmentJoin(segment)}
        cross join lateral (select k as key, r.answers->>k as text from unnest(${textArray(textKeys)}) as k) t
        left join customers c on c.id = r.customer_id
        left join customer_metrics cm on cm.customer_id = r.customer_id
        where r.survey_id = ${surveyId} and t.text is not null ${pattern ? sql`and t.text ilike ${pattern}` : sql``}
        order by r.submitted_at desc, r.id desc limit ${limit}`,
    db,
  );
  return { keys: textKeys, answers };
}

/** The responses export: one row per response, one column per question key (multiple choice joined with ";"). */
export async function* exportResponseRows(surveyId: number, questions: Question[], db: Db = getDb(), batch = 5000): AsyncGenerator<(string | number | null)[][]> {
  let afterId = 0;
  for (;;) {
    const rows = await queryRows<{ id: number; submitted_at: string; channel: string; customer_id: string | null; locale: string; answers: Record<string, unknown>; psych_score: string | null; nps_score: number | null; nps_category: string | null }>(
      sql`select r.id::int as id, to_char(r.submitted_at at time zone b.time_zone, 'YYYY-MM-DD"T"HH24:MI:SS') as submitted_at, r.channel,
                 c.external_id as customer_id, r.locale, r.answers, r.psych_score::text as psych_score, r.nps_score, r.nps_category
          from survey_responses r left join customers c on c.id = r.customer_id cross join brand_settings b
          where b.id = 1 and r.survey_id = ${surveyId} and r.id > ${afterId}
          order by r.id limit ${batch}`,
      db,
    );
    if (rows.length === 0) return;
    yield rows.map((r) => [
      r.id,
      r.submitted_at,
      r.channel,
      r.customer_id,
      r.locale,
      ...questions.map((q) => {
        const value = r.answers[q.key];
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
  return queryRows<{ id: number; surveyId: number; title: { ja: string; en: string }; submittedAt: string; psychScore: number | null; npsScore: number | null; npsCategory: string | null; channel: string }>(
    sql`select r.id::int as id, r.survey_id::int as "surveyId", s.title, r.submitted_at as "submittedAt", r.psych_score::float8 as "psychScore",
               r.nps_score as "npsScore", r.nps_category as "npsCategory", r.channel
        from survey_responses r join surveys s on s.id = r.survey_id
        where r.customer_id = ${customerId} order by r.submitted_at desc, r.id desc limit 50`,
    db,
  );
}

/**
 * The dashboard's survey tiles: the latest survey (by when it opened) that has NPS answers, with its NPS
 * and 95 % interval from the pre-aggregated statistics, and its invitations' response rate. Reads the
 * last statistics without waiting for a refresh (the dashboard must not stall on a big survey).
 */
export async function getLatestSurveyHeadline(db: Db = getDb(), options: { wait?: boolean } = {}) {
  await ensureSurveyStats(options.wait ?? false, db);
  const [row] = await queryRows<{ id: number; title: Record<string, string>; promoters: number; passives: number; detractors: number; invited: number; answered: number }>(
    sql`with latest as (
          select s.id, s.title, sum(t.promoters)::int as promoters, sum(t.passives)::int as passives, sum(t.detractors)::int as detractors
          from surveys s join survey_stats t on t.survey_id = s.id
          group by s.id
          having sum(t.promoters + t.passives + t.detractors) > 0
          order by max(coalesce(s.opened_at, s.created_at)) desc, s.id desc
          limit 1)
        select l.*, c.invited, c.answered
        from latest l
        cross join lateral (select count(*)::int as invited, count(i.answered_at)::int as answered
                            from survey_invitations i where i.survey_id = l.id) c`,
    db,
  );
  if (!row) return null;
  const nps = npsWithInterval({ promoters: row.promoters, passives: row.passives, detractors: row.detractors });
  return { surveyId: Number(row.id), title: row.title, nps, invited: row.invited, answered: row.answered, responseRate: row.invited > 0 ? row.answered / row.invited : null };
}
