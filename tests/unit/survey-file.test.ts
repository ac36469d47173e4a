// Surveys as files: the loyalty template goes out and comes back unchanged; a bad file is refused with
// every problem named by path, question (index and key) and an i18n message in both languages.
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions } from "~/i18n";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { describeSurveyFileProblem, parseSurveyFile, problemField, toSurveyFile, type SurveyFile, type SurveyFileProblem } from "~/schemas/survey-file";

const settings = { layout: "all_on_one", linkDays: 14, reminderDays: null } as const;
// Through JSON, as a file goes: the template shares one options list between two questions.
const templateFile = (): SurveyFile => JSON.parse(JSON.stringify(toSurveyFile({ ...loyaltyTemplate(), ...settings }))) as SurveyFile;
/** Parses and returns the problems, failing the test when the file is accepted. */
function problemsOf(file: unknown): SurveyFileProblem[] {
  const result = parseSurveyFile(typeof file === "string" ? file : JSON.stringify(file));
  if (result.ok) throw new Error("the file was accepted");
  return result.problems;
}
const question = (extra: Record<string, unknown>) => ({ key: "q1", type: "nps", label: { ja: "おすすめしますか", en: "Recommend?" }, required: true, ...extra });

describe("survey file round trip", () => {
  it("gives back the loyalty template's texts, settings and questions exactly", () => {
    const template = loyaltyTemplate();
    const text = JSON.stringify(toSurveyFile({ ...template, ...settings }), null, 2);
    const result = parseSurveyFile(`\uFEFF${text}`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.survey).toEqual({ ...template, ...settings });
    expect(JSON.stringify(toSurveyFile(result.survey), null, 2)).toBe(text);
  });

  it("fills English from Japanese and the settings from the defaults, as the builder does", () => {
    const result = parseSurveyFile(JSON.stringify({ title: { ja: "満足度調査" }, questions: [question({ label: { ja: "おすすめしますか", en: "" } })] }));
    expect(result.ok && result.survey).toEqual({
      title: { ja: "満足度調査", en: "満足度調査" },
      intro: { ja: "", en: "" },
      thanks: { ja: "", en: "" },
      layout: "one_per_page",
      linkDays: 30,
      reminderDays: 7,
      questions: [{ key: "q1", type: "nps", label: { ja: "おすすめしますか", en: "おすすめしますか" }, required: true }],
    });
  });
});

describe("a bad survey file", () => {
  it("names unknown fields at the top, in a question and in an option", () => {
    const file = templateFile() as Record<string, unknown> & SurveyFile;
    file.colour = "red";
    (file.questions[2] as Record<string, unknown>).colour = "blue";
    (file.questions[9]!.options![1] as Record<string, unknown>).score = 3;
    expect(problemsOf(file)).toEqual([
      { path: "colour", message: "surveyFile.errors.unknownField" },
      { path: "questions[2].colour", message: "surveyFile.errors.unknownField", question: { index: 2, key: "pref1" } },
      { path: "questions[9].options[1].score", message: "surveyFile.errors.unknownField", question: { index: 9, key: "wallet" } },
    ]);
  });

  it("names a bad type, bad points and a duplicate key with the question's index and key", () => {
    const file = templateFile();
    (file.questions[1] as Record<string, unknown>).type = "slider";
    file.questions[3]!.points = 4;
    file.questions[5]!.key = "cont1";
    file.questions[8]!.points = 10; // NPS has no points
    const problems = problemsOf(file);
    expect(problems).toEqual([
      {
        path: "questions[1].type",
        message: "surveyFile.errors.notOneOf",
        params: { options: "nps, likert, rating, single, multiple, short_text, long_text" },
        question: { index: 1, key: "attach2" },
      },
      { path: "questions[3].points", message: "survey.builder.errors.badPoints", question: { index: 3, key: "pref2" } },
      { path: "questions[5].key", message: "survey.builder.errors.duplicateKey", question: { index: 5, key: "cont1" } },
      { path: "questions[8].points", message: "surveyFile.errors.notForType", params: { type: "nps" }, question: { index: 8, key: "nps" } },
    ]);
    expect(problemField(problems[1]!)).toBe("points");
  });

  it("applies the builder's checks and limits: title, keys, labels, options, settings, 100 questions", () => {
    const file = templateFile();
    file.title.ja = " ";
    file.linkDays = 0;
    file.reminderDays = 61;
    file.questions[0]!.key = "1st";
    file.questions[1]!.label.ja = "";
    file.questions[2]!.label.en = "x".repeat(501);
    file.questions[9]!.options = [{ value: "all", label: { ja: "すべて", en: "All" } }];
    file.questions[10]!.options![0]!.value = "yes|no";
    file.questions[11]!.reverse = true;
    expect(problemsOf(file).map((p) => [p.path, p.message, p.params])).toEqual([
      ["title.ja", "survey.builder.errors.labelRequired", undefined],
      ["linkDays", "surveys.errors.linkDays", undefined],
      ["reminderDays", "surveys.errors.reminderDays", undefined],
      ["questions[0].key", "survey.builder.errors.badKey", undefined],
      ["questions[1].label.ja", "survey.builder.errors.labelRequired", undefined],
      ["questions[2].label.en", "errors.tooLong", { max: 500 }],
      ["questions[9].options", "survey.builder.errors.needsOptions", undefined],
      ["questions[10].options[0].value", "surveyFile.errors.optionText", undefined],
      ["questions[11].reverse", "survey.builder.errors.reverseNotLikert", undefined],
    ]);
    const many = templateFile();
    many.questions = Array.from({ length: 101 }, (_, i) => question({ key: `q${i}` })) as SurveyFile["questions"];
    expect(problemsOf(many)).toEqual([{ path: "questions", message: "surveys.errors.tooManyQuestions" }]);
  });

  it("names missing fields and wrong kinds of value", () => {
    const file = { title: { ja: "調査", en: 3 }, layout: "grid", questions: [{ key: "q1", type: "likert", label: { ja: "好き" }, points: 5.5 }] };
    expect(problemsOf(file).map((p) => [p.path, p.message])).toEqual([
      ["title.en", "surveyFile.errors.expectedString"],
      ["layout", "surveyFile.errors.notOneOf"],
      ["questions[0].required", "surveyFile.errors.required"],
      ["questions[0].points", "surveyFile.errors.expectedWholeNumber"],
    ]);
    expect(problemsOf([])).toEqual([{ path: "", message: "surveyFile.errors.expectedObject" }]);
    expect(problemsOf({ title: { ja: "調査" } })).toEqual([{ path: "questions", message: "surveyFile.errors.required" }]);
  });

  it("says where invalid JSON breaks, and that an empty file is empty", () => {
    expect(problemsOf('{\n  "title": {"ja": "調査",}\n}')).toEqual([
      { path: "", message: "surveyFile.errors.invalidJson", params: { line: 2, column: 24, position: 25 } },
    ]);
    expect(problemsOf('{"title": ')[0]).toMatchObject({ message: "surveyFile.errors.invalidJson", params: { line: 1, column: 11, position: 10 } });
    expect(problemsOf(" \n")).toEqual([{ path: "", message: "surveyFile.errors.empty" }]);
  });

  it("describes a problem in the reader's language, with question number and key", async () => {
    const [en, ja] = await Promise.all(
      (["en", "ja"] as const).map(async (lng) => {
        const instance = i18next.createInstance();
        await instance.init(i18nOptions(lng));
        return instance.getFixedT(lng);
      }),
    );
    const file = templateFile();
    (file.questions[2] as Record<string, unknown>).colour = "blue";
    const [problem] = problemsOf(file);
    expect(describeSurveyFileProblem(problem!, en!)).toBe("questions[2].colour (question 3, key “pref1”): unknown field");
    expect(describeSurveyFileProblem(problem!, ja!)).toBe("questions[2].colour（3問目、キー「pref1」）：不明な項目です");
    const [json] = problemsOf("{");
    expect(describeSurveyFileProblem(json!, en!)).toBe("(whole file): Not valid JSON: look at line 1, column 2 (character 1).");
  });
});
