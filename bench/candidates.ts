// `npm run bench -- candidates [--customers N] [--scored S]` (issue 16 benchmark)
//
// 1. A throw-away database (PostgreSQL when DATABASE_URL is set, else PGlite in a temporary folder),
//    seeded set-based with generate_series: N customers (most with marketing consent, a few
//    unsubscribed or without an email), a few purchases each (1–6, in a window of their own inside the
//    three years before AS_OF, so that every CPM segment has customers), and S scored responses to three
//    surveys made from the ready-made loyalty template (answers driven by a latent loyalty with noise,
//    the interest questions `ambassador` / `cocreation` yes / maybe / no, a comment for about a quarter,
//    psych_score, nps_score and nps_category consistent). 85 % of the responses come from distinct
//    customers; the rest are those customers answering a later survey.
// 2. refreshMetrics as of AS_OF, then refreshSurveyStats (the survey statistics and customer_loyalty),
//    then customer_loyalty alone once more (refreshCustomerLoyalty, CONCURRENTLY): seed_s, metrics_s,
//    stats_refresh_s, loyalty_refresh_s.
// 3. Each the median of 7 calls after one warm-up, with the default loyalty settings:
//    rank_ms       both lists ranked from scratch: rankCandidates for ambassador and cocreation with view
//                  all's first page (every candidate is scored and sorted to know the total), one after
//                  the other (rank_alone_ms: each list alone);
//    dashboard_ms  the staff home loader's data (app/routes/staff._index.tsx), the model functions it calls
//                  in its order; loyalty_summary is fresh, as on every view but the first after a change;
//    dashboard_recount_ms the same right after the summary was invalidated (a settings save or a statistics
//                  refresh: getLoyaltyMatrix + candidateCounts recounted in the request);
//    loyalty_ms    the matrix page's data: getLoyaltySettings + getLoyaltyMatrix (cells and binned scatter);
//    top5_ms       the first page of the ambassador top-5 % list (top5_cocreation_ms the other list).
// 4. The database's own raw work in the same run, each also the median of 7:
//    count_ms      select count(*) from customer_loyalty;
//    list_scan_ms  one plain ranking written by hand: respondents joined to their customer, filtered on
//                  the score, counted over the window and sorted on the score, first 50;
//    matrix_scan_ms the matrix's grouping by hand: one GROUP BY of the scored rows by segment and score half.
//    ratios: rank_ms ÷ (2 · list_scan_ms), top5_ms ÷ list_scan_ms, loyalty_ms ÷ matrix_scan_ms, and each
//    figure ÷ count_ms.
// 5. Peak RSS of the whole run. One JSON object on stdout; progress on stderr.
import type { Db } from "../db/client.server";
import type { CandidateList, LoyaltySettings } from "~/domain/loyalty";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { getLoyaltySummary, getLoyaltyTrend, getMonthlyRevenue, getTransitionHeadline, hasCustomers } from "~/models/dashboard.server";
import { getLoyaltyMatrix, getLoyaltySettings, rankCandidates, refreshCustomerLoyalty } from "~/models/loyalty.server";
import { getMatrix, refreshMetrics } from "~/models/metrics.server";
import { getBrandSettings } from "~/models/settings.server";
import { getLatestSurveyHeadline, refreshSurveyStats } from "~/models/survey-results.server";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { log, measured, medianMs, openBenchDatabase, parseBenchArgs, rawQuery, round, timed, type BenchDatabase } from "./lib";

const AS_OF = "2026-11-01";
/** Customers and their purchases per statement (PGlite holds a statement's rows in its WASM memory). */
const CHUNK = 200_000;
const RUNS = 7;

export interface CandidatesResult {
  rank_ms: number;
  /** Each list ranked alone (rank_ms is both). */
  rank_alone_ms: Record<CandidateList, number>;
  dashboard_ms: number;
  dashboard_recount_ms: number;
  /** Each of the loader's calls alone (median of 7), to see which one a slow dashboard waits for. */
  dashboard_parts_ms: Record<string, number>;
  loyalty_ms: number;
  top5_ms: number;
  top5_cocreation_ms: number;
  peak_rss_mb: number;
  count_ms: number;
  list_scan_ms: number;
  matrix_scan_ms: number;
  ratios: {
    rank_per_list_scans: number;
    top5_per_list_scan: number;
    loyalty_per_matrix_scan: number;
    rank_per_count: number;
    dashboard_per_count: number;
    loyalty_per_count: number;
    top5_per_count: number;
  };
  seed_s: number;
  metrics_s: number;
  stats_refresh_s: number;
  loyalty_refresh_s: number;
  candidates: Record<CandidateList, number>;
  database: string;
  customers: number;
  purchases: number;
  scored: number;
  respondents: number;
}

export async function runCandidatesBench(args: string[]): Promise<CandidatesResult> {
  const { customers, scored } = parseBenchArgs(args, { customers: 1_000_000, scored: 300_000 });
  return measured(() => run(customers, scored));
}

async function run(customers: number, scored: number): Promise<Omit<CandidatesResult, "peak_rss_mb">> {
  const bench = await openBenchDatabase();
  const db = bench.handle.db;
  log(`database: ${bench.kind}`);

  // 1. Seed.
  const seeded = await timed(() => seed(bench, customers, scored));
  const { purchases, respondents } = seeded.value;
  log(`seeded ${customers} customers, ${purchases} purchases, ${scored} scored responses (${respondents} respondents) in ${seeded.seconds.toFixed(1)} s`);

  // 2. Refresh.
  const metrics = await timed(() => refreshMetrics({ asOf: AS_OF, db }));
  log(`refreshMetrics: ${metrics.seconds.toFixed(1)} s`);
  const stats = await timed(() => refreshSurveyStats(db));
  log(`refreshSurveyStats (incl. customer_loyalty): ${stats.seconds.toFixed(1)} s`);
  const loyaltyRefresh = await timed(() => refreshCustomerLoyalty(db));
  log(`refreshCustomerLoyalty alone: ${loyaltyRefresh.seconds.toFixed(1)} s`);
  // What autovacuum would have done by the time anybody reads the pages.
  await rawQuery(bench.handle, "vacuum (analyze) customer_loyalty");
  await rawQuery(bench.handle, "vacuum (analyze) customers");
  await rawQuery(bench.handle, "vacuum (analyze) customer_metrics");
  const [segments] = await rawQuery<{ s: string }>(
    bench.handle,
    `select string_agg(cpm_segment || ' ' || n, ', ' order by cpm_segment) as s
       from (select coalesce(cpm_segment, 'none') as cpm_segment, count(*) as n from customer_loyalty group by 1) x`,
  );
  log(`respondents by segment: ${segments?.s}`);

  // 3. The pages.
  const settings: LoyaltySettings = await getLoyaltySettings(db);
  // Both lists one after the other; each list alone too.
  const rankOne = (list: CandidateList) => async () => (await rankCandidates(list, await getLoyaltySettings(db), { view: "all", db })).total;
  const rankBoth = async () => ({ ambassador: await rankOne("ambassador")(), cocreation: await rankOne("cocreation")() });
  const candidates = await rankBoth();
  log(`candidates: ambassador ${candidates.ambassador}, cocreation ${candidates.cocreation}`);
  const rankMs = await medianMs(rankBoth, RUNS);
  const rankAmbassadorMs = await medianMs(rankOne("ambassador"), RUNS);
  const rankCocreationMs = await medianMs(rankOne("cocreation"), RUNS);
  log(`rank both lists: ${rankMs.toFixed(1)} ms (alone: ambassador ${rankAmbassadorMs.toFixed(1)} ms, cocreation ${rankCocreationMs.toFixed(1)} ms)`);

  await dashboard(db); // computes and stores loyalty_summary once
  const dashboardMs = await medianMs(() => dashboard(db), RUNS);
  log(`dashboard (summary fresh): ${dashboardMs.toFixed(1)} ms`);
  const dashboardRecountMs = await medianAfter(
    () => rawQuery(bench.handle, "delete from loyalty_summary"),
    () => dashboard(db),
  );
  log(`dashboard (summary recounted): ${dashboardRecountMs.toFixed(1)} ms`);
  await dashboard(db);
  const dashboardParts: Record<string, number> = {};
  for (const [name, fn] of Object.entries(dashboardCalls(db))) dashboardParts[name] = round(await medianMs(fn, RUNS), 1);
  log(`dashboard, each call alone: ${JSON.stringify(dashboardParts)}`);

  const loyaltyMs = await medianMs(async () => getLoyaltyMatrix(await getLoyaltySettings(db), db), RUNS);
  log(`loyalty matrix: ${loyaltyMs.toFixed(1)} ms`);
  const top5 = (list: CandidateList) => async () => rankCandidates(list, await getLoyaltySettings(db), { view: "top5", db });
  const top5Ms = await medianMs(top5("ambassador"), RUNS);
  const top5CoMs = await medianMs(top5("cocreation"), RUNS);
  log(`top 5 %, first page: ambassador ${top5Ms.toFixed(1)} ms, cocreation ${top5CoMs.toFixed(1)} ms`);

  // 4. The database's own raw work.
  const countMs = await medianMs(() => rawQuery(bench.handle, "select count(*) from customer_loyalty"), RUNS);
  const minScore = settings.candidates.minScore;
  const listScanMs = await medianMs(
    () =>
      rawQuery(
        bench.handle,
        `select l.customer_id, l.psych_score, c.name, count(*) over () as total
           from customer_loyalty l join customers c on c.id = l.customer_id
          where l.psych_score >= ${minScore}
          order by l.psych_score desc, l.customer_id limit 50`,
      ),
    RUNS,
  );
  const matrixScanMs = await medianMs(
    () =>
      rawQuery(
        bench.handle,
        `select cpm_segment, psych_score >= ${settings.borders.psychBorder} as high, count(*)
           from customer_loyalty where psych_score is not null group by 1, 2`,
      ),
    RUNS,
  );
  log(`raw: count ${countMs.toFixed(1)} ms, list scan ${listScanMs.toFixed(1)} ms, matrix scan ${matrixScanMs.toFixed(1)} ms`);

  await bench.close();

  return {
    rank_ms: round(rankMs, 1),
    rank_alone_ms: { ambassador: round(rankAmbassadorMs, 1), cocreation: round(rankCocreationMs, 1) },
    dashboard_ms: round(dashboardMs, 1),
    dashboard_recount_ms: round(dashboardRecountMs, 1),
    dashboard_parts_ms: dashboardParts,
    loyalty_ms: round(loyaltyMs, 1),
    top5_ms: round(top5Ms, 1),
    top5_cocreation_ms: round(top5CoMs, 1),
    count_ms: round(countMs, 1),
    list_scan_ms: round(listScanMs, 1),
    matrix_scan_ms: round(matrixScanMs, 1),
    ratios: {
      rank_per_list_scans: round(rankMs / (2 * listScanMs), 2),
      top5_per_list_scan: round(top5Ms / listScanMs, 2),
      loyalty_per_matrix_scan: round(loyaltyMs / matrixScanMs, 2),
      rank_per_count: round(rankMs / countMs, 2),
      dashboard_per_count: round(dashboardMs / countMs, 2),
      loyalty_per_count: round(loyaltyMs / countMs, 2),
      top5_per_count: round(top5Ms / countMs, 2),
    },
    seed_s: round(seeded.seconds, 1),
    metrics_s: round(metrics.seconds, 1),
    stats_refresh_s: round(stats.seconds, 1),
    loyalty_refresh_s: round(loyaltyRefresh.seconds, 1),
    candidates,
    database: bench.kind,
    customers,
    purchases,
    scored,
    respondents,
  };
}

/** The staff home loader's data (app/routes/staff._index.tsx), minus the session check: the same calls in the same order. */
async function dashboard(db: Db) {
  const { timeZone } = await getBrandSettings(db);
  const survey = await getLatestSurveyHeadline(db);
  const [anyCustomer, monthly, matrix, transition, trend, loyalty] = await Promise.all([
    hasCustomers(db),
    getMonthlyRevenue(timeZone, db),
    getMatrix(db),
    getTransitionHeadline(db),
    getLoyaltyTrend(db),
    getLoyaltySummary(db),
  ]);
  return { anyCustomer, monthly, matrix, transition, trend, loyalty, survey };
}

/** The loader's calls one by one (the summary fresh). */
function dashboardCalls(db: Db): Record<string, () => Promise<unknown>> {
  return {
    getBrandSettings: () => getBrandSettings(db),
    getLatestSurveyHeadline: () => getLatestSurveyHeadline(db),
    hasCustomers: () => hasCustomers(db),
    getMonthlyRevenue: async () => getMonthlyRevenue((await getBrandSettings(db)).timeZone, db),
    getMatrix: () => getMatrix(db),
    getTransitionHeadline: () => getTransitionHeadline(db),
    getLoyaltyTrend: () => getLoyaltyTrend(db),
    getLoyaltySummary: () => getLoyaltySummary(db),
  };
}

/** Median of `RUNS` timed calls of `fn`, each after an untimed `before`. */
async function medianAfter(before: () => Promise<unknown>, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await before();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

// ---- Seed ---------------------------------------------------------------------------------------

export async function seed(bench: BenchDatabase, customers: number, scored: number) {
  const h = bench.handle;
  // Customers: 85 % with marketing consent, 2 % unsubscribed, 3 % without an email.
  for (let lo = 1; lo <= customers; lo += CHUNK) {
    const hi = Math.min(customers, lo + CHUNK - 1);
    await rawQuery(
      h,
      `insert into customers (id, external_id, email, name, locale, marketing_consent, unsubscribed_at, created_at)
       select g, 'C' || lpad(g::text, 7, '0'),
              case when random() < 0.03 then null else 'c' || g || '@example.com' end,
              'Customer ' || g, case when g % 5 = 0 then 'en' else 'ja' end,
              random() < 0.85, case when random() < 0.02 then timestamptz '2026-10-01' end, timestamptz '2023-10-01'
         from generate_series(${lo}, ${hi}) g`,
    );
    // Purchases: 1–6 each (about 40 % buy once), in a window of the customer's own inside the three
    // years before AS_OF; 60 % in one of 24 stores, the rest online; 300–50,000 yen, log-uniform.
    await rawQuery(
      h,
      `with c as materialized (
         select g as id, 1 + floor(power(random(), 2) * 6)::int as n, random() * 1095 as s, random() as w
           from generate_series(${lo}, ${hi}) g
       )
       insert into purchases (customer_id, purchased_at, amount, order_id, channel, store, dedupe_key)
       select c.id,
              timestamptz '2023-11-01 00:00+00' + (c.s + random() * c.w * (1095 - c.s)) * interval '1 day',
              round((300 * power(50000 / 300.0, random()))::numeric, 0),
              'O' || c.id || '-' || k,
              case when k % 5 < 3 then 'store' else 'online' end,
              case when k % 5 < 3 then 'S' || lpad((1 + c.id % 24)::text, 2, '0') end,
              gen_random_uuid()
         from c cross join lateral generate_series(1, c.n) k`,
    );
    log(`seed: customers and purchases ${hi} of ${customers}`);
  }
  await rawQuery(h, `select setval(pg_get_serial_sequence('customers', 'id'), ${customers})`);
  const [{ n: purchases }] = await rawQuery<{ n: number }>(h, `select count(*)::int as n from purchases`);

  // Three surveys from the template: 1 and 2 answered first, 3 later by some of the same customers.
  const template = loyaltyTemplate();
  const surveyIds: number[] = [];
  for (let i = 0; i < 3; i++) {
    const id = await createSurvey(
      { title: template.title, intro: template.intro, thanks: template.thanks, layout: "one_per_page", linkDays: 30, reminderDays: null },
      template.questions,
      null,
      h.db,
    );
    await setSurveyStatus(id, "open", h.db);
    surveyIds.push(id);
  }
  const respondents = Math.min(customers, Math.round(scored * 0.85));
  const repeats = scored - respondents;
  // Respondent i (1..respondents) is customer 1 + (i-1)·N/R, spread evenly over the customers.
  const customerOf = (i: string) => `1 + ((${i} - 1)::bigint * ${customers} / ${respondents})`;
  for (let lo = 1; lo <= respondents; lo += CHUNK) {
    const hi = Math.min(respondents, lo + CHUNK - 1);
    await insertResponses(
      bench,
      `select ${customerOf("g")} as customer_id,
              case when g % 2 = 0 then ${surveyIds[0]} else ${surveyIds[1]} end as survey_id,
              timestamptz '2025-11-01' + random() * interval '180 days' as at
         from generate_series(${lo}, ${hi}) g`,
    );
  }
  for (let lo = 1; lo <= repeats; lo += CHUNK) {
    const hi = Math.min(repeats, lo + CHUNK - 1);
    await insertResponses(
      bench,
      `select ${customerOf(`(1 + (g - 1)::bigint * ${respondents} / ${Math.max(1, repeats)})`)} as customer_id,
              ${surveyIds[2]} as survey_id,
              timestamptz '2026-05-15' + random() * interval '150 days' as at
         from generate_series(${lo}, ${hi}) g`,
    );
  }
  log(`seed: ${scored} responses (${respondents} first answers, ${repeats} later ones)`);
  for (const table of ["customers", "purchases", "survey_responses"]) await rawQuery(h, `vacuum (analyze) ${table}`);
  return { purchases, respondents };
}

/**
 * Scored responses for the rows of `who` (customer_id, survey_id, at): the template's answers driven by
 * a latent loyalty with noise, scored as scoreResponse does (items on 0–100, construct means, psych = the
 * mean of the five scored constructs with equal weights), the NPS category from the NPS answer.
 */
async function insertResponses(bench: BenchDatabase, who: string) {
  const likert = (x: string) => `least(5, greatest(1, round(1 + 4 * ${x} + (random() - 0.5) * 2)))::int`;
  const pick = (options: string[], x: string) =>
    `(array[${options.map((o) => `'${o}'`).join(", ")}])[least(${options.length}, greatest(1, floor((${x} + (random() - 0.5) * 0.4) * ${options.length})::int + 1))]`;
  await rawQuery(
    bench.handle,
    `with latent as materialized (
       select w.*, (random() + random()) / 2 as l from (${who}) w
     ), items as materialized (
       select customer_id, survey_id, at,
              ${likert("l")} as a1, ${likert("l")} as a2, ${likert("l")} as p1, ${likert("1 - l")} as p2,
              ${likert("l")} as c1, ${likert("l")} as c2, ${likert("l")} as t1, ${likert("l")} as t2,
              least(10, greatest(0, round(10 * l + 1 + (random() - 0.5) * 4)))::int as nps,
              ${pick(["hardly_any", "less_than_half", "about_half", "more_than_half", "almost_all"], "l")} as wallet,
              ${pick(["no", "maybe", "yes"], "l - 0.15")} as ambassador,
              ${pick(["no", "maybe", "yes"], "l - 0.1")} as cocreation,
              random() < 0.25 as commented, random() < 0.8 as ja
         from latent
     ), scores as (
       select *,
              (a1 + a2 - 2) / 8.0 * 100 as attachment,
              ((p1 - 1) / 4.0 * 100 + (100 - (p2 - 1) / 4.0 * 100)) / 2 as preference,
              (c1 + c2 - 2) / 8.0 * 100 as continuity,
              (t1 + t2 - 2) / 8.0 * 100 as trust,
              nps * 10.0 as recommend
         from items
     )
     insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
     select survey_id, 'link', customer_id, case when ja then 'ja' else 'en' end,
            jsonb_build_object('attach1', a1, 'attach2', a2, 'pref1', p1, 'pref2', p2, 'cont1', c1, 'cont2', c2,
                               'trust1', t1, 'trust2', t2, 'nps', nps, 'wallet', wallet, 'ambassador', ambassador, 'cocreation', cocreation)
              || case when commented then jsonb_build_object('comment', case when ja then 'いつも丁寧な接客をありがとうございます。店員さんの説明がわかりやすかったです。' else 'Delivery could be faster, otherwise great.' end) else '{}'::jsonb end,
            round((attachment + preference + continuity + trust + recommend) / 5, 1),
            nps,
            case when nps >= 9 then 'promoter' when nps >= 7 then 'passive' else 'detractor' end,
            jsonb_build_object('attachment', round(attachment, 1), 'preference', round(preference, 1), 'continuity', round(continuity, 1),
                               'trust', round(trust, 1), 'recommend', round(recommend, 1)),
            array[(a1 - 1) * 25.0, (a2 - 1) * 25.0, (a1 + a2 - 2) * 25.0,
                  (p1 - 1) * 25.0, 100 - (p2 - 1) * 25.0, (p1 - 1) * 25.0 + 100 - (p2 - 1) * 25.0,
                  (c1 - 1) * 25.0, (c2 - 1) * 25.0, (c1 + c2 - 2) * 25.0,
                  (t1 - 1) * 25.0, (t2 - 1) * 25.0, (t1 + t2 - 2) * 25.0]::float8[],
            at
       from scores`,
  );
}
