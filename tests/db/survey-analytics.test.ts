// Survey analytics on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): the two
// "latest" rules in the customer list, page and export agree with the domain; alpha per construct
// over the complete responses only; every question type's result, crossed; anonymous answers apart
// from customers without purchases; and `portal results ID --json` reads the same figures.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { resultsCommand } from "~/cli/results-command";
import { latestFigures } from "~/domain/survey/latest";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { itemScore, scoreResponse } from "~/domain/survey/scoring";
import { cronbachAlpha } from "~/domain/survey/stats";
import type { Answers, Question } from "~/domain/survey/types";
import { exportColumns, exportCustomerRows, getCustomer, listCustomers } from "~/models/customers.server";
import { refreshMetrics } from "~/models/metrics.server";
import { getCustomerResponses, getSurveyResults } from "~/models/survey-results.server";
import { createSurvey, listSurveys } from "~/models/surveys.server";
import { customerListSchema } from "~/schemas/customers";
import { float8Array } from "../../db/sql-arrays";
import { useTestDatabase } from "../setup/db";

const L = (text: string) => ({ ja: text, en: text });
const settings = { layout: "all_on_one" as const, linkDays: 30, reminderDays: null, intro: L(""), thanks: L("") };

/** A response as the answer path records it: scored by the domain. */
async function record(surveyId: number, questions: Question[], customerId: number | null, answers: Answers, at: string) {
  const s = scoreResponse(questions, answers);
  await getDb().execute(
    sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
        values (${surveyId}, ${customerId === null ? "open" : "import"}, ${customerId}, 'ja', ${JSON.stringify(answers)}::jsonb, ${s.psychScore}, ${s.npsScore},
                ${s.npsCategory}, ${JSON.stringify(s.constructScores)}::jsonb, ${float8Array(s.alphaScores)}, ${at}::timestamptz)`,
  );
}

async function customer(externalId: string, purchases: string[] = []) {
  const [row] = await queryRows<{ id: number }>(sql`insert into customers (external_id, email) values (${externalId}, ${`${externalId}@example.com`}) returning id::int as id`);
  for (const at of purchases) {
    await getDb().execute(sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key) values (${row!.id}, ${at}::timestamptz, 3000, md5(${externalId + at})::uuid)`);
  }
  return row!.id;
}

describe("a customer's loyalty score and NPS, each by its own latest rule", () => {
  useTestDatabase();

  it("keeps the loyalty score when a later NPS-only survey changes the NPS, in the list, the page and the export", async () => {
    const template = loyaltyTemplate();
    const loyalty = await createSurvey({ ...settings, title: L("Loyalty") }, template.questions, null);
    const npsOnly: Question[] = [{ key: "nps", type: "nps", label: L("Recommend?"), required: true, construct: "recommend" }];
    const pulse = await createSurvey({ ...settings, title: L("Pulse") }, npsOnly, null);
    const id = await customer("C1", ["2026-01-10"]);
    const loyalAnswers: Answers = { attach1: 5, attach2: 5, pref1: 5, pref2: 4, cont1: 5, cont2: 5, trust1: 5, trust2: 5, nps: 8 };
    await record(loyalty, template.questions, id, loyalAnswers, "2026-03-01T10:00:00+09:00");
    await record(pulse, npsOnly, id, { nps: 10 }, "2026-04-01T10:00:00+09:00");
    await refreshMetrics({ asOf: "2026-05-01" });

    const expectedScore = scoreResponse(template.questions, loyalAnswers).psychScore!;
    expect(expectedScore).toBeGreaterThan(80);
    expect(expectedScore).not.toBe(100);
    const responses = await getCustomerResponses(id);
    const latest = latestFigures(responses);
    expect(latest.loyalty).toMatchObject({ surveyId: loyalty, psychScore: expectedScore });
    expect(latest.nps).toMatchObject({ surveyId: pulse, npsScore: 10, npsCategory: "promoter" });

    const page = await getCustomer(id);
    expect(page!.customer).toMatchObject({ psych_score: expectedScore, nps_score: 10, nps_category: "promoter" });
    const { customers } = await listCustomers(customerListSchema.parse({}));
    expect(customers.find((c) => c.id === id)).toMatchObject({ psych_score: expectedScore, nps_score: 10, nps_category: "promoter" });
    const exported: (string | number | null)[][] = [];
    for await (const batch of exportCustomerRows(customerListSchema.parse({}))) exported.push(...batch);
    const row = Object.fromEntries(exportColumns.map((c, i) => [c, exported[0]![i]]));
    expect(row).toMatchObject({ customer_id: "C1", nps_score: 10, nps_category: "promoter" });
    expect(Number(row.psych_score)).toBe(expectedScore);
  });
});

describe("survey results", () => {
  useTestDatabase();
  afterEach(() => vi.restoreAllMocks());

  it("computes alpha per construct over the responses that answered all its items", async () => {
    const template = loyaltyTemplate();
    const survey = await createSurvey({ ...settings, title: L("Loyalty") }, template.questions, null);
    const answers: Answers[] = Array.from({ length: 30 }, (_, i) => {
      const v = (k: number) => 1 + ((i * 7 + k * 3 + (i % 3)) % 5);
      const a: Answers = { attach1: v(1), attach2: v(2), pref1: v(3), pref2: v(1), cont1: v(4), cont2: v(4), trust1: v(2), trust2: v(5), nps: (i * 3) % 11 };
      // Some responses skip an item of one construct: they count for the others, not for that one.
      if (i % 5 === 0) delete a.attach2;
      if (i % 7 === 0) delete a.trust1;
      return a;
    });
    for (const [i, a] of answers.entries()) await record(survey, template.questions, null, a, `2026-03-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`);
    const results = await getSurveyResults(survey, null);
    for (const [construct, keys] of [["attachment", ["attach1", "attach2"]], ["preference", ["pref1", "pref2"]], ["continuity", ["cont1", "cont2"]], ["trust", ["trust1", "trust2"]]] as const) {
      const items = keys.map((k) => template.questions.find((q) => q.key === k)!);
      const complete = answers.filter((a) => keys.every((k) => a[k] !== undefined));
      const expected = cronbachAlpha(complete.map((a) => items.map((q) => itemScore(q, a[q.key])!)));
      expect(results.constructs[construct]).toMatchObject({ complete: complete.length, items: 2 });
      expect(results.constructs[construct]!.alpha).toBeCloseTo(expected!, 3);
    }
    expect(results.constructs.attachment!.complete).toBe(24);
    expect(results.constructs.trust!.complete).toBe(25);
    expect(results.constructs.recommend).toMatchObject({ alpha: null, items: 1, complete: 30 });
  });

  it("reports every question type, crosses choices, and keeps anonymous answers apart from customers without purchases", async () => {
    const questions: Question[] = [
      { key: "nps", type: "nps", label: L("Recommend?"), required: true, construct: "recommend" },
      { key: "like", type: "likert", label: L("I like it"), required: true, points: 5, construct: "attachment" },
      { key: "stars", type: "rating", label: L("Stars"), required: false, points: 5 },
      { key: "visit", type: "single", label: L("Visit"), required: false, options: [{ value: "weekly", label: L("Weekly") }, { value: "monthly", label: L("Monthly") }] },
      { key: "likes", type: "multiple", label: L("Likes"), required: false, options: [{ value: "price", label: L("Price") }, { value: "staff", label: L("Staff") }] },
      { key: "word", type: "short_text", label: L("One word"), required: false },
      { key: "story", type: "long_text", label: L("Story"), required: false },
    ];
    const survey = await createSurvey({ ...settings, title: L("Every type") }, questions, null);
    const buyer = await customer("BUYER", ["2026-01-10"]);
    const newcomer = await customer("NEW");
    await refreshMetrics({ asOf: "2026-05-01" });
    await record(survey, questions, buyer, { nps: 10, like: 5, stars: 4, visit: "weekly", likes: ["price", "staff"], word: "great" }, "2026-03-01T10:00:00Z");
    await record(survey, questions, newcomer, { nps: 3, like: 2, visit: "monthly", likes: ["staff"], story: "long story" }, "2026-03-02T10:00:00Z");
    await record(survey, questions, null, { nps: 8, like: 4, stars: 5, visit: "weekly", likes: [] }, "2026-03-03T10:00:00Z");

    const results = await getSurveyResults(survey, null);
    const q = Object.fromEntries(results.questions.map((r) => [r.key, r]));
    expect(Object.keys(q)).toEqual(questions.map((x) => x.key));
    expect(q.nps).toMatchObject({ answered: 3, mean: 7 });
    expect(q.like).toMatchObject({ answered: 3, mean: 3.67, topTwoBox: 0.6667 });
    expect(q.stars).toMatchObject({ answered: 2, mean: 4.5 });
    expect(q.visit).toMatchObject({ answered: 3, options: [{ value: "weekly", n: 2 }, { value: "monthly", n: 1 }] });
    expect(q.likes).toMatchObject({ answered: 3, options: [{ value: "price", n: 1, share: 0.3333 }, { value: "staff", n: 2, share: 0.6667 }] });
    expect(q.word).toEqual({ key: "word", type: "short_text", answered: 1 });
    expect(q.story).toEqual({ key: "story", type: "long_text", answered: 1 });
    const visit = q.visit as { byNpsCategory: { group: string; answered: number }[]; bySegment: { group: string; answered: number }[] };
    expect(visit.byNpsCategory.map((c) => [c.group, c.answered])).toEqual([["promoter", 1], ["passive", 1], ["detractor", 1]]);
    const buyerSegment = (await queryRows<{ s: string }>(sql`select cpm_segment as s from customer_metrics where customer_id = ${buyer}`))[0]!.s;
    expect(visit.bySegment.map((c) => c.group)).toEqual([buyerSegment, "none", "anonymous"]);
    expect(results.bySegment.map((s) => s.segment)).toEqual([buyerSegment, "none", "anonymous"]);
    // Each figure narrows to the group asked for.
    const none = await getSurveyResults(survey, "none");
    expect(none.responses).toBe(1);
    expect(none.nps.nps).toBe(-100);
    expect(none.questions.find((r) => r.key === "visit")).toMatchObject({ answered: 1, options: [{ n: 0 }, { n: 1 }] });
    expect((await getSurveyResults(survey, "anonymous")).counts).toEqual({ promoters: 0, passives: 1, detractors: 0 });

    // `portal results ID --json` prints the same figures as one JSON object.
    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
    await resultsCommand([String(survey), "--segment", "none", "--json"]);
    const json = JSON.parse(printed.join("\n"));
    expect(json).toMatchObject({ responses: 1, nps: { score: -100, n: 1, promoters: 0, passives: 0, detractors: 100 } });
    expect(json.nps.low).toBe(Math.round(none.nps.low! * 10) / 10);
    expect(json.constructs).toEqual({ attachment: { mean: 25, alpha: null, complete: 1, items: 1 }, recommend: { mean: 30, alpha: null, complete: 1, items: 1 } });
    expect(Object.keys(json.questions)).toEqual(questions.map((x) => x.key));
    await expect(resultsCommand([String(survey), "--segment", "nobody"])).rejects.toThrow(/Unknown segment: nobody/);
  });
  it("shows a new answer on the next page load when the refresh is quick, not the last figures", async () => {
    const questions: Question[] = [{ key: "nps", type: "nps", label: L("Recommend?"), required: true, construct: "recommend" }];
    const survey = await createSurvey({ ...settings, title: L("Pulse") }, questions, null);
    await record(survey, questions, null, { nps: 9 }, "2026-03-01T10:00:00Z");
    expect((await getSurveyResults(survey, null)).responses).toBe(1);
    // The statistics are now a minute old at most: a page (which does not insist on waiting) still
    // gets the second answer, because a refresh this small finishes within the page's grace.
    await record(survey, questions, null, { nps: 2 }, "2026-03-02T10:00:00Z");
    const page = await getSurveyResults(survey, null, undefined, { wait: false });
    expect(page).toMatchObject({ responses: 2, updating: false, counts: { promoters: 1, passives: 0, detractors: 1 } });
  });
});

describe("the surveys list", () => {
  useTestDatabase();

  it("splits the answers by where they came from, as the survey page counts them", async () => {
    const questions: Question[] = [{ key: "nps", type: "nps", label: L("Recommend?"), required: true, construct: "recommend" }];
    const survey = await createSurvey({ ...settings, title: L("Pulse") }, questions, null);
    const id = await customer("C9");
    await record(survey, questions, null, { nps: 9 }, "2026-03-01T10:00:00Z"); // open link
    await record(survey, questions, null, { nps: 3 }, "2026-03-02T10:00:00Z"); // open link
    await record(survey, questions, id, { nps: 7 }, "2026-03-03T10:00:00Z"); // imported
    const [row] = await listSurveys();
    expect(row).toMatchObject({ id: survey, answered: 3, byInvitation: 0, byOpenLink: 2, imported: 1 });
  });
});
