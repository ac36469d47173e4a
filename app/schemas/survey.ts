// The survey builder's form, checked by the same schema in the browser and the action. Questions are
// edited as flat fields (labels per language, options one per line) and turned into the domain's
// Question by `toQuestion`; the domain's validateQuestions adds the cross-question checks.
import { z } from "zod";
import { validateQuestions } from "~/domain/survey/loyalty-template";
import { constructs, questionTypes, type ChoiceOption, type Question } from "~/domain/survey/types";

const text = (max: number) => z.string().trim().max(max, "errors.tooLong");

export const questionFormSchema = z.object({
  key: z.string().trim(),
  type: z.enum(questionTypes),
  labelJa: text(500),
  labelEn: text(500),
  helpJa: text(500),
  helpEn: text(500),
  required: z.boolean(),
  points: z.coerce.number().int().optional(),
  reverse: z.boolean(),
  construct: z.union([z.enum(constructs), z.literal("")]),
  /** One option per line: `value | 日本語 | English`. */
  options: text(5000),
  anchorLowJa: text(100),
  anchorLowEn: text(100),
  anchorHighJa: text(100),
  anchorHighEn: text(100),
});
export type QuestionForm = z.infer<typeof questionFormSchema>;

export const builderSchema = z
  .object({
    titleJa: text(200).min(1, "errors.required"),
    titleEn: text(200),
    introJa: text(2000),
    introEn: text(2000),
    thanksJa: text(1000),
    thanksEn: text(1000),
    layout: z.enum(["one_per_page", "all_on_one"]),
    linkDays: z.coerce.number({ invalid_type_error: "surveys.errors.linkDays" }).int("surveys.errors.linkDays").min(1, "surveys.errors.linkDays").max(365, "surveys.errors.linkDays"),
    reminderDays: z.union([
      z.literal("").transform(() => null),
      z.coerce.number({ invalid_type_error: "surveys.errors.reminderDays" }).int("surveys.errors.reminderDays").min(1, "surveys.errors.reminderDays").max(60, "surveys.errors.reminderDays"),
    ]),
    questions: z.array(questionFormSchema).max(100, "surveys.errors.tooManyQuestions"),
  })
  .superRefine((form, ctx) => {
    for (const problem of validateQuestions(form.questions.map(toQuestion))) {
      const field = problem.field.startsWith("options") ? "options" : problem.field === "label" ? "labelJa" : problem.field;
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["questions", problem.index, field], message: problem.message });
    }
  });
export type BuilderForm = z.input<typeof builderSchema>;

const scaleTypes = new Set(["nps", "likert", "rating"]);

export function toQuestion(form: QuestionForm): Question {
  const both = (ja: string, en: string) => ({ ja, en: en || ja });
  const question: Question = {
    key: form.key,
    type: form.type,
    label: both(form.labelJa, form.labelEn),
    help: form.helpJa ? both(form.helpJa, form.helpEn) : null,
    required: form.required,
    construct: form.construct || null,
  };
  if (form.type === "likert") {
    question.points = form.points ?? 5;
    question.reverse = form.reverse;
    if (form.anchorLowJa || form.anchorHighJa) {
      question.anchors = { low: both(form.anchorLowJa, form.anchorLowEn), high: both(form.anchorHighJa, form.anchorHighEn) };
    }
  } else if (form.type === "rating") {
    question.points = form.points ?? 5;
  } else if (form.type === "single" || form.type === "multiple") {
    question.options = parseOptions(form.options);
  }
  if (!scaleTypes.has(form.type) && form.type !== "single" && form.type !== "multiple") question.construct = null;
  return question;
}

export function parseOptions(lines: string): ChoiceOption[] {
  return lines
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [value = "", ja = "", en = ""] = line.split("|").map((part) => part.trim());
      return { value, label: { ja: ja || value, en: en || ja || value } };
    });
}

export function toQuestionForm(q: Question): QuestionForm {
  return {
    key: q.key,
    type: q.type,
    labelJa: q.label.ja,
    labelEn: q.label.en === q.label.ja ? "" : q.label.en,
    helpJa: q.help?.ja ?? "",
    helpEn: q.help?.en ?? "",
    required: q.required,
    points: q.points ?? (q.type === "likert" || q.type === "rating" ? 5 : undefined),
    reverse: Boolean(q.reverse),
    construct: q.construct ?? "",
    options: (q.options ?? []).map((o) => `${o.value} | ${o.label.ja} | ${o.label.en}`).join("\n"),
    anchorLowJa: q.anchors?.low.ja ?? "",
    anchorLowEn: q.anchors?.low.en ?? "",
    anchorHighJa: q.anchors?.high.ja ?? "",
    anchorHighEn: q.anchors?.high.en ?? "",
  };
}

export function newQuestionForm(type: QuestionForm["type"], existingKeys: string[]): QuestionForm {
  let n = existingKeys.length + 1;
  while (existingKeys.includes(`q${n}`)) n++;
  return {
    key: `q${n}`,
    type,
    labelJa: "",
    labelEn: "",
    helpJa: "",
    helpEn: "",
    required: type !== "long_text" && type !== "short_text",
    points: type === "likert" || type === "rating" ? 5 : undefined,
    reverse: false,
    construct: type === "nps" ? "recommend" : "",
    options: type === "single" || type === "multiple" ? "yes | はい | Yes\nno | いいえ | No" : "",
    anchorLowJa: type === "likert" ? "まったくそう思わない" : "",
    anchorLowEn: type === "likert" ? "Strongly disagree" : "",
    anchorHighJa: type === "likert" ? "とてもそう思う" : "",
    anchorHighEn: type === "likert" ? "Strongly agree" : "",
  };
}

/**
 * What answers depend on: keys, types, scales, reverse scoring, constructs and option values. Labels,
 * help and option labels may change after answers exist (a typo fix); the structure may not.
 */
export function structureOf(questions: Question[]): string {
  return JSON.stringify(
    questions.map((q) => [q.key, q.type, q.points ?? null, Boolean(q.reverse), q.construct ?? null, (q.options ?? []).map((o) => o.value)]),
  );
}
