// Waves on a real database: the one SQL aggregate counts NPS categories and construct moments per
// survey and date range (days in the brand's time zone), and the comparison matches hand computation.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { meanDifference, npsDifference } from "~/domain/survey/waves";
import { compareWaves, getWave } from "~/models/survey-waves.server";
import { createSurvey } from "~/models/surveys.server";
import * as page from "~/routes/staff.surveys.compare";
import { useTestDatabase } from "../setup/db";
import { get, run, staffSession } from "../support/requests";

const template = loyaltyTemplate();
const settings = { ...template, layout: "all_on_one" as const, linkDays: 30, reminderDays: null };

type Answer = { category: "promoter" | "passive" | "detractor" | null; scores: Record<string, number>; at: string };

async function insertResponses(surveyId: number, answers: Answer[]) {
  for (const a of answers) {
    await getDb().execute(
      sql`insert into survey_responses (survey_id, channel, locale, answers, nps_category, construct_scores, submitted_at)
          values (${surveyId}, 'open', 'ja', '{}'::jsonb, ${a.category}, ${JSON.stringify(a.scores)}::jsonb, ${a.at}::timestamptz)`,
    );
  }
}

/** Version 1 (A) and its copy, version 2 (B), with answers whose figures are worked out by hand below. */
async function twoVersions() {
  const a = await createSurvey(settings, template.questions, null);
  const b = await createSurvey(settings, template.questions, null, getDb(), a, 2);
  const march = "2025-03-10T03:00:00Z";
  await insertResponses(a, [
    { category: "promoter", scores: { attachment: 50, trust: 80 }, at: march },
    { category: "promoter", scores: { attachment: 75, trust: 60 }, at: march },
    { category: "passive", scores: { attachment: 25 }, at: march },
    { category: "detractor", scores: { attachment: 100 }, at: march },
    { category: "detractor", scores: { attachment: 50 }, at: march },
    { category: null, scores: {}, at: march },
  ]);
  // 14:30 UTC on 31 May is 23:30 in Tokyo; 15:30 UTC is already 1 June there.
  const lateMay = "2025-05-31T14:30:00Z";
  const earlyJune = "2025-05-31T15:30:00Z";
  await insertResponses(b, [
    { category: "promoter", scores: { attachment: 75, share_of_wallet: 40 }, at: lateMay },
    { category: "promoter", scores: { attachment: 100 }, at: lateMay },
    { category: "passive", scores: { attachment: 75 }, at: lateMay },
    { category: "promoter", scores: { attachment: 50, share_of_wallet: 60 }, at: earlyJune },
    { category: "promoter", scores: { attachment: 100 }, at: earlyJune },
    { category: "detractor", scores: { attachment: 75 }, at: earlyJune },
  ]);
  return { a, b };
}

describe("survey waves", () => {
  useTestDatabase();

  it("aggregates each wave and compares them as computed by hand", async () => {
    const { a, b } = await twoVersions();
    const waveA = await getWave({ surveyId: a });
    const waveB = await getWave({ surveyId: b });
    expect(waveA.responses).toBe(6);
    expect(waveA.counts).toEqual({ promoters: 2, passives: 1, detractors: 2 });
    // attachment A: 50 + 75 + 25 + 100 + 50 = 300, squares 2500 + 5625 + 625 + 10000 + 2500 = 21250.
    expect(waveA.constructs).toEqual({
      attachment: { n: 5, sum: 300, sumSquares: 21250, mean: 60 },
      trust: { n: 2, sum: 140, sumSquares: 10000, mean: 70 },
    });
    expect(waveB.counts).toEqual({ promoters: 4, passives: 1, detractors: 1 });
    // attachment B: 75 + 100 + 75 + 50 + 100 + 75 = 475, squares 3 · 5625 + 2 · 10000 + 2500 = 39375.
    expect(waveB.constructs.attachment).toEqual({ n: 6, sum: 475, sumSquares: 39375, mean: 475 / 6 });
    expect(waveB.constructs.share_of_wallet).toEqual({ n: 2, sum: 100, sumSquares: 5200, mean: 50 });

    const comparison = compareWaves(waveA, waveB);
    // NPS A = (2 − 2)/5 = 0, B = (4 − 1)/6 = 50.
    expect(comparison.nps).toMatchObject({ npsA: 0, npsB: 50, nA: 5, nB: 6, difference: 50 });
    expect(comparison.nps).toEqual(npsDifference({ promoters: 2, passives: 1, detractors: 2 }, { promoters: 4, passives: 1, detractors: 1 }));
    // Adjusted Wald: A n' = 8, p' = d' = 2.75/8, var 0.6875; B n' = 9, p' = 4.75/9, d' = 1.75/9, var 0.611111.
    // SE = √(0.6875/8 + 0.611111/9) = 0.392223; centre 3/9 = 0.333333; ± 0.768757 → −43.54 … 110.21.
    expect(comparison.nps.low).toBeCloseTo(-43.54, 2);
    expect(comparison.nps.high).toBeCloseTo(110.21, 2);
    expect(comparison.nps.excludesZero).toBe(false);

    // Every construct scored in either wave, in the order of `constructs`; one-sided ones have no interval.
    expect(comparison.constructs.map((c) => c.construct)).toEqual(["attachment", "trust", "share_of_wallet"]);
    const attachment = comparison.constructs[0]!;
    expect(attachment).toMatchObject({ nA: 5, nB: 6 });
    expect(attachment.diff).toEqual(meanDifference({ n: 5, sum: 300, sumSquares: 21250 }, { n: 6, sum: 475, sumSquares: 39375 }));
    expect(attachment.diff.difference).toBeCloseTo(475 / 6 - 60, 10);
    // s²A = (5 · 21250 − 300²)/(5 · 4) = 812.5; s²B = (6 · 39375 − 475²)/(6 · 5) = 354.1667; SE² = 162.5 + 59.0278 = 221.5278;
    // Welch df = 221.5278² / (162.5²/4 + 59.0278²/5) = 49074.56 / 7298.42 = 6.7240.
    expect(attachment.diff.df).toBeCloseTo(6.724, 3);
    expect(comparison.constructs[1]).toMatchObject({ construct: "trust", nA: 2, nB: 0, diff: { meanA: 70, meanB: null, difference: null } });
    expect(comparison.constructs[2]).toMatchObject({ construct: "share_of_wallet", nA: 0, nB: 2, diff: { meanB: 50, difference: null } });
  });

  it("narrows a wave to whole days in the brand's time zone", async () => {
    const { b } = await twoVersions();
    const june = await getWave({ surveyId: b, from: "2025-06-01" });
    expect(june.responses).toBe(3);
    expect(june.counts).toEqual({ promoters: 2, passives: 0, detractors: 1 });
    expect(june.constructs.attachment).toMatchObject({ n: 3, sum: 225 });
    const may = await getWave({ surveyId: b, from: "2025-05-31", to: "2025-05-31" });
    expect(may.counts).toEqual({ promoters: 2, passives: 1, detractors: 0 });
    expect((await getWave({ surveyId: b, to: "2025-05-30" })).responses).toBe(0);

    // In UTC every answer would be on 31 May; in New York, 1 June Tokyo is still 31 May.
    await getDb().execute(sql`update brand_settings set time_zone = 'America/New_York' where id = 1`);
    expect((await getWave({ surveyId: b, from: "2025-06-01" })).responses).toBe(0);
    expect((await getWave({ surveyId: b, from: "2025-05-31", to: "2025-05-31" })).responses).toBe(6);
  });

  it("serves the page: A defaults to the previous version, bad parameters are explained on the page", async () => {
    const { a, b } = await twoVersions();
    const viewer = await staffSession("viewer");
    type Body = Awaited<ReturnType<typeof page.loader>>;

    const defaulted = await run(page.loader, get(`/staff/surveys/compare?b=${b}`, viewer.cookie));
    expect(defaulted.status).toBe(200);
    const body = (await defaulted.json()) as Body;
    expect(body.selection.a.surveyId).toBe(a);
    expect(body.result?.nps.difference).toBe(50);
    expect(body.result?.responsesA).toBe(6);

    // One survey, two date ranges.
    const ranges = (await (await run(page.loader, get(`/staff/surveys/compare?a=${b}&aTo=2025-05-31&b=${b}&bFrom=2025-06-01`, viewer.cookie))).json()) as Body;
    expect(ranges.result?.nps).toMatchObject({ nA: 3, nB: 3 });

    const nothing = (await (await run(page.loader, get("/staff/surveys/compare", viewer.cookie))).json()) as Body;
    expect(nothing).toMatchObject({ errors: [], result: null });

    const bad = await run(page.loader, get(`/staff/surveys/compare?a=abc&b=${b}&bFrom=2025-02-30&aTo=x`, viewer.cookie));
    expect(bad.status).toBe(200);
    expect(((await bad.json()) as Body).errors).toEqual([
      { key: "surveyId", wave: "A" },
      { key: "date", wave: "A", value: "x" },
      { key: "date", wave: "B", value: "2025-02-30" },
    ]);
    const unknown = await run(page.loader, get(`/staff/surveys/compare?a=999999&b=${b}&bFrom=2025-06-02&bTo=2025-06-01`, viewer.cookie));
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as Body).errors).toEqual([
      { key: "dateOrder", wave: "B" },
      { key: "unknownSurvey", wave: "A", id: 999999 },
    ]);

    const anonymous = await run(page.loader, get(`/staff/surveys/compare?b=${b}`));
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.status).toBeLessThan(400);
  });
});
