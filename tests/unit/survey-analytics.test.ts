// The rules behind the survey analytics (issue 12): the two "latest" rules of a customer's figures,
// alpha per construct (never over mixed constructs), and every question's result from answer counts.
import { describe, expect, it } from "vitest";
import { latestFigures } from "~/domain/survey/latest";
import { constructResults, questionResults, type AlphaMomentRow, type AnswerCountRow } from "~/domain/survey/results";
import { scoreResponse } from "~/domain/survey/scoring";
import { cronbachAlpha } from "~/domain/survey/stats";
import type { Question } from "~/domain/survey/types";

const L = (text: string) => ({ ja: text, en: text });
const likert = (key: string, construct: Question["construct"], reverse = false): Question => ({ key, type: "likert", label: L(key), required: false, points: 5, reverse, construct });
const nps: Question = { key: "nps", type: "nps", label: L("nps"), required: false, construct: "recommend" };

describe("a customer's latest figures", () => {
  const loyaltySurvey = [likert("a1", "attachment"), likert("t1", "trust"), nps];
  const npsOnlySurvey = [nps];

  it("a later NPS-only survey changes the NPS, not the loyalty score", () => {
    const first = scoreResponse(loyaltySurvey, { a1: 5, t1: 5, nps: 8 });
    const second = scoreResponse(npsOnlySurvey, { nps: 10 });
    expect(first.psychScore).toBe(93.3); // (100 + 100 + 80) / 3
    expect(second.psychScore).toBeNull(); // one construct: an NPS, not a loyalty score
    const responses = [
      { id: 1, surveyId: 1, submittedAt: "2026-05-01T10:00:00Z", ...first },
      { id: 2, surveyId: 2, submittedAt: "2026-06-01T10:00:00Z", ...second },
    ];
    const latest = latestFigures(responses);
    expect(latest.loyalty).toMatchObject({ surveyId: 1, psychScore: 93.3 });
    expect(latest.nps).toMatchObject({ surveyId: 2, npsScore: 10, npsCategory: "promoter" });
  });

  it("takes the later of two responses in the same moment by id, in any input order", () => {
    const at = "2026-05-01T10:00:00Z";
    const latest = latestFigures([
      { id: 7, surveyId: 3, submittedAt: at, psychScore: 40, npsScore: 3, npsCategory: "detractor" },
      { id: 5, surveyId: 2, submittedAt: at, psychScore: 90, npsScore: 9, npsCategory: "promoter" },
      { id: 9, surveyId: 4, submittedAt: "2026-04-01T10:00:00Z", psychScore: 10, npsScore: 0, npsCategory: "detractor" },
    ]);
    expect(latest.loyalty?.id).toBe(7);
    expect(latest.nps?.id).toBe(7);
    expect(latestFigures([])).toEqual({ loyalty: null, nps: null });
  });
});

describe("alpha per construct", () => {
  const questions = [likert("a1", "attachment"), likert("a2", "attachment"), likert("a3", "attachment", true), likert("t1", "trust"), nps];

  /** The moments survey_alpha_stats produces: the slots of alphaLayout, complete responses only. */
  function moments(rows: Record<string, number | undefined>[], keys: string[], reverse: string[], first: number): AlphaMomentRow[] {
    const complete = rows.filter((r) => keys.every((k) => r[k] !== undefined));
    const score = (k: string, v: number) => (reverse.includes(k) ? 100 - ((v - 1) / 4) * 100 : ((v - 1) / 4) * 100);
    const scored = complete.map((r) => keys.map((k) => score(k, r[k]!)));
    const out: AlphaMomentRow[] = keys.map((_, i) => ({
      pos: first + i,
      n: scored.length,
      s: scored.reduce((a, r) => a + r[i]!, 0),
      ss: scored.reduce((a, r) => a + r[i]! ** 2, 0),
    }));
    const totals = scored.map((r) => r.reduce((a, b) => a + b, 0));
    out.push({ pos: first + keys.length, n: scored.length, s: totals.reduce((a, b) => a + b, 0), ss: totals.reduce((a, b) => a + b * b, 0) });
    return out;
  }

  it("uses only the responses that answered every item, flips reverse items, and reads the figure", () => {
    const rows = [
      { a1: 5, a2: 4, a3: 1, t1: 5 },
      { a1: 4, a2: 4, a3: 2 },
      { a1: 2, a2: 1, a3: 4, t1: 2 },
      { a1: 3, a2: 3 }, // a3 missing: not complete, left out of attachment's alpha
      { a1: 1, a2: 2, a3: 5 },
      { a1: 4, a2: 5, a3: 2, t1: 4 },
    ];
    const result = constructResults(questions, moments(rows, ["a1", "a2", "a3"], ["a3"], 1), {
      attachment: { sum: 300, n: 6 },
      trust: { sum: 200, n: 3 },
      recommend: { sum: 0, n: 0 },
    });
    const complete = rows.filter((r) => r.a3 !== undefined).map((r) => [r.a1, r.a2, 6 - r.a3!]);
    const expected = cronbachAlpha(complete)!;
    expect(result.attachment).toMatchObject({ complete: 5, items: 3, mean: 50 });
    expect(result.attachment!.alpha).toBeCloseTo(expected, 3);
    expect(String(result.attachment!.alpha)).toMatch(/^0\.\d{1,3}$/);
    expect(result.attachment!.reading).toBe(expected >= 0.9 ? "redundant" : expected >= 0.7 ? "acceptable" : expected >= 0.6 ? "questionable" : "inconsistent");
    // One item: a mean and a count, no alpha; constructs the survey does not ask are absent.
    expect(result.trust).toEqual({ mean: 66.7, alpha: null, reading: null, complete: 3, items: 1 });
    expect(result.recommend).toEqual({ mean: null, alpha: null, reading: null, complete: 0, items: 1 });
    expect(result.preference).toBeUndefined();
  });

  it("has no alpha when too few complete responses exist", () => {
    const result = constructResults(questions, moments([{ a1: 5, a2: 4, a3: 1 }], ["a1", "a2", "a3"], ["a3"], 1), {});
    expect(result.attachment).toMatchObject({ alpha: null, reading: null, complete: 1, items: 3 });
  });
});

describe("every question's result", () => {
  const questions: Question[] = [
    nps,
    likert("l1", "attachment"),
    { key: "r1", type: "rating", label: L("r"), required: false, points: 5 },
    { key: "s1", type: "single", label: L("s"), required: false, options: [{ value: "yes", label: L("Yes") }, { value: "no", label: L("No") }] },
    { key: "m1", type: "multiple", label: L("m"), required: false, options: [{ value: "a", label: L("A") }, { value: "b", label: L("B") }, { value: "c", label: L("C") }] },
    { key: "t1", type: "short_text", label: L("t"), required: false },
  ];
  const row = (key: string, value: string, n: number, npsCategory = "promoter", segment = "loyal_active"): AnswerCountRow => ({ key, value, n, npsCategory, segment });
  const rows: AnswerCountRow[] = [
    // Scale and single choice: one row per value; multiple choice: '' counts its respondents.
    row("nps", "10", 2), row("nps", "9", 1),
    row("l1", "5", 1), row("l1", "4", 1), row("l1", "2", 2),
    row("r1", "3", 2),
    row("s1", "yes", 2), row("s1", "no", 1),
    row("s1", "no", 1, "detractor", "none"),
    row("m1", "", 2), row("m1", "a", 2), row("m1", "b", 1),
    row("t1", "", 5),
  ];
  const results = questionResults(questions, rows, ["loyal_active", "none", "anonymous"]);
  const byKey = Object.fromEntries(results.map((r) => [r.key, r]));

  it("gives scales their distribution over every point, mean and (Likert) top-2-box", () => {
    expect(byKey.nps).toMatchObject({ type: "nps", answered: 3, mean: 9.67 });
    expect((byKey.nps as { distribution: unknown[] }).distribution).toHaveLength(11);
    expect(byKey.l1).toMatchObject({ answered: 4, mean: 3.25, topTwoBox: 0.5 });
    expect((byKey.l1 as { distribution: { value: number; n: number }[] }).distribution.map((d) => d.n)).toEqual([0, 2, 0, 1, 1]);
    expect(byKey.r1).toMatchObject({ answered: 2, mean: 3 });
    expect(byKey.r1).not.toHaveProperty("topTwoBox");
  });

  it("gives choices counts and shares (multiple: of respondents), crossed by NPS category and segment", () => {
    expect(byKey.s1).toMatchObject({ answered: 4, options: [{ value: "yes", n: 2, share: 0.5 }, { value: "no", n: 2, share: 0.5 }] });
    expect(byKey.m1).toMatchObject({ answered: 2, options: [{ value: "a", n: 2, share: 1 }, { value: "b", n: 1, share: 0.5 }, { value: "c", n: 0, share: 0 }] });
    const s1 = byKey.s1 as { byNpsCategory: { group: string; answered: number; options: { value: string; share: number }[] }[]; bySegment: { group: string }[] };
    expect(s1.byNpsCategory.map((c) => [c.group, c.answered, c.options.map((o) => o.share)])).toEqual([
      ["promoter", 3, [0.6667, 0.3333]],
      ["detractor", 1, [0, 1]],
    ]);
    expect(s1.bySegment.map((c) => c.group)).toEqual(["loyal_active", "none"]);
  });

  it("counts the written answers of text questions, and gives unanswered questions zeros", () => {
    expect(byKey.t1).toEqual({ key: "t1", type: "short_text", answered: 5 });
    const empty = questionResults(questions, [], []);
    expect(empty.find((r) => r.key === "s1")).toMatchObject({ answered: 0, options: [{ n: 0, share: 0 }, { n: 0, share: 0 }] });
    expect(empty.find((r) => r.key === "l1")).toMatchObject({ answered: 0, mean: null, topTwoBox: null });
  });
});
