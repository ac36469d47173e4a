// The answers a survey accepts, as a zod schema built from its questions. The same schema runs in the
// browser (react-hook-form) and in the action, so it is plain TypeScript with no server imports.
import { z } from "zod";
import { TEXT_LIMITS, type AnswerValue, type Answers, type Question } from "~/domain/survey/types";

/** Error messages are i18n keys; the page translates them. */
const answerErrors = {
  required: "survey.errors.required",
  outOfRange: "survey.errors.outOfRange",
  notOffered: "survey.errors.notOffered",
  tooLong: "survey.errors.tooLong",
  unknownQuestion: "survey.errors.unknownQuestion",
  invalid: "survey.errors.invalid",
} as const;
/**
 * Text that can be stored and shown: no U+0000 (PostgreSQL refuses it in text and jsonb) and no lone
 * UTF-16 surrogate (a string no encoding can write). The browser never sends either; a crafted post can.
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\0") && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

export type AnswerErrorKey = (typeof answerErrors)[keyof typeof answerErrors];
export const answerErrorKeys: readonly AnswerErrorKey[] = Object.values(answerErrors);

type AnswerField = z.ZodType<AnswerValue | undefined, z.ZodTypeDef, unknown>;

/**
 * The schema of one response to `questions`, keyed by question key. With `partial`, required questions
 * may be left out (a draft saved halfway); values that are given are checked all the same.
 */
export function answerSchema(questions: Question[], options: { partial?: boolean } = {}) {
  const shape: Record<string, AnswerField> = {};
  for (const question of questions) {
    shape[question.key] = fieldSchema(question, question.required && !options.partial);
  }
  return z.object(shape, { invalid_type_error: answerErrors.invalid }).strict(answerErrors.unknownQuestion);
}

export type ParsedAnswers = z.infer<ReturnType<typeof answerSchema>>;

/** What gets stored: the survey's own questions, unanswered ones left out. */
export function cleanAnswers(questions: Question[], parsed: ParsedAnswers): Answers {
  const answers: Answers = {};
  for (const { key } of questions) {
    const value = parsed[key];
    if (value !== undefined && !isEmpty(value)) answers[key] = value;
  }
  return answers;
}

// Each field is a preprocess step (form strings → values, empty → absent) and a check. Optional must wrap
// the check, not the whole field: ZodOptional only lets a raw `undefined` through, not `null` or "".
function fieldSchema(question: Question, required: boolean): AnswerField {
  const { prepare, check } = fieldParts(question);
  return z.preprocess((value) => absentIfEmpty(prepare(value)), required ? check : check.optional());
}

function fieldParts(question: Question): { prepare: (value: unknown) => unknown; check: z.ZodType<AnswerValue> } {
  switch (question.type) {
    case "nps":
      return scaleParts(0, 10);
    case "likert":
    case "rating":
      return scaleParts(1, question.points ?? 5);
    case "single": {
      const offered = new Set((question.options ?? []).map((option) => option.value));
      return {
        prepare: (value) => value,
        check: z
          .string({ required_error: answerErrors.required, invalid_type_error: answerErrors.invalid })
          .refine((value) => offered.has(value), answerErrors.notOffered),
      };
    }
    case "multiple": {
      const offered = new Set((question.options ?? []).map((option) => option.value));
      return {
        // A form with one box ticked sends a single value, not a list of one.
        prepare: (value) => (typeof value === "string" ? [value] : value),
        check: z
          .array(z.string({ invalid_type_error: answerErrors.invalid }), {
            required_error: answerErrors.required,
            invalid_type_error: answerErrors.invalid,
          })
          .superRefine((values, ctx) => {
            // Reported on the question, not on an index, so the form shows it beside the checkboxes.
            if (values.some((value) => !offered.has(value))) ctx.addIssue({ code: "custom", message: answerErrors.notOffered });
            else if (new Set(values).size !== values.length) ctx.addIssue({ code: "custom", message: answerErrors.invalid });
          }),
      };
    }
    case "short_text":
    case "long_text":
      return {
        // Browsers submit a textarea's line breaks as CRLF while react-hook-form sees LF; counting both
        // as one character keeps the limit the same on both sides. Markup is kept: it is shown escaped.
        prepare: (value) => (typeof value === "string" ? value.replace(/\r\n?/g, "\n").trim() : value),
        check: z
          .string({ required_error: answerErrors.required, invalid_type_error: answerErrors.invalid })
          .max(TEXT_LIMITS[question.type], answerErrors.tooLong)
          .refine(isStorableText, answerErrors.invalid),
      };
  }
}

/** An integer in [min, max]; HTML forms send "7", JSON sends 7. "7.5", "abc" and 7.5 are refused. */
function scaleParts(min: number, max: number): { prepare: (value: unknown) => unknown; check: z.ZodType<AnswerValue> } {
  return {
    prepare: (value) => {
      if (typeof value !== "string") return value;
      const text = value.trim();
      return /^[+-]?\d+$/.test(text) ? Number(text) : text;
    },
    check: z
      .number({ required_error: answerErrors.required, invalid_type_error: answerErrors.invalid })
      .int(answerErrors.invalid)
      .min(min, answerErrors.outOfRange)
      .max(max, answerErrors.outOfRange),
  };
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

function absentIfEmpty(value: unknown): unknown {
  return isEmpty(value) ? undefined : value;
}
