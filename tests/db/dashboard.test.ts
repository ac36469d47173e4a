// The dashboard's figures on a real database: the revenue chart marks a month the data has not finished
// as month to date, and the survey tiles show the latest survey's NPS with its interval and response rate.
// Issue 16 item 4: the loyalty tiles equal what the pages they link to show (CPM cells, transition rate,
// NPS by month, quadrant and candidate counts), and loyalty_summary is recomputed after a settings change
// and after a refresh of the survey statistics, and not otherwise.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { float8Array } from "../../db/sql-arrays";
import { cpmSegments } from "~/domain/cpm";
import { candidateLists } from "~/domain/loyalty";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { scoreResponse } from "~/domain/survey/scoring";
import { npsWithInterval } from "~/domain/survey/stats";
import type { Answers } from "~/domain/survey/types";
import { getDashboardSummary, getLoyaltySummary, getLoyaltyTrend, getMonthlyRevenue, getTransitionHeadline } from "~/models/dashboard.server";
import { getLoyaltyMatrix, getLoyaltySettings, markCandidates, rankCandidates, saveLoyaltySettings } from "~/models/loyalty.server";
import { getCohorts, getMatrix, refreshMetrics } from "~/models/metrics.server";
import { getLatestSurveyHeadline, getNpsTrend, refreshSurveyStats } from "~/models/survey-results.server";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { submitOpen } from "~/services/survey-responses.server";
import { useTestDatabase } from "../setup/db";

const tz = "Asia/Tokyo";

async function purchase(at: string, amount: number, key: number) {
  await getDb().execute(
    sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
        select id, ${at}::timestamptz, ${amount}, md5(${String(key)})::uuid from customers where external_id = 'C1'`,
  );
}

describe("dashboard", () => {
  useTestDatabase();

  it("marks the last month as month to date only when the data stops before its last day", async () => {
    await getDb().execute(sql`insert into customers (external_id) values ('C1')`);
    await purchase("2026-10-10T03:00:00Z", 5000, 1);
    await purchase("2026-11-05T03:00:00Z", 7500, 2);
    // A refund lowers the month's revenue but is not a purchase.
    await purchase("2026-11-06T03:00:00Z", -500, 5);
    // 1 December 00:30 in Tokyo is still 30 November in UTC: it is December's, and December has just begun.
    await purchase("2026-11-30T15:30:00Z", 1000, 3);
    await refreshMetrics();
    const months = await getMonthlyRevenue(tz);
    expect(months).toEqual([
      { month: "2026-10", revenue: 5000, purchases: 1, partial: false, through: "2026-12-01" },
      { month: "2026-11", revenue: 7000, purchases: 1, partial: false, through: "2026-12-01" },
      { month: "2026-12", revenue: 1000, purchases: 1, partial: true, through: "2026-12-01" },
    ]);
    expect(await getDashboardSummary()).toMatchObject({ customers: 1, purchases: 3, revenue: "13000.00" });
    // Pre-computed with the behaviour refresh: a purchase shows after the next refresh, not on every view.
    await purchase("2026-12-01T03:00:00Z", 400, 6);
    expect(await getMonthlyRevenue(tz)).toEqual(months);
    // In another time zone than the refresh's (the brand's setting changed since) it is computed live:
    // in UTC the 15:30 purchase of 30 November is November's.
    expect(await getMonthlyRevenue("UTC")).toEqual([
      { month: "2026-10", revenue: 5000, purchases: 1, partial: false, through: "2026-12-01" },
      { month: "2026-11", revenue: 8000, purchases: 2, partial: false, through: "2026-12-01" },
      { month: "2026-12", revenue: 400, purchases: 1, partial: true, through: "2026-12-01" },
    ]);
    await getDb().execute(sql`delete from purchases where amount = 400`);
    // Data that ends on a month's last day (Tokyo) is a whole month.
    await getDb().execute(sql`delete from purchases where amount = 1000`);
    await purchase("2026-11-30T14:00:00Z", 2000, 4);
    await refreshMetrics();
    expect((await getMonthlyRevenue(tz)).at(-1)).toMatchObject({ month: "2026-11", revenue: 9000, partial: false, through: "2026-11-30" });
  });

  it("shows the latest survey with NPS answers, its interval and its invitations' response rate", async () => {
    expect(await getLatestSurveyHeadline()).toBeNull();
    const template = loyaltyTemplate();
    const older = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
    await setSurveyStatus(older, "open");
    const answers = { attach1: 5, attach2: 4, pref1: 4, pref2: 4, cont1: 5, cont2: 4, trust1: 5, trust2: 4, wallet: "about_half", ambassador: "yes", cocreation: "maybe" };
    await submitOpen(older, "00000000-0000-4000-8000-000000000001", { ...answers, nps: 2 }, "ja");
    const latest = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
    await getDb().execute(sql`update surveys set opened_at = now() + interval '1 minute' where id = ${older}`);
    await setSurveyStatus(latest, "open");
    await getDb().execute(sql`update surveys set opened_at = now() + interval '2 minutes' where id = ${latest}`);
    const scores = [10, 9, 9, 7, 3];
    for (const [i, nps] of scores.entries()) await submitOpen(latest, `00000000-0000-4000-8000-00000000001${i}`, { ...answers, nps }, "ja");
    // Four customers invited, one of them answered.
    await getDb().execute(sql`insert into customers (external_id) select 'C' || g from generate_series(1, 4) g`);
    await getDb().execute(
      sql`insert into survey_invitations (survey_id, customer_id, answered_at)
          select ${latest}, id, case when external_id = 'C1' then now() end from customers`,
    );
    const headline = await getLatestSurveyHeadline(getDb(), { wait: true });
    expect(headline).toMatchObject({ surveyId: latest, invited: 4, answered: 1, responseRate: 0.25 });
    expect(headline!.nps).toEqual(npsWithInterval({ promoters: 3, passives: 1, detractors: 1 }));
    expect(headline!.nps.indicative).toBe(true);
  });

  it("shows the loyalty figures of the pages it links to, and recounts the summary only when the statistics, the settings, a mark or a consent changed", async () => {
    const db = getDb();
    // Never computed: the one case the dashboard refreshes the survey statistics itself.
    const statsRefreshedAt = async () => (await queryRows<{ at: string | null }>(sql`select refreshed_at::text as at from survey_stats_state`))[0]!.at;
    expect(await statsRefreshedAt()).toBeNull();
    const empty = await getLoyaltySummary();
    expect(await statsRefreshedAt()).not.toBeNull();
    expect(empty.counts).toEqual({ quadrants: { true_loyal: 0, habitual: 0, latent_fan: 0, low: 0 }, scored: 0, unscored: 0, candidates: { ambassador: 0, cocreation: 0 } });

    // Twenty customers: one purchase to five, small and big spenders, first purchases over eight months.
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [row] = await queryRows<{ id: number }>(
        sql`insert into customers (external_id, email, name, marketing_consent) values (${`D${i}`}, ${`d${i}@example.com`}, ${`Name ${i}`}, true) returning id::int as id`,
      );
      ids.push(row!.id);
      const count = 1 + (i % 5);
      for (let k = 0; k < count; k++) {
        const at = new Date(Date.UTC(2023, (i * 3) % 8, 1 + i) + k * (i % 2 ? 40 : 250) * 86_400_000).toISOString();
        await db.execute(
          sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key) values (${row!.id}, ${at}::timestamptz, ${i % 3 ? 4000 : 20000}, md5(${`D${i}-${k}`})::uuid)`,
        );
      }
    }
    await refreshMetrics({ asOf: "2024-06-30" });

    // Sixteen of them answer the loyalty survey, over three months, from lukewarm to enthusiastic.
    const template = loyaltyTemplate();
    const surveyId = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
    const answer = async (customerId: number, level: number, nps: number, at: string) => {
      const answers: Answers = {
        attach1: level, attach2: level, pref1: level, pref2: Math.max(1, level - 1), cont1: level, cont2: level, trust1: level, trust2: level,
        wallet: "about_half", ambassador: level >= 4 ? "yes" : "maybe", cocreation: level >= 3 ? "yes" : "no", nps,
      };
      const s = scoreResponse(template.questions, answers);
      await db.execute(
        sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
            values (${surveyId}, 'import', ${customerId}, 'ja', ${JSON.stringify(answers)}::jsonb, ${s.psychScore}, ${s.npsScore},
                    ${s.npsCategory}, ${JSON.stringify(s.constructScores)}::jsonb, ${float8Array(s.alphaScores)}, ${at}::timestamptz)`,
      );
    };
    for (let i = 0; i < 16; i++) {
      await answer(ids[i]!, 1 + (i % 5), (i * 7) % 11, `2026-${["08", "09", "10"][i % 3]}-1${i % 9}T03:00:00Z`);
    }

    // Until the survey statistics are refreshed, the summary is the one computed before.
    const stale = await getLoyaltySummary();
    expect(stale).toEqual(empty);
    await refreshSurveyStats();
    const first = await getLoyaltySummary();
    expect(first.computedAt.getTime()).toBeGreaterThan(empty.computedAt.getTime());

    // The quadrant counts are the loyalty matrix's, the candidate counts the lists' totals.
    const settings = await getLoyaltySettings();
    const matrix = await getLoyaltyMatrix(settings);
    expect(first.counts.quadrants).toEqual(matrix.quadrants);
    expect(first.counts.scored).toBe(16);
    expect(first.counts.unscored).toBe(matrix.unscored);
    for (const list of candidateLists) expect(first.counts.candidates[list]).toBe((await rankCandidates(list, settings, { view: "all" })).total);
    expect(Object.values(first.counts.quadrants).filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(first.counts.candidates.ambassador + first.counts.candidates.cocreation).toBeGreaterThan(0);

    // Read again with nothing changed: the stored row, not a recount.
    const again = await getLoyaltySummary();
    expect(again).toEqual(first);

    // A settings change recounts with the new borders.
    await saveLoyaltySettings({ ...settings, borders: { ...settings.borders, psychBorder: 40 } });
    const lowered = await getLoyaltySummary();
    expect(lowered.computedAt.getTime()).toBeGreaterThan(first.computedAt.getTime());
    const loweredSettings = await getLoyaltySettings();
    expect(lowered.counts.quadrants).toEqual((await getLoyaltyMatrix(loweredSettings)).quadrants);
    expect(lowered.counts.quadrants).not.toEqual(first.counts.quadrants);
    for (const list of candidateLists) expect(lowered.counts.candidates[list]).toBe((await rankCandidates(list, loweredSettings, { view: "all" })).total);
    expect(await getLoyaltySummary()).toEqual(lowered);

    // New responses count once the survey statistics are refreshed (with them), not before.
    for (let i = 16; i < 20; i++) await answer(ids[i]!, 5, 10, "2026-10-20T03:00:00Z");
    expect(await getLoyaltySummary()).toEqual(lowered);
    await refreshSurveyStats();
    const answered = await getLoyaltySummary();
    expect(answered.computedAt.getTime()).toBeGreaterThan(lowered.computedAt.getTime());
    expect(answered.counts.scored).toBe(20);
    expect(answered.counts.quadrants).toEqual((await getLoyaltyMatrix(loweredSettings)).quadrants);
    for (const list of candidateLists) expect(answered.counts.candidates[list]).toBe((await rankCandidates(list, loweredSettings, { view: "all" })).total);
    expect(await getLoyaltySummary()).toEqual(answered);
    const [{ rows }] = await queryRows<{ rows: number }>(sql`select count(*)::int as rows from loyalty_summary`);
    expect(rows).toBe(1);

    // Dismissing a candidate, or a candidate unsubscribing, shows in the counts on the next view.
    const counted = async () => Object.fromEntries(await Promise.all(candidateLists.map(async (list) => [list, (await rankCandidates(list, loweredSettings, { view: "all" })).total])));
    const top = (await rankCandidates("cocreation", loweredSettings, { view: "all" })).rows;
    await markCandidates("cocreation", [top[0]!.customer_id], "dismissed", { note: "already helps" });
    const dismissed = await getLoyaltySummary();
    expect(dismissed.counts.candidates).toEqual(await counted());
    expect(dismissed.counts.candidates.cocreation).toBe(answered.counts.candidates.cocreation - 1);
    await getDb().execute(sql`update customers set unsubscribed_at = now() where id = ${top[1]!.customer_id}`);
    const unsubscribed = await getLoyaltySummary();
    expect(unsubscribed.counts.candidates).toEqual(await counted());
    expect(unsubscribed.counts.candidates.cocreation).toBe(answered.counts.candidates.cocreation - 2);
    expect(await getLoyaltySummary()).toEqual(unsubscribed);

    // NPS by month as on the results page, and the mean loyalty score of the month's answers.
    const trend = await getLoyaltyTrend();
    expect(trend.map(({ month, responses, nps }) => ({ month, responses, nps }))).toEqual(await getNpsTrend(null));
    const means = await queryRows<{ month: string; mean: number; n: number }>(
      sql`select to_char(date_trunc('month', submitted_at at time zone 'Asia/Tokyo'), 'YYYY-MM') as month,
                 round(avg(psych_score)::numeric, 1)::float8 as mean, count(psych_score)::int as n
          from survey_responses where nps_category is not null group by 1 order by 1`,
    );
    expect(trend.map(({ month, meanScore, scored }) => ({ month, mean: meanScore, n: scored }))).toEqual(means);
    expect(trend.map((m) => m.month)).toEqual(["2026-08", "2026-09", "2026-10"]);

    // The ten CPM cells are the behaviour page's, one per segment, adding up to everyone with purchases.
    const cpm = await getMatrix();
    const bySegment = await queryRows<{ segment: string; n: number }>(sql`select cpm_segment as segment, count(*)::int as n from customer_metrics group by 1`);
    expect(cpm.cells.map((c) => c.segment)).toEqual([...cpmSegments]);
    for (const c of cpm.cells) expect(c.customers).toBe(bySegment.find((r) => r.segment === c.segment)?.n ?? 0);
    expect(cpm.segmented).toBe(20);

    // The transition rate pools the complete cohorts the cohort page lists.
    const cohorts = (await getCohorts()).filter((c) => c.complete).slice(-12);
    expect(cohorts.length).toBeGreaterThan(0);
    const transition = await getTransitionHeadline();
    const pooled = cohorts.reduce((a, c) => ({ customers: a.customers + c.customers, converted: a.converted + c.converted }), { customers: 0, converted: 0 });
    expect(transition).toEqual({ rate: pooled.converted / pooled.customers, ...pooled, from: cohorts[0]!.month, to: cohorts.at(-1)!.month });
  });
});
