// A survey's results (DESIGN §3), aggregated in SQL over all its responses: NPS counts and the 0–10
// distribution, construct means, and the sums and sums of squares Cronbach's alpha needs (the page
// computes alpha from them, so no response is read into JavaScript). Optionally for one CPM segment.
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { cpmSegments, type CpmSegment } from "../domain/cpm";
import { alphaReading, cronbachAlphaFromMoments, npsWithInterval, type AlphaReading, type NpsWithInterval } from "../domain/survey/stats";
import { constructs, scoredConstructs, type Construct, type Question } from "../domain/survey/types";
import { getQuestions } from "./surveys.server";

export interface SurveyResults {
  responses: number;
  nps: NpsWithInterval;
  counts: { promoters: number; passives: number; detractors: number };
  distribution: number[];
  psychMean: number | null;
  constructMeans: Partial<Record<Construct, number>>;
  alpha: { value: number | null; reading: AlphaReading | null; items: string[]; completeCases: number };
  bySegment: { segment: CpmSegment | null; responses: number; nps: number | null; psychMean: number | null }[];
}

/** The loyalty items: NPS and Likert items measuring one of the five scored constructs. */
export function loyaltyItems(questions: Question[]): Question[] {
  return questions.filter(
    (q) => (q.type === "nps" || q.type === "likert") && q.construct && (scoredConstructs as readonly string[]).includes(q.construct),
  );
}

/** An item's 0–100 score in SQL (float8), as the domain's itemScore computes it. Keys are validated identifiers. */
function itemSql(q: Question): SQL {
  const value = sql`(r.answers->>${q.key})::float8`;
  if (q.type === "nps") return sql`(${value} * 10)`;
  const points = q.points ?? 5;
  const scaled = sql`((${value} - 1) * ${100 / (points - 1)}::float8)`;
  return q.reverse ? sql`(100 - ${scaled})` : scaled;
}

function segmentJoin(segment: CpmSegment | null): SQL {
  return segment ? sql`join customer_metrics m on m.customer_id = r.customer_id and m.cpm_segment = ${segment}` : sql``;
}

export async function getSurveyResults(surveyId: number, segment: CpmSegment | null, db: Db = getDb()): Promise<SurveyResults> {
  const questions = await getQuestions(surveyId, db);
  const items = loyaltyItems(questions);
  const constructCols = constructs.map((c) => sql`avg((r.construct_scores->>${c})::numeric)::float8 as ${sql.identifier(c)}`);
  const [summary] = await queryRows<Record<string, number | null> & { responses: number; promoters: number; passives: number; detractors: number; psych: number | null; dist: number[] }>(
    sql`select count(*)::int as responses,
               count(*) filter (where r.nps_category = 'promoter')::int as promoters,
               count(*) filter (where r.nps_category = 'passive')::int as passives,
               count(*) filter (where r.nps_category = 'detractor')::int as detractors,
               avg(r.psych_score)::float8 as psych,
               array[${sql.join(Array.from({ length: 11 }, (_, i) => sql`count(*) filter (where r.nps_score = ${i})::int`), sql`, `)}] as dist,
               ${sql.join(constructCols, sql`, `)}
        from survey_responses r ${segmentJoin(segment)}
        where r.survey_id = ${surveyId}`,
    db,
  );
  const s = summary!;
  const counts = { promoters: s.promoters, passives: s.passives, detractors: s.detractors };
  const constructMeans: Partial<Record<Construct, number>> = {};
  for (const c of constructs) if (s[c] != null) constructMeans[c] = Math.round(Number(s[c]) * 10) / 10;

  let alpha: SurveyResults["alpha"] = { value: null, reading: null, items: items.map((q) => q.key), completeCases: 0 };
  if (items.length >= 2) {
    // Each item is read from the JSON once per row (in the inner select), then summed in float8.
    const columns = items.map((_, i) => sql.identifier(`i${i}`));
    const total = sql.join(columns, sql` + `);
    const [moments] = await queryRows<{ n: number; sums: number[]; squares: number[]; total_sum: number; total_squares: number }>(
      sql`select count(*)::int as n,
                 array[${sql.join(columns.map((c) => sql`coalesce(sum(${c}), 0)`), sql`, `)}] as sums,
                 array[${sql.join(columns.map((c) => sql`coalesce(sum(${c} * ${c}), 0)`), sql`, `)}] as squares,
                 coalesce(sum(${total}), 0) as total_sum,
                 coalesce(sum((${total}) * (${total})), 0) as total_squares
          from (select ${sql.join(items.map((q, i) => sql`${itemSql(q)} as ${columns[i]!}`), sql`, `)}
                from survey_responses r ${segmentJoin(segment)}
                where r.survey_id = ${surveyId}) x
          where ${sql.join(columns.map((c) => sql`${c} is not null`), sql` and `)}`,
      db,
    );
    const value = cronbachAlphaFromMoments({
      n: moments!.n,
      itemSums: moments!.sums.map(Number),
      itemSumSquares: moments!.squares.map(Number),
      totalSum: Number(moments!.total_sum),
      totalSumSquares: Number(moments!.total_squares),
    });
    alpha = { value: value === null ? null : Math.round(value * 1000) / 1000, reading: alphaReading(value), items: items.map((q) => q.key), completeCases: moments!.n };
  }

  const bySegment = await queryRows<{ segment: CpmSegment | null; responses: number; promoters: number; detractors: number; psych: number | null }>(
    sql`select m.cpm_segment as segment, count(*)::int as responses,
               count(*) filter (where r.nps_category = 'promoter')::int as promoters,
               count(*) filter (where r.nps_category = 'detractor')::int as detractors,
               count(r.nps_category)::int as rated,
               avg(r.psych_score)::float8 as psych
        from survey_responses r left join customer_metrics m on m.customer_id = r.customer_id
        where r.survey_id = ${surveyId}
        group by m.cpm_segment`,
    db,
  );

  return {
    responses: s.responses,
    nps: npsWithInterval(counts),
    counts,
    distribution: s.dist.map(Number),
    psychMean: s.psych === null ? null : Math.round(Number(s.psych) * 10) / 10,
    constructMeans,
    alpha,
    bySegment: bySegment.sort((a, b) => order(a.segment) - order(b.segment)).map((row) => {
      const rated = (row as unknown as { rated: number }).rated;
      return {
        segment: row.segment,
        responses: row.responses,
        nps: rated > 0 ? Math.round((100 * (row.promoters - row.detractors)) / rated) : null,
        psychMean: row.psych === null ? null : Math.round(Number(row.psych) * 10) / 10,
      };
    }),
  };
}

const order = (segment: CpmSegment | null) => (segment === null ? cpmSegments.length : cpmSegments.indexOf(segment));

/** NPS by month across every survey (the brand's time zone), optionally for one segment. */
export async function getNpsTrend(segment: CpmSegment | null, db: Db = getDb()) {
  const rows = await queryRows<{ month: string; responses: number; promoters: number; detractors: number }>(
    sql`select to_char(date_trunc('month', r.submitted_at at time zone b.time_zone), 'YYYY-MM') as month,
               count(*)::int as responses,
               count(*) filter (where r.nps_category = 'promoter')::int as promoters,
               count(*) filter (where r.nps_category = 'detractor')::int as detractors
        from survey_responses r ${segmentJoin(segment)} cross join brand_settings b
        where b.id = 1 and r.nps_category is not null
        group by 1 order by 1`,
    db,
  );
  return rows.map((r) => ({ month: r.month, responses: r.responses, nps: Math.round((100 * (r.promoters - r.detractors)) / r.responses) }));
}

/** Open-text answers, newest first, with a search over the text. */
export async function getOpenText(surveyId: number, segment: CpmSegment | null, q: string | null, limit = 50, db: Db = getDb()) {
  const textKeys = (await getQuestions(surveyId, db)).filter((x) => x.type === "short_text" || x.type === "long_text").map((x) => x.key);
  if (textKeys.length === 0) return { keys: [], answers: [] };
  const pattern = q ? `%${q.replace(/[\\%_]/g, "\\$&")}%` : null;
  const answers = await queryRows<{ id: number; submittedAt: string; customerId: number | null; customer: string | null; segment: CpmSegment | null; npsCategory: string | null; key: string; text: string }>(
    sql`select r.id, r.submitted_at as "submittedAt", r.customer_id as "customerId", c.external_id as customer, cm.cpm_segment as segment, r.nps_category as "npsCategory", t.key, t.text
        from survey_responses r
        ${segmentJoin(segment)}
        cross join lateral (select k as key, r.answers->>k as text from unnest(${`{${textKeys.join(",")}}`}::text[]) as k) t
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
