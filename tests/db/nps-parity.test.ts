// NPS parity (issue 15 item 5), as tests/db/metrics.test.ts does for the CPM rule: the domain defines
// the NPS (npsCategory sorts a 0–10 answer when a response is scored; npsOf and npsWithInterval turn
// counts into figures) and SQL only counts the stored categories. Every SQL aggregate of them, the
// results' survey_stats (counts, 0–10 distribution, per segment), the dashboard's headline, the trend's
// survey_month_stats and the waves' query, is checked here against the domain over generated
// responses with the edge cases, on PGlite and on PostgreSQL.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { localDate } from "~/domain/cpm";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { npsCategory, scoreResponse } from "~/domain/survey/scoring";
import { npsOf, npsWithInterval, type NpsCounts } from "~/domain/survey/stats";
import type { Answers, Question } from "~/domain/survey/types";
import { npsDifference } from "~/domain/survey/waves";
import { getLatestSurveyHeadline, getNpsTrend, getSurveyResults } from "~/models/survey-results.server";
import { compareWaves, getWave } from "~/models/survey-waves.server";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { submitOpen } from "~/services/survey-responses.server";
import { useTestDatabase } from "../setup/db";

const template = loyaltyTemplate();
const npsItem: Question = { ...template.questions.find((q) => q.type === "nps")!, required: false };
const likertItem: Question = { ...template.questions.find((q) => q.type === "likert")!, required: false };
const questions = [npsItem, likertItem];

/** A deterministic stream of 0–10 answers, about one in ten left unanswered (null). */
function generated(count: number, seed: number): (number | null)[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const x = state % 12;
    return x === 11 ? null : x;
  });
}

// Each survey's 0–10 answers, in the order they are submitted; null leaves the NPS question unanswered.
const surveys: [string, (number | null)[]][] = [
  ["no responses", []],
  ["no NPS answers", [null, null, null]],
  ["all passives", [7, 8, 7, 8, 8]],
  ["all promoters", [9, 10, 9, 10, 9, 10]],
  ["all detractors", [0, 1, 2, 3, 4, 5, 6]],
  ["the borders 0/6/7/8/9/10", [0, 6, 7, 8, 9, 10]],
  ["every answer once", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ["one per category", [10, 7, 3, null]],
  ["generated", generated(150, 15)],
];

const answersOf = (score: number | null): Answers => (score === null ? { [likertItem.key]: 3 } : { [npsItem.key]: score, [likertItem.key]: 3 });

/** The domain's counts for a list of answers, through the scoring a submitted response gets. */
function domainCounts(scores: (number | null)[]): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) {
    const category = scoreResponse(questions, answersOf(score)).npsCategory;
    if (category) counts[`${category}s`]++;
  }
  return counts;
}

describe("NPS in SQL against the domain's definition", () => {
  useTestDatabase();

  it("counts, distributes and scores every survey, segment, wave and month as the domain does", async () => {
    const ids: number[] = [];
    let submission = 0;
    for (const [, scores] of surveys) {
      const id = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, questions, null);
      await setSurveyStatus(id, "open");
      for (const score of scores) {
        const uuid = `00000000-0000-4000-8000-${String(++submission).padStart(12, "0")}`;
        expect((await submitOpen(id, uuid, answersOf(score), "ja")).kind).toBe("recorded");
      }
      ids.push(id);
    }

    // Each stored response carries its answer and the domain's category of it.
    const stored = await queryRows<{ answer: number | null; score: number | null; category: string | null }>(
      sql`select (answers->>${npsItem.key})::int as answer, nps_score as score, nps_category as category from survey_responses`,
    );
    expect(stored).toHaveLength(surveys.reduce((n, [, scores]) => n + scores.length, 0));
    for (const row of stored) expect(row).toEqual({ answer: row.answer, score: row.answer, category: npsCategory(row.answer) });

    for (const [k, [name, scores]] of surveys.entries()) {
      const id = ids[k]!;
      const counts = domainCounts(scores);
      const rated = counts.promoters + counts.passives + counts.detractors;
      const results = await getSurveyResults(id, null);
      expect(results.responses, name).toBe(scores.length);
      expect(results.counts, name).toEqual(counts);
      expect(results.nps, name).toEqual(npsWithInterval(counts));
      expect(results.nps.nps, name).toBe(npsOf(counts));
      // The 0–10 distribution (counted from the scores) sorts into the same categories.
      const distribution = Array.from({ length: 11 }, (_, v) => scores.filter((s) => s === v).length);
      expect(results.distribution, name).toEqual(distribution);
      const within = (from: number, to: number) => distribution.slice(from, to + 1).reduce((a, b) => a + b, 0);
      expect({ promoters: within(9, 10), passives: within(7, 8), detractors: within(0, 6) }, name).toEqual(counts);
      // Open-link answers are all anonymous: one segment row, or none without responses.
      const nps = npsOf(counts);
      expect(results.bySegment.map(({ segment, responses, nps }) => ({ segment, responses, nps })), name).toEqual(
        scores.length === 0 ? [] : [{ segment: "anonymous", responses: scores.length, nps: nps === null ? null : Math.round(nps) }],
      );
      expect((await getSurveyResults(id, "anonymous")).nps, name).toEqual(npsWithInterval(counts));

      const wave = await getWave({ surveyId: id });
      expect(wave.counts, name).toEqual(counts);
      expect(compareWaves(wave, wave).nps, name).toEqual(npsDifference(counts, counts));
      expect(compareWaves(wave, wave).nps.nA, name).toBe(rated);
    }

    // Waves across surveys: B − A as the domain computes it.
    const [allPassives, generatedId] = [ids[2]!, ids.at(-1)!];
    const difference = compareWaves(await getWave({ surveyId: allPassives }), await getWave({ surveyId: generatedId })).nps;
    expect(difference).toEqual(npsDifference(domainCounts(surveys[2]![1]), domainCounts(surveys.at(-1)![1])));

    // The dashboard: the last survey opened that has NPS answers.
    const headline = await getLatestSurveyHeadline(undefined, { wait: true });
    expect(headline).toMatchObject({ surveyId: generatedId, nps: npsWithInterval(domainCounts(surveys.at(-1)![1])) });

    // The trend: every survey's answers by month in the brand's time zone.
    const byMonth = new Map<string, (number | null)[]>();
    const dated = await queryRows<{ score: number | null; at: string }>(sql`select nps_score as score, submitted_at as at from survey_responses`);
    for (const row of dated) {
      const month = localDate(new Date(row.at), "Asia/Tokyo").slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), row.score]);
    }
    const expectedTrend = [...byMonth]
      .map(([month, scores]) => {
        const counts = domainCounts(scores);
        const nps = npsOf(counts);
        return { month, responses: counts.promoters + counts.passives + counts.detractors, nps: nps === null ? null : Math.round(nps) };
      })
      .filter((m) => m.responses > 0)
      .sort((a, b) => a.month.localeCompare(b.month));
    expect(await getNpsTrend(null)).toEqual(expectedTrend);
    expect(await getNpsTrend("anonymous")).toEqual(expectedTrend);
    expect(await getNpsTrend("loyal_active")).toEqual([]);
  });
});
