// The loyalty matrix's quadrants and the two candidate lists on their edges (issue 16).
import { describe, expect, it } from "vitest";
import {
  ambassadorVerdict,
  behaviourScore,
  checkCandidateSettings,
  cocreationVerdict,
  defaultCandidateSettings as settings,
  defaultQuadrantBorders as borders,
  interestOf,
  quadrantOf,
  viewSize,
  type CandidateInput,
} from "~/domain/loyalty";
import { latestFigures } from "~/domain/survey/latest";

const fan: CandidateInput = {
  segment: "loyal_active",
  purchaseCount: 12,
  tenureDays: 1170,
  rfmR: 5,
  rfmF: 5,
  rfmM: 4,
  psychScore: 86,
  npsScore: 10,
  npsCategory: "promoter",
  ambassadorInterest: "yes",
  cocreationInterest: "maybe",
  textChars: 340,
  contactable: true,
  member: false,
  dismissed: false,
};

describe("quadrants", () => {
  it("puts a score exactly at the border on the high side, one just under it on the low side", () => {
    expect(quadrantOf("loyal_active", 70, borders)).toBe("true_loyal");
    expect(quadrantOf("loyal_active", 69.9, borders)).toBe("habitual");
    expect(quadrantOf("first_active", 70, borders)).toBe("latent_fan");
    expect(quadrantOf("first_active", 69.9, borders)).toBe("low");
  });

  it("counts lapsed loyal customers and customers without purchases as low behaviour, and has no quadrant without a score", () => {
    expect(quadrantOf("loyal_lapsed", 95, borders)).toBe("latent_fan");
    expect(quadrantOf(null, 95, borders)).toBe("latent_fan");
    expect(quadrantOf("loyal_active", null, borders)).toBeNull();
  });

  it("follows the brand's own borders", () => {
    const strict = { highSegments: ["loyal_active" as const], psychBorder: 80 };
    expect(quadrantOf("steady_active", 90, strict)).toBe("latent_fan");
    expect(quadrantOf("loyal_active", 79, strict)).toBe("habitual");
  });

  it("scales the behaviour score from RFM 1-1-1 (0) to 5-5-5 (100)", () => {
    expect(behaviourScore(1, 1, 1)).toBe(0);
    expect(behaviourScore(5, 5, 5)).toBe(100);
    expect(behaviourScore(5, 5, 4)).toBe(91.7);
    expect(behaviourScore(null, 3, 3)).toBeNull();
  });
});

describe("ambassador candidates", () => {
  it("ranks a promoter with a high score who buys and is active, with the reasons in order", () => {
    const v = ambassadorVerdict(fan, settings);
    expect(v.status).toBe("candidate");
    if (v.status !== "candidate") return;
    // (3·0.86 + 2·1 + 2·0.9167 + 1·1 + 2·1) / 10 · 100
    expect(v.score).toBeCloseTo(94.1, 1);
    expect(v.reasons).toEqual([
      { kind: "promoter", nps: 10 },
      { kind: "score", score: 86 },
      { kind: "segment", segment: "loyal_active" },
      { kind: "tenure", years: 3.2 },
      { kind: "interest", list: "ambassador", answer: "yes" },
    ]);
  });

  it("takes a score exactly at the minimum and refuses one just under it", () => {
    expect(ambassadorVerdict({ ...fan, psychScore: 70 }, settings).status).toBe("candidate");
    expect(ambassadorVerdict({ ...fan, psychScore: 69.9 }, settings).status).toBe("not_candidate");
  });

  it("keeps someone who was not asked the interest question, ranked below the same person who said yes", () => {
    const unasked = ambassadorVerdict({ ...fan, ambassadorInterest: null }, settings);
    const yes = ambassadorVerdict(fan, settings);
    expect(unasked.status).toBe("candidate");
    if (unasked.status !== "candidate" || yes.status !== "candidate") return;
    expect(unasked.score).toBeLessThan(yes.score);
    expect(unasked.reasons).toContainEqual({ kind: "interest", list: "ambassador", answer: null });
  });

  it("excludes, with the reason, in order: no consent, member, detractor, said no, dismissed", () => {
    expect(ambassadorVerdict({ ...fan, contactable: false, member: true }, settings)).toEqual({ status: "excluded", reason: "no_consent" });
    expect(ambassadorVerdict({ ...fan, member: true }, settings)).toEqual({ status: "excluded", reason: "member" });
    // Members stay co-creation partners.
    expect(cocreationVerdict({ ...fan, member: true }, settings).status).toBe(cocreationVerdict(fan, settings).status);
    expect(ambassadorVerdict({ ...fan, npsScore: 3, npsCategory: "detractor" }, settings)).toEqual({ status: "excluded", reason: "detractor" });
    expect(ambassadorVerdict({ ...fan, ambassadorInterest: "no" }, settings)).toEqual({ status: "excluded", reason: "declined" });
    expect(ambassadorVerdict({ ...fan, dismissed: true }, settings)).toEqual({ status: "excluded", reason: "dismissed" });
  });

  it("reads the latest answers: a detractor who later answers as a promoter is a candidate; a later NPS-only survey keeps the earlier loyalty score", () => {
    const responses = [
      { id: 1, surveyId: 1, submittedAt: "2026-01-10T00:00:00Z", psychScore: 82, npsScore: 4, npsCategory: "detractor" },
      { id: 2, surveyId: 2, submittedAt: "2026-06-10T00:00:00Z", psychScore: null, npsScore: 9, npsCategory: "promoter" },
    ];
    const latest = latestFigures(responses);
    const input = { ...fan, psychScore: latest.loyalty!.psychScore, npsScore: latest.nps!.npsScore, npsCategory: latest.nps!.npsCategory };
    expect(input.psychScore).toBe(82);
    expect(ambassadorVerdict(input, settings).status).toBe("candidate");
    const reversed = latestFigures([{ ...responses[0], id: 3, submittedAt: "2026-09-01T00:00:00Z" }, responses[1]]);
    expect(ambassadorVerdict({ ...fan, npsCategory: reversed.nps!.npsCategory, npsScore: reversed.nps!.npsScore }, settings)).toEqual({ status: "excluded", reason: "detractor" });
  });

  it("wants a promoter who buys again and is active", () => {
    expect(ambassadorVerdict({ ...fan, npsScore: 8, npsCategory: "passive" }, settings).status).toBe("not_candidate");
    expect(ambassadorVerdict({ ...fan, segment: "loyal_lapsed" }, settings).status).toBe("not_candidate");
    expect(ambassadorVerdict({ ...fan, segment: "first_active", purchaseCount: 1 }, settings).status).toBe("not_candidate");
    expect(ambassadorVerdict({ ...fan, psychScore: null }, settings).status).toBe("not_candidate");
  });
});

describe("co-creation candidates", () => {
  const partner: CandidateInput = { ...fan, segment: "first_active", purchaseCount: 1, tenureDays: 0, npsScore: 8, npsCategory: "passive", cocreationInterest: "yes", textChars: 0 };

  it("needs no big spending: a first-time buyer who wants to help is a candidate", () => {
    const v = cocreationVerdict(partner, settings);
    expect(v.status).toBe("candidate");
    if (v.status !== "candidate") return;
    expect(v.score).toBeCloseTo((100 * (3 * 0.86 + 3 * 1)) / 10, 1);
    expect(v.reasons[0]).toEqual({ kind: "score", score: 86 });
  });

  it("without an interest answer, takes long tenure or rich open text, else not", () => {
    const unasked = { ...partner, cocreationInterest: null };
    expect(cocreationVerdict(unasked, settings).status).toBe("not_candidate");
    expect(cocreationVerdict({ ...unasked, textChars: 200 }, settings).status).toBe("candidate");
    expect(cocreationVerdict({ ...unasked, textChars: 199 }, settings).status).toBe("not_candidate");
    expect(cocreationVerdict({ ...unasked, tenureDays: 1096 }, settings).status).toBe("candidate");
  });

  it("excludes someone who said no, and a detractor", () => {
    expect(cocreationVerdict({ ...partner, cocreationInterest: "no", textChars: 900 }, settings)).toEqual({ status: "excluded", reason: "declined" });
    expect(cocreationVerdict({ ...partner, npsCategory: "detractor", npsScore: 2 }, settings)).toEqual({ status: "excluded", reason: "detractor" });
  });
});

describe("settings and views", () => {
  it("refuses a score border outside 0-100, a negative weight and a list with no weight, naming the field", () => {
    expect(checkCandidateSettings(settings, borders)).toEqual([]);
    const bad = { ...settings, minScore: 101, ambassador: { ...settings.ambassador, nps: -1 }, cocreation: { psych: 0, interest: 0, tenure: 0, text: 0 } };
    expect(checkCandidateSettings(bad, { ...borders, psychBorder: -5 })).toEqual([
      { field: "psychBorder", problem: "score_range" },
      { field: "minScore", problem: "score_range" },
      { field: "ambassador.nps", problem: "negative_weight" },
      { field: "cocreation", problem: "no_weight" },
    ]);
    // Borders are whole scores: the matrix counts respondents by whole score.
    expect(checkCandidateSettings({ ...settings, minScore: 69.5 }, { ...borders, psychBorder: 70.5 })).toEqual([
      { field: "psychBorder", problem: "score_range" },
      { field: "minScore", problem: "score_range" },
    ]);
    expect(checkCandidateSettings({ ...settings, minScore: 0 }, { ...borders, psychBorder: 100 })).toEqual([]);
  });

  it("shows the top 5 % and 10 % rounded up, at least one", () => {
    expect(viewSize("top5", 1)).toBe(1);
    expect(viewSize("top5", 100)).toBe(5);
    expect(viewSize("top5", 101)).toBe(6);
    expect(viewSize("top10", 1000)).toBe(100);
    expect(viewSize("all", 7)).toBe(7);
    expect(viewSize("top5", 0)).toBe(0);
  });

  it("reads interest from a choice's value or a scale's position", () => {
    expect(interestOf("single", "yes")).toBe("yes");
    expect(interestOf("single", "other")).toBeNull();
    expect(interestOf("likert", 5, 5)).toBe("yes");
    expect(interestOf("likert", 3, 5)).toBe("maybe");
    expect(interestOf("likert", 2, 5)).toBe("no");
    expect(interestOf("nps", 6)).toBe("maybe");
    expect(interestOf("likert", 9, 5)).toBeNull();
  });
});
