import { describe, expect, it } from "vitest";
import { answerErrorKeys, answerSchema, cleanAnswers } from "~/schemas/survey-answers";
import { loyaltyTemplate, questionErrorKeys, validateQuestions } from "~/domain/survey/loyalty-template";
import { alphaLayout, itemScore, npsCategory, scoreResponse } from "~/domain/survey/scoring";
import { alphaReading, cronbachAlpha, cronbachAlphaFromMoments, npsOf, npsWithInterval } from "~/domain/survey/stats";
import { constructs, type Construct, type Question } from "~/domain/survey/types";

const L = (text: string) => ({ ja: text, en: text });
const likert = (key: string, construct: Construct | null, extra: Partial<Question> = {}): Question => ({
  key,
  type: "likert",
  label: L(key),
  required: true,
  points: 5,
  construct,
  ...extra,
});
const nps = (key: string, construct: Construct | null = "recommend"): Question => ({ key, type: "nps", label: L(key), required: true, construct });

describe("item scores", () => {
  it("rescales NPS, Likert and rating items to 0–100", () => {
    expect(itemScore(nps("nps"), 7)).toBe(70);
    expect(itemScore(likert("a", "attachment"), 4)).toBe(75);
    expect(itemScore(likert("a", "attachment", { points: 7 }), 7)).toBe(100);
    expect(itemScore({ key: "r", type: "rating", label: L("r"), required: true }, 4)).toBe(75); // 5 stars by default
    expect(itemScore({ key: "r", type: "rating", label: L("r"), required: true, points: 10 }, 1)).toBe(0);
    expect(itemScore({ key: "s", type: "single", label: L("s"), required: true, options: [] }, "yes")).toBeNull();
    expect(itemScore(likert("a", "attachment"), undefined)).toBeNull();
  });

  it("flips reverse-scored Likert items", () => {
    const reverse = likert("p", "preference", { reverse: true });
    expect(itemScore(reverse, 5)).toBe(0);
    expect(itemScore(reverse, 1)).toBe(100);
    expect(itemScore(reverse, 2)).toBe(75);
    expect(itemScore(likert("p", "preference", { reverse: true, points: 7 }), 2)).toBeCloseTo(100 - 100 / 6, 10);
  });
});

describe("response scores", () => {
  // attachment: 5 → 100 and 3 → 50, mean 75; preference: reverse 2 → 75; recommend: 10 → 100;
  // trust (7 points): 6 → 5/6 = 83.33…; continuity not asked.
  const questions = [
    likert("attach1", "attachment"),
    likert("attach2", "attachment"),
    likert("pref2", "preference", { reverse: true }),
    nps("nps"),
    likert("trust1", "trust", { points: 7 }),
  ];
  const answers = { attach1: 5, attach2: 3, pref2: 2, nps: 10, trust1: 6 };

  it("averages items per construct and re-normalises equal weights over the constructs present", () => {
    const scores = scoreResponse(questions, answers);
    expect(scores.constructScores).toEqual({ attachment: 75, preference: 75, recommend: 100, trust: 83.3 });
    // (75 + 75 + 100 + 83.333) / 4 = 83.333 → 83.3 (continuity is missing, so four weights of 1)
    expect(scores.psychScore).toBe(83.3);
    expect(scores.npsScore).toBe(10);
    expect(scores.npsCategory).toBe("promoter");
  });

  it("applies the brand's weights", () => {
    const weights = { attachment: 1, preference: 1, continuity: 1, trust: 1, recommend: 2 };
    // (75 + 75 + 2×100 + 83.333) / 5 = 433.333 / 5 = 86.667 → 86.7
    expect(scoreResponse(questions, answers, weights).psychScore).toBe(86.7);
    // trust weighted 0 is left out: (75 + 75 + 2×100) / 4 = 87.5
    expect(scoreResponse(questions, answers, { ...weights, trust: 0 }).psychScore).toBe(87.5);
  });

  it("scores a response on the constructs it answered, and gives no loyalty score from one construct alone", () => {
    const scores = scoreResponse(questions, { attach1: 4 });
    expect(scores.constructScores).toEqual({ attachment: 75 });
    expect(scores.psychScore).toBeNull();
    expect(scores.npsScore).toBeNull();
    expect(scores.npsCategory).toBeNull();
  });

  it("has no psychological score for a survey without scored items", () => {
    const choiceOnly: Question[] = [
      { key: "wallet", type: "single", label: L("w"), required: true, construct: "share_of_wallet", options: [{ value: "all", label: L("all") }] },
      { key: "comment", type: "long_text", label: L("c"), required: false },
    ];
    expect(scoreResponse(choiceOnly, { wallet: "all", comment: "good" })).toEqual({
      psychScore: null,
      npsScore: null,
      npsCategory: null,
      constructScores: {},
      alphaScores: null,
    });
  });

  it("keeps, per construct with two or more items, its item scores and their total for Cronbach's alpha, only when all were answered", () => {
    const questions = loyaltyTemplate().questions;
    const answers = { attach1: 5, attach2: 4, pref1: 3, pref2: 2, cont1: 1, cont2: 5, trust1: 4, trust2: 3, nps: 7, wallet: "about_half", ambassador: "no", cocreation: "no" };
    // attachment, preference (pref2 reverse-scored), continuity, trust: two items and their total each;
    // recommend has one item (the NPS) and no alpha, so no slots.
    expect(alphaLayout(questions).map((s) => [s.construct, s.first])).toEqual([["attachment", 1], ["preference", 4], ["continuity", 7], ["trust", 10]]);
    expect(scoreResponse(questions, answers).alphaScores).toEqual([100, 75, 175, 50, 75, 125, 0, 100, 100, 75, 50, 125]);
    const { trust2: _skipped, ...incomplete } = answers;
    expect(scoreResponse(questions, incomplete).alphaScores).toEqual([100, 75, 175, 50, 75, 125, 0, 100, 100, null, null, null]);
    expect(scoreResponse(questions, { nps: 7 }).alphaScores).toBeNull();
  });

  it("reads the NPS from the nps item tagged recommend, else the first nps item", () => {
    const two = [nps("staff", null), nps("brand", "recommend")];
    expect(scoreResponse(two, { staff: 3, brand: 9 }).npsScore).toBe(9);
    expect(scoreResponse([nps("staff", null), nps("other", null)], { staff: 3, other: 9 }).npsScore).toBe(3);
  });

  it.each([
    [0, "detractor"],
    [6, "detractor"],
    [7, "passive"],
    [8, "passive"],
    [9, "promoter"],
    [10, "promoter"],
  ] as const)("NPS %i is a %s", (score, category) => {
    expect(npsCategory(score)).toBe(category);
    expect(scoreResponse([nps("nps")], { nps: score }).npsCategory).toBe(category);
  });
});

describe("answer schema", () => {
  const questions: Question[] = [
    nps("nps"),
    likert("attach1", "attachment"),
    { key: "stars", type: "rating", label: L("stars"), required: false, points: 5 },
    {
      key: "ambassador",
      type: "single",
      label: L("a"),
      required: true,
      options: ["yes", "maybe", "no"].map((value) => ({ value, label: L(value) })),
    },
    {
      key: "channels",
      type: "multiple",
      label: L("c"),
      required: false,
      options: ["shop", "web", "app"].map((value) => ({ value, label: L(value) })),
    },
    { key: "nickname", type: "short_text", label: L("n"), required: false },
    { key: "comment", type: "long_text", label: L("c"), required: false },
  ];
  const valid = { nps: 9, attach1: 4, ambassador: "yes" };
  const schema = answerSchema(questions);
  const errors = (input: unknown) => {
    const result = schema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  };

  it("accepts a valid response and numeric strings from HTML forms", () => {
    expect(schema.parse(valid)).toEqual(valid);
    expect(schema.parse({ nps: "7", attach1: " 5 ", ambassador: "no", stars: "3" })).toEqual({ nps: 7, attach1: 5, ambassador: "no", stars: 3 });
    expect(schema.parse({ ...valid, nps: "0" }).nps).toBe(0);
  });

  it.each([
    [{ nps: 11 }, "nps", "survey.errors.outOfRange"],
    [{ nps: -1 }, "nps", "survey.errors.outOfRange"],
    [{ attach1: "6" }, "attach1", "survey.errors.outOfRange"],
    [{ attach1: 0 }, "attach1", "survey.errors.outOfRange"],
    [{ stars: 6 }, "stars", "survey.errors.outOfRange"],
    [{ nps: "7.5" }, "nps", "survey.errors.invalid"],
    [{ nps: 7.5 }, "nps", "survey.errors.invalid"],
    [{ nps: "abc" }, "nps", "survey.errors.invalid"],
    [{ nps: true }, "nps", "survey.errors.invalid"],
    [{ nps: "" }, "nps", "survey.errors.required"],
    [{ ambassador: "certainly" }, "ambassador", "survey.errors.notOffered"],
    [{ channels: ["shop", "phone"] }, "channels", "survey.errors.notOffered"],
    [{ channels: ["shop", "shop"] }, "channels", "survey.errors.invalid"],
    [{ nickname: "x".repeat(201) }, "nickname", "survey.errors.tooLong"],
    [{ comment: "あ".repeat(2001) }, "comment", "survey.errors.tooLong"],
  ])("refuses %j with %s: %s", (change, path, message) => {
    expect(errors({ ...valid, ...change })).toEqual([{ path, message }]);
  });

  it("refuses a missing required answer", () => {
    expect(errors({ attach1: 4, ambassador: "yes" })).toEqual([{ path: "nps", message: "survey.errors.required" }]);
    expect(errors({ ...valid, ambassador: null })).toEqual([{ path: "ambassador", message: "survey.errors.required" }]);
  });

  it("refuses an answer to a question this survey does not ask", () => {
    // e.g. a value posted from another survey's page
    const result = schema.safeParse({ ...valid, wallet: "almost_all" });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([{ code: "unrecognized_keys", keys: ["wallet"], message: "survey.errors.unknownQuestion" }]);
  });

  it("takes text at the limit, trims it, and keeps markup as text", () => {
    expect(schema.parse({ ...valid, nickname: "x".repeat(200) }).nickname).toHaveLength(200);
    expect(schema.parse({ ...valid, nickname: "  Ken  " }).nickname).toBe("Ken");
    const script = '<script>alert("x")</script> & <b>bold</b>';
    expect(schema.parse({ ...valid, comment: script }).comment).toBe(script);
    // A browser posts a textarea's line breaks as CRLF; they count as one character, as in the form.
    expect(schema.parse({ ...valid, comment: "a\r\n".repeat(1000) }).comment).toHaveLength(1999);
  });

  it("treats empty optional answers as absent and accepts one ticked box as a list", () => {
    const parsed = schema.parse({ ...valid, stars: "", channels: [], nickname: "   ", comment: null });
    expect(cleanAnswers(questions, parsed)).toEqual(valid);
    expect(schema.parse({ ...valid, channels: "web" }).channels).toEqual(["web"]);
    expect(cleanAnswers(questions, schema.parse({ ...valid, channels: ["web", "app"] }))).toEqual({ ...valid, channels: ["web", "app"] });
  });

  it("lets required answers be absent in partial mode, still checking those given", () => {
    const partial = answerSchema(questions, { partial: true });
    expect(partial.parse({ attach1: "3" })).toEqual({ attach1: 3 });
    expect(partial.safeParse({}).success).toBe(true);
    expect(partial.safeParse({ nps: 12 }).error?.issues[0].message).toBe("survey.errors.outOfRange");
    expect(partial.safeParse({ other: 1 }).error?.issues[0].message).toBe("survey.errors.unknownQuestion");
  });

  it("only ever answers with its own message keys", () => {
    const bad = [null, "x", [], { nps: {}, attach1: [], stars: NaN, ambassador: 3, channels: [1, 2], nickname: 5, comment: {}, extra: 1 }];
    for (const input of bad) {
      const result = schema.safeParse(input);
      expect(result.success).toBe(false);
      for (const issue of result.error?.issues ?? []) expect(answerErrorKeys).toContain(issue.message);
    }
  });
});

describe("Cronbach's alpha", () => {
  it("matches a published example", () => {
    // "Survey reliability", thinkdeeply.cc (https://thinkdeeply.cc/posts/survey-reliability): ten
    // respondents, four 5-point Likert items X1–X4; the post computes α = 0.674 by hand and confirms it
    // with R (ltm::cronbach.alpha: "Items: 4, Sample units: 10, alpha: 0.674").
    const rows = [
      [3, 3, 3, 3],
      [3, 3, 4, 3],
      [3, 3, 3, 1],
      [5, 4, 4, 5],
      [2, 1, 4, 4],
      [4, 4, 4, 5],
      [3, 2, 3, 3],
      [3, 4, 3, 3],
      [4, 2, 2, 3],
      [3, 3, 2, 3],
    ];
    const alpha = cronbachAlpha(rows);
    expect(alpha?.toFixed(3)).toBe("0.674");
    expect(cronbachAlphaFromMoments(moments(rows))?.toFixed(3)).toBe("0.674");
    expect(alphaReading(alpha)).toBe("questionable");
  });

  it("gives the same alpha from sums and sums of squares as from the rows", () => {
    const random = mulberry32(20240601);
    for (let trial = 0; trial < 20; trial++) {
      const items = 2 + Math.floor(random() * 6);
      const rows = Array.from({ length: 5 + Math.floor(random() * 200) }, () => {
        const trait = random() * 4; // a shared trait makes the items correlate, as real scales do
        return Array.from({ length: items }, () => Math.min(7, Math.max(1, Math.round(1 + trait + random() * 3 - 1))));
      });
      const alpha = cronbachAlpha(rows);
      expect(alpha).not.toBeNull();
      expect(cronbachAlphaFromMoments(moments(rows))).toBeCloseTo(alpha!, 10);
    }
  });

  it("is 1 for identical items and undefined without spread, items or respondents", () => {
    const identical = [1, 2, 4, 5, 3].map((v) => [v, v, v]);
    expect(cronbachAlpha(identical)).toBeCloseTo(1, 12);
    expect(cronbachAlphaFromMoments(moments(identical))).toBeCloseTo(1, 12);
    expect(cronbachAlpha([[1, 2], [2, 1], [3, 0]])).toBeNull(); // every total is 3
    expect(cronbachAlphaFromMoments(moments([[1, 2], [2, 1], [3, 0]]))).toBeNull();
    expect(cronbachAlpha([[1], [2], [3]])).toBeNull();
    expect(cronbachAlpha([[1, 2, 3]])).toBeNull();
    expect(cronbachAlpha([])).toBeNull();
  });

  it.each([
    [0.95, "redundant"],
    [0.9, "redundant"],
    [0.85, "acceptable"],
    [0.7, "acceptable"],
    [0.1 + 0.6, "acceptable"], // 0.6999999999999998 in floating point
    [0.65, "questionable"],
    [0.6, "questionable"],
    [0.59, "inconsistent"],
    [-0.2, "inconsistent"],
    [null, null],
  ] as const)("alpha %s reads %s", (alpha, reading) => {
    expect(alphaReading(alpha)).toBe(reading);
  });
});

describe("NPS interval (adjusted Wald, Rocks 2016)", () => {
  // n' = n + 3, p' = (P + ¾) / n', d' = (D + ¾) / n'; SE = √((p' + d' − (p' − d')²) / n');
  // interval = 100 × ((p' − d') ± 1.96 SE), clipped to −100…100; the point estimate stays the plain NPS.
  it("matches a hand computation", () => {
    // 50 / 30 / 20: n' = 103, p' = 50.75/103 = 0.492718, d' = 20.75/103 = 0.201456, centre 0.291262;
    // var = (0.694175 − 0.084834) / 103 = 0.005916; SE = 0.076915; half-width 0.150754.
    const result = npsWithInterval({ promoters: 50, passives: 30, detractors: 20 });
    expect(result).toMatchObject({ n: 100, indicative: false });
    expect(result.nps).toBeCloseTo(30, 10);
    expect(result.low).toBeCloseTo(14.051, 2);
    expect(result.high).toBeCloseTo(44.202, 2);
  });

  it("does not collapse for six promoters", () => {
    // n' = 9, p' = 0.75, d' = 0.083333, centre 0.666667; var = (0.833333 − 0.444444) / 9 = 0.043210;
    // SE = 0.207870; half-width 0.407425: 25.92 to 107.4, clipped to 100.
    const result = npsWithInterval({ promoters: 6, passives: 0, detractors: 0 });
    expect(result).toMatchObject({ n: 6, nps: 100, high: 100, indicative: true });
    expect(result.low).toBeCloseTo(25.92, 2);
  });

  it("is symmetric around 0 for all passives", () => {
    // 10 passives: n' = 13, p' = d' = 0.057692; var = 0.115385 / 13 = 0.0088757; SE = 0.094211; ±18.47.
    const result = npsWithInterval({ promoters: 0, passives: 10, detractors: 0 });
    expect(result.nps).toBe(0);
    expect(result.low).toBeCloseTo(-18.465, 2);
    expect(result.high).toBeCloseTo(18.465, 2);
  });

  it("is wide, not −73 to 100, for three answers, and indicative under 30", () => {
    // 1 / 1 / 1: n' = 6, p' = d' = 0.291667; var = 0.583333 / 6 = 0.097222; SE = 0.311805; ±61.11.
    const result = npsWithInterval({ promoters: 1, passives: 1, detractors: 1 });
    expect(result.nps).toBe(0);
    expect(result.low).toBeCloseTo(-61.114, 2);
    expect(result.high).toBeCloseTo(61.114, 2);
    expect(result.indicative).toBe(true);
    expect(npsWithInterval({ promoters: 10, passives: 10, detractors: 10 }).indicative).toBe(false);
    expect(npsWithInterval({ promoters: 10, passives: 10, detractors: 9 }).indicative).toBe(true);
  });

  it("is % promoters − % detractors of those who answered, defined once (npsOf)", () => {
    expect(npsOf({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
    expect(npsOf({ promoters: 0, passives: 5, detractors: 0 })).toBe(0);
    expect(npsOf({ promoters: 1, passives: 1, detractors: 1 })).toBe(0);
    expect(npsOf({ promoters: 2, passives: 0, detractors: 1 })).toBeCloseTo(100 / 3, 12);
    expect(npsOf({ promoters: 3, passives: 4, detractors: 1 })).toBe(25);
    expect(npsOf({ promoters: 0, passives: 0, detractors: 7 })).toBe(-100);
    for (const counts of [{ promoters: 50, passives: 30, detractors: 20 }, { promoters: 1, passives: 0, detractors: 2 }]) {
      expect(npsWithInterval(counts).nps).toBe(npsOf(counts));
    }
  });

  it("clips to −100 and has no value without answers", () => {
    const allDetractors = npsWithInterval({ promoters: 0, passives: 0, detractors: 4 });
    expect(allDetractors).toMatchObject({ n: 4, nps: -100, low: -100 });
    expect(allDetractors.high).toBeGreaterThan(-100);
    expect(npsWithInterval({ promoters: 0, passives: 0, detractors: 0 })).toEqual({ n: 0, nps: null, low: null, high: null, indicative: true });
  });
});

describe("loyalty template", () => {
  const template = loyaltyTemplate();

  it("passes the builder's checks", () => {
    expect(validateQuestions(template.questions)).toEqual([]);
  });

  it("covers every construct, with stable keys", () => {
    expect(new Set(template.questions.map((q) => q.construct).filter(Boolean))).toEqual(new Set(constructs));
    expect(template.questions.map((q) => q.key)).toEqual([
      "attach1", "attach2", "pref1", "pref2", "cont1", "cont2", "trust1", "trust2", "nps", "wallet", "ambassador", "cocreation", "comment",
    ]);
    const byKey = Object.fromEntries(template.questions.map((q) => [q.key, q]));
    expect(byKey.nps).toMatchObject({ type: "nps", construct: "recommend", required: true });
    expect(template.questions.filter((q) => q.reverse).map((q) => q.key)).toEqual(["pref2"]);
    expect(byKey.comment).toMatchObject({ type: "long_text", required: false });
    expect(template.questions.filter((q) => q.type === "likert").every((q) => q.required && q.points === 5)).toBe(true);
  });

  it("has both languages filled in everywhere", () => {
    const texts: [string, unknown][] = [];
    const walk = (node: unknown, path: string) => {
      if (node && typeof node === "object" && "ja" in node && "en" in node) {
        texts.push([`${path}.ja`, node.ja], [`${path}.en`, node.en]);
      } else if (node && typeof node === "object") {
        for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`);
      }
    };
    walk(template, "template");
    expect(texts.length).toBeGreaterThan(60);
    for (const [path, text] of texts) expect(typeof text === "string" && text.trim() !== "", path).toBe(true);
    for (const q of template.questions) expect(q.label.ja, q.key).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });

  it("accepts and scores a full answer", () => {
    const answers = { attach1: 5, attach2: 5, pref1: 5, pref2: 1, cont1: 5, cont2: 5, trust1: 5, trust2: 5, nps: 10, wallet: "almost_all", ambassador: "yes", cocreation: "maybe" };
    const parsed = answerSchema(template.questions).parse(answers);
    expect(scoreResponse(template.questions, cleanAnswers(template.questions, parsed))).toMatchObject({ psychScore: 100, npsCategory: "promoter" });
  });
});

describe("question checks", () => {
  it("names each problem with its field and message key", () => {
    const option = (value: string) => ({ value, label: L(value) });
    const problems = validateQuestions([
      likert("attach1", "attachment"),
      likert("attach1", "attachment", { points: 4 }),
      { ...nps("Bad-Key"), reverse: true },
      { key: "s", type: "single", label: { ja: " ", en: "Pick" }, required: true, options: [option("a")] },
      { key: "m", type: "multiple", label: L("m"), required: true, options: [option("a"), option("a"), { value: "", label: L("none") }] },
      { key: "r", type: "rating", label: L("r"), required: true, points: 11 },
    ]);
    expect(problems).toEqual([
      { index: 1, field: "key", message: "survey.builder.errors.duplicateKey" },
      { index: 1, field: "points", message: "survey.builder.errors.badPoints" },
      { index: 2, field: "key", message: "survey.builder.errors.badKey" },
      { index: 2, field: "reverse", message: "survey.builder.errors.reverseNotLikert" },
      { index: 3, field: "label", message: "survey.builder.errors.labelRequired" },
      { index: 3, field: "options", message: "survey.builder.errors.needsOptions" },
      { index: 4, field: "options.1.value", message: "survey.builder.errors.duplicateOption" },
      { index: 4, field: "options.2.value", message: "survey.builder.errors.optionValueRequired" },
      { index: 5, field: "points", message: "survey.builder.errors.badPoints" },
    ]);
    for (const problem of problems) expect(questionErrorKeys).toContain(problem.message);
  });
});

function moments(rows: number[][]) {
  const k = rows[0].length;
  const totals = rows.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    n: rows.length,
    itemSums: Array.from({ length: k }, (_, i) => rows.reduce((sum, row) => sum + row[i], 0)),
    itemSumSquares: Array.from({ length: k }, (_, i) => rows.reduce((sum, row) => sum + row[i] ** 2, 0)),
    totalSum: totals.reduce((a, b) => a + b, 0),
    totalSumSquares: totals.reduce((sum, t) => sum + t * t, 0),
  };
}

// A small seeded generator, so a failure can be replayed.
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
