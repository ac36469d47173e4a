// A survey as a file (like LimeSurvey's survey export): the JSON written by "Download as file" and
// `portal export survey`, and read back as a new draft. The format is the app's own question shape;
// the builder's limits and checks apply, and every problem names its place in the file.
import { z } from "zod";
import { validateQuestions } from "~/domain/survey/loyalty-template";
import { constructs, questionTypes, type ChoiceOption, type Localized, type Question, type QuestionType } from "~/domain/survey/types";

export type SurveyFileLayout = "one_per_page" | "all_on_one";

/** What a file carries, and what an import creates (defaults filled in, English taken from Japanese when empty). */
export interface SurveyFileContent {
  title: Localized;
  intro: Localized;
  thanks: Localized;
  layout: SurveyFileLayout;
  linkDays: number;
  reminderDays: number | null;
  questions: Question[];
}

/** The settings of a new survey when the file leaves them out (those of "New survey" on the surveys page). */
export const surveyFileDefaults = { layout: "one_per_page", linkDays: 30, reminderDays: 7 } as const;

// The builder's limits (app/schemas/survey.ts builderSchema), on the file's nested shape.
const LIMITS = { title: 200, intro: 2000, thanks: 1000, label: 500, help: 500, anchor: 100, optionsText: 5000, questions: 100 } as const;

const text = (max: number) => z.string().trim().max(max);
/** Both languages; English may be empty or left out, then the Japanese text is used (as in the builder). */
const localized = (max: number, jaRequired = false) =>
  z.object({ ja: jaRequired ? text(max).min(1, "survey.builder.errors.labelRequired") : text(max), en: text(max).optional() }).strict();

const optionSchema = z.object({ value: text(LIMITS.optionsText), label: localized(LIMITS.optionsText) }).strict();

const scaleTypes: ReadonlySet<QuestionType> = new Set(["nps", "likert", "rating"]);
const choiceTypes: ReadonlySet<QuestionType> = new Set(["single", "multiple"]);

export const surveyFileQuestionSchema = z
  .object({
    key: z.string().trim(),
    type: z.enum(questionTypes),
    label: localized(LIMITS.label),
    help: localized(LIMITS.help).nullable().optional(),
    required: z.boolean(),
    points: z.number().int().nullable().optional(),
    reverse: z.boolean().optional(),
    construct: z.enum(constructs).nullable().optional(),
    anchors: z.object({ low: localized(LIMITS.anchor), high: localized(LIMITS.anchor) }).strict().nullable().optional(),
    options: z.array(optionSchema).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    // Fields the builder would silently drop for this type are refused: the file says something it cannot mean.
    const notForType = (field: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: "surveyFile.errors.notForType", params: { type: q.type } });
    if (q.points != null && q.type !== "likert" && q.type !== "rating") notForType("points");
    if (q.options !== undefined && !choiceTypes.has(q.type)) notForType("options");
    if (q.construct != null && !scaleTypes.has(q.type) && !choiceTypes.has(q.type)) notForType("construct");
    if (q.anchors != null && q.type !== "likert" && q.type !== "nps") notForType("anchors");
    // The builder edits options as `value | 日本語 | English` lines: a `|` or line break would not survive it.
    (q.options ?? []).forEach((option, index) => {
      const texts = [["value", option.value], ["label.ja", option.label.ja], ["label.en", option.label.en ?? ""]] as const;
      for (const [field, value] of texts) {
        if (/[|\r\n]/.test(value)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["options", index, ...field.split(".")], message: "surveyFile.errors.optionText" });
      }
    });
    const optionsText = (q.options ?? []).map((o) => `${o.value} | ${o.label.ja} | ${o.label.en ?? ""}`).join("\n");
    if (optionsText.length > LIMITS.optionsText) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["options"], message: "errors.tooLong", params: { max: LIMITS.optionsText } });
    }
  });

const days = (max: number, message: string) => z.number({ invalid_type_error: message }).int(message).min(1, message).max(max, message);

/** The file, checked field by field; unknown fields anywhere are refused. */
export const surveyFileSchema = z
  .object({
    title: localized(LIMITS.title, true),
    intro: localized(LIMITS.intro).optional(),
    thanks: localized(LIMITS.thanks).optional(),
    layout: z.enum(["one_per_page", "all_on_one"]).optional(),
    linkDays: days(365, "surveys.errors.linkDays").optional(),
    reminderDays: days(60, "surveys.errors.reminderDays").nullable().optional(),
    questions: z.array(surveyFileQuestionSchema).max(LIMITS.questions, "surveys.errors.tooManyQuestions"),
  })
  .strict();
export type SurveyFile = z.input<typeof surveyFileSchema>;

export interface SurveyFileProblem {
  /** Where in the file, as a JSON path: `title.ja`, `questions[2].points`, `questions[2].colour`; "" for the whole file. */
  path: string;
  /** An i18n key. */
  message: string;
  params?: Record<string, string | number>;
  /** The question at fault: its position in `questions` (from 0) and its key when the file gives one. */
  question?: { index: number; key?: string };
}

export type SurveyFileParse = { ok: true; survey: SurveyFileContent } | { ok: false; problems: SurveyFileProblem[] };

export function parseSurveyFile(text: string): SurveyFileParse {
  const source = text.replace(/^\uFEFF/, "");
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    return { ok: false, problems: [jsonProblem(source, error)] };
  }
  const rawQuestions = isRecord(raw) && Array.isArray(raw.questions) ? raw.questions : [];
  const locate = (path: (string | number)[]): SurveyFileProblem["question"] => {
    if (path[0] !== "questions" || typeof path[1] !== "number") return undefined;
    const rawQuestion: unknown = rawQuestions[path[1]];
    const key = isRecord(rawQuestion) && typeof rawQuestion.key === "string" ? rawQuestion.key.trim() : undefined;
    return key ? { index: path[1], key } : { index: path[1] };
  };
  const problem = (path: (string | number)[], message: string, params?: SurveyFileProblem["params"]): SurveyFileProblem => {
    const question = locate(path);
    return { path: jsonPath(path), message, ...(params ? { params } : {}), ...(question ? { question } : {}) };
  };

  const parsed = surveyFileSchema.safeParse(raw);
  const problems: SurveyFileProblem[] = parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueProblems(issue, problem));

  // The builder's cross-question checks (keys, scales, options) on every question that is well formed.
  const wellFormed: { index: number; question: Question }[] = [];
  rawQuestions.forEach((rawQuestion, index) => {
    const question = surveyFileQuestionSchema.safeParse(rawQuestion);
    if (question.success) wellFormed.push({ index, question: toQuestion(question.data) });
  });
  for (const found of validateQuestions(wellFormed.map((q) => q.question))) {
    const index = wellFormed[found.index]!.index;
    problems.push(problem(["questions", index, ...builderField(found.field)], found.message));
  }

  if (!parsed.success || problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const file = parsed.data;
  const empty = { ja: "", en: "" };
  return {
    ok: true,
    survey: {
      title: both(file.title),
      intro: file.intro ? both(file.intro) : empty,
      thanks: file.thanks ? both(file.thanks) : empty,
      layout: file.layout ?? surveyFileDefaults.layout,
      linkDays: file.linkDays ?? surveyFileDefaults.linkDays,
      reminderDays: file.reminderDays === undefined ? surveyFileDefaults.reminderDays : file.reminderDays,
      questions: wellFormed.map((q) => q.question),
    },
  };
}

/** The file of a survey: its texts, settings and questions, without empty or unused fields. */
export function toSurveyFile(survey: SurveyFileContent): SurveyFile {
  const hasText = (text: Localized) => Boolean(text.ja || text.en);
  // Fields in reading order (jsonb hands them back sorted by length).
  const texts = (text: Localized): Localized => ({ ja: text.ja, en: text.en });
  return {
    title: texts(survey.title),
    ...(hasText(survey.intro) ? { intro: texts(survey.intro) } : {}),
    ...(hasText(survey.thanks) ? { thanks: texts(survey.thanks) } : {}),
    layout: survey.layout,
    linkDays: survey.linkDays,
    reminderDays: survey.reminderDays,
    questions: survey.questions.map((q) => ({
      key: q.key,
      type: q.type,
      label: texts(q.label),
      ...(q.help ? { help: texts(q.help) } : {}),
      required: q.required,
      ...(q.points != null && (q.type === "likert" || q.type === "rating") ? { points: q.points } : {}),
      ...(q.type === "likert" ? { reverse: Boolean(q.reverse) } : {}),
      ...(q.construct ? { construct: q.construct } : {}),
      ...(q.anchors && (q.type === "likert" || q.type === "nps") ? { anchors: { low: texts(q.anchors.low), high: texts(q.anchors.high) } } : {}),
      ...(choiceTypes.has(q.type) ? { options: (q.options ?? []).map((o) => ({ value: o.value, label: texts(o.label) })) } : {}),
    })),
  };
}

/** One line for the command line or a log: where, which question, and what is wrong, in the reader's language. */
export function describeSurveyFileProblem(problem: SurveyFileProblem, t: (key: string, params?: Record<string, unknown>) => string): string {
  const message = t(problem.message, problem.params);
  const path = problem.path || t("surveyFile.wholeFile");
  if (!problem.question) return t("surveyFile.problem", { path, message });
  const where = { path, number: problem.question.index + 1, key: problem.question.key, message };
  return t(problem.question.key ? "surveyFile.problemInQuestion" : "surveyFile.problemInQuestionNoKey", where);
}

/** The part of a problem's path inside its question (`points`, `options[1].value`), or the whole path outside questions. */
export function problemField(problem: SurveyFileProblem): string {
  return problem.question ? problem.path.replace(/^questions\[\d+\]\.?/, "") : problem.path;
}

type SurveyFileQuestion = z.output<typeof surveyFileQuestionSchema>;

const both = (text: { ja: string; en?: string }): Localized => ({ ja: text.ja, en: text.en || text.ja });

/** The stored question, shaped as the builder's `toQuestion` shapes it. */
function toQuestion(q: SurveyFileQuestion): Question {
  const question: Question = { key: q.key, type: q.type, label: both(q.label), required: q.required };
  if (q.help?.ja) question.help = both(q.help);
  if (q.type === "likert") {
    question.points = q.points ?? 5;
    question.reverse = q.reverse ?? false;
  } else if (q.type === "rating") {
    question.points = q.points ?? 5;
  } else if (q.reverse) {
    question.reverse = true; // refused by validateQuestions (only Likert items are reverse-scored)
  }
  if (q.construct) question.construct = q.construct;
  if (q.anchors) question.anchors = { low: both(q.anchors.low), high: both(q.anchors.high) };
  if (choiceTypes.has(q.type)) question.options = (q.options ?? []).map((o): ChoiceOption => ({ value: o.value, label: both(o.label) }));
  return question;
}

/** validateQuestions names builder fields (`label`, `options.2.value`); in the file they are `label.ja`, `options[2].value`. */
function builderField(field: string): (string | number)[] {
  const parts = field.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const last = parts[parts.length - 1];
  return last === "label" ? [...parts, "ja"] : parts;
}

function issueProblems(issue: z.ZodIssue, problem: (path: (string | number)[], message: string, params?: SurveyFileProblem["params"]) => SurveyFileProblem): SurveyFileProblem[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) return issue.keys.map((key) => problem([...issue.path, key], "surveyFile.errors.unknownField"));
  // Messages set in the schema are already i18n keys.
  if (/^[a-zA-Z]+(\.[a-zA-Z_]+)+$/.test(issue.message)) {
    const params = issue.code === z.ZodIssueCode.custom ? (issue.params as SurveyFileProblem["params"]) : undefined;
    return [problem(issue.path, issue.message, params)];
  }
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type: {
      if (issue.received === "undefined") return [problem(issue.path, "surveyFile.errors.required")];
      const expected = String(issue.expected);
      const known: Record<string, string> = { string: "String", number: "Number", integer: "WholeNumber", boolean: "Boolean", object: "Object", array: "Array" };
      if (known[expected]) return [problem(issue.path, `surveyFile.errors.expected${known[expected]}`)];
      return [problem(issue.path, "surveyFile.errors.notOneOf", { options: expected.replace(/'/g, "").split(" | ").join(", ") })];
    }
    case z.ZodIssueCode.invalid_enum_value:
      return [problem(issue.path, "surveyFile.errors.notOneOf", { options: issue.options.join(", ") })];
    case z.ZodIssueCode.too_big:
      return [problem(issue.path, "errors.tooLong", { max: Number(issue.maximum) })];
    default:
      return [problem(issue.path, "surveyFile.errors.invalid")];
  }
}

function jsonProblem(source: string, error: unknown): SurveyFileProblem {
  if (source.trim() === "") return { path: "", message: "surveyFile.errors.empty" };
  const detail = error instanceof Error ? error.message : String(error);
  // V8 names the position ("… in JSON at position 42"), except at the end of the input.
  const match = /position (\d+)/.exec(detail);
  const position = match ? Number(match[1]) : source.length;
  const before = source.slice(0, position).split("\n");
  return {
    path: "",
    message: "surveyFile.errors.invalidJson",
    params: { line: before.length, column: before[before.length - 1]!.length + 1, position },
  };
}

function jsonPath(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** File order: settings first, then question by question. */
function sortProblems(problems: SurveyFileProblem[]): SurveyFileProblem[] {
  const rank = (p: SurveyFileProblem) => (p.question ? p.question.index : -1);
  return problems.map((p, order) => ({ p, order })).sort((a, b) => rank(a.p) - rank(b.p) || a.order - b.order).map(({ p }) => p);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
