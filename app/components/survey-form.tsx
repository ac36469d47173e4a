// The answer form a customer sees: mobile first, keyboard and screen-reader friendly (every group is a
// fieldset with a legend, every input a label, focus visible), one question at a time or all on one
// page. react-hook-form checks with the same zod schema the action uses.
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm, type FieldValues, type UseFormReturn } from "react-hook-form";
import type { TFunction } from "i18next";
import { answerSchema } from "~/schemas/survey-answers";
import type { Answers, Question, SurveyLocale } from "~/domain/survey/types";

export interface SurveyFormProps {
  questions: Question[];
  layout: "one_per_page" | "all_on_one";
  locale: SurveyLocale;
  t: TFunction;
  initialAnswers?: Answers;
  initialStep?: number;
  serverErrors?: Record<string, string>;
  busy: boolean;
  onDraft?: (answers: Answers, step: number) => void;
  onSubmit: (answers: Answers) => void;
}

export function SurveyForm({ questions, layout, locale, t, initialAnswers, initialStep = 0, serverErrors, busy, onDraft, onSubmit }: SurveyFormProps) {
  const schema = useMemo(() => answerSchema(questions), [questions]);
  const form = useForm<FieldValues>({ resolver: zodResolver(schema), defaultValues: toFormValues(questions, initialAnswers), mode: "onTouched" });
  const [step, setStep] = useState(Math.min(initialStep, Math.max(0, questions.length - 1)));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const onePerPage = layout === "one_per_page";
  const last = step >= questions.length - 1;

  useEffect(() => {
    if (!serverErrors) return;
    for (const [key, message] of Object.entries(serverErrors)) form.setError(key, { message });
    const first = questions.findIndex((q) => serverErrors[q.key]);
    if (first >= 0 && onePerPage) setStep(first);
  }, [serverErrors, form, questions, onePerPage]);

  // Moving to another question moves focus to it, so keyboard and screen-reader users follow along.
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current) headingRef.current?.focus();
    moved.current = true;
  }, [step]);

  const values = () => form.getValues();
  const next = async () => {
    const question = questions[step]!;
    if (!(await form.trigger(question.key))) return;
    const target = step + 1;
    onDraft?.(values() as Answers, target);
    setStep(target);
  };
  const submit = form.handleSubmit((data) => onSubmit(data as Answers));
  const visible = onePerPage ? [questions[step]!] : questions;

  return (
    <form onSubmit={submit} noValidate className="survey-form" onBlur={onePerPage ? undefined : () => onDraft?.(values() as Answers, 0)}>
      {onePerPage ? <Progress current={step + 1} total={questions.length} t={t} /> : null}
      {visible.map((question) => (
        <QuestionField
          key={question.key}
          question={question}
          locale={locale}
          form={form}
          t={t}
          headingRef={onePerPage ? headingRef : undefined}
          index={questions.indexOf(question)}
        />
      ))}
      <div className="survey-actions">
        {onePerPage && step > 0 ? (
          <button type="button" className="button button-secondary" onClick={() => setStep(step - 1)}>
            {t("survey.answer.back")}
          </button>
        ) : (
          <span />
        )}
        {/* Distinct keys: React must not turn the pressed "Next" into the "Send" button during the same click,
            or the browser would submit the form when the last question appears. */}
        {onePerPage && !last ? (
          <button key="next" type="button" className="button" onClick={() => void next()}>
            {t("survey.answer.next")}
          </button>
        ) : (
          <button key="submit" type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? t("survey.answer.submitting") : t("survey.answer.submit")}
          </button>
        )}
      </div>
      {onDraft ? <p className="muted small survey-note">{t("survey.answer.savedAsYouGo")}</p> : null}
    </form>
  );
}

function Progress({ current, total, t }: { current: number; total: number; t: TFunction }) {
  const percent = Math.round((current / total) * 100);
  return (
    <div className="survey-progress">
      <div className="survey-progress-bar" role="progressbar" aria-valuemin={1} aria-valuemax={total} aria-valuenow={current} aria-label={t("survey.answer.progress", { current, total })}>
        <span style={{ width: `${percent}%` }} />
      </div>
      <p className="muted small">{t("survey.answer.progress", { current, total })}</p>
    </div>
  );
}

interface FieldProps {
  question: Question;
  locale: SurveyLocale;
  form: UseFormReturn<FieldValues>;
  t: TFunction;
  index: number;
  headingRef?: React.RefObject<HTMLHeadingElement>;
}

function QuestionField({ question, locale, form, t, index, headingRef }: FieldProps) {
  const text = (value: { ja: string; en: string } | null | undefined) => (value ? value[locale] || value.ja : "");
  const id = `q-${question.key}`;
  const error = form.formState.errors[question.key]?.message as string | undefined;
  const errorId = `${id}-error`;
  const helpId = question.help ? `${id}-help` : undefined;
  const describedBy = [helpId, error ? errorId : undefined].filter(Boolean).join(" ") || undefined;
  const label = (
    <>
      <span className="survey-number">{index + 1}.</span> {text(question.label)}
      {question.required ? (
        <span className="survey-required" aria-label={t("survey.answer.required")}>
          {" "}*
        </span>
      ) : (
        <span className="muted small"> ({t("survey.answer.optional")})</span>
      )}
    </>
  );
  const feedback = (
    <>
      {question.help ? (
        <p id={helpId} className="muted small">
          {text(question.help)}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {t(error, { defaultValue: error })}
        </p>
      ) : null}
    </>
  );

  if (question.type === "short_text" || question.type === "long_text") {
    const textField = form.register(question.key, { onChange: () => (error ? void form.trigger(question.key) : undefined) });
    const max = question.type === "short_text" ? 200 : 2000;
    const value = String(form.watch(question.key) ?? "");
    return (
      <div className={`survey-question ${error ? "field-invalid" : ""}`}>
        <h2 className="survey-label" tabIndex={-1} ref={headingRef}>
          <label htmlFor={id}>{label}</label>
        </h2>
        {question.type === "short_text" ? (
          <input id={id} type="text" maxLength={max} aria-invalid={Boolean(error)} aria-describedby={describedBy} {...textField} />
        ) : (
          <textarea id={id} rows={5} maxLength={max} aria-invalid={Boolean(error)} aria-describedby={describedBy} {...textField} />
        )}
        <p className="muted small" aria-live="polite">
          {t("survey.answer.charsLeft", { count: max - value.length })}
        </p>
        {feedback}
      </div>
    );
  }

  // A message shown after "Next" clears as soon as the question is answered, not on blur: otherwise it
  // vanishes when the "Next" button is pressed, the button moves up, and the press misses it.
  const field = form.register(question.key, { onChange: () => (error ? void form.trigger(question.key) : undefined) });
  const choices = choicesOf(question, locale, t);
  const multiple = question.type === "multiple";
  return (
    <fieldset className={`survey-question ${error ? "field-invalid" : ""}`} aria-describedby={describedBy} aria-invalid={Boolean(error)}>
      <legend className="survey-label">
        <h2 tabIndex={-1} ref={headingRef} className="survey-label">
          {label}
        </h2>
      </legend>
      <div className={`survey-choices survey-${question.type}`}>
        {choices.map((choice) => (
          <label key={choice.value} className="survey-choice">
            <input type={multiple ? "checkbox" : "radio"} value={choice.value} {...field} />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
      {question.type === "nps" || question.type === "likert" ? (
        <div className="survey-anchors muted small" aria-hidden>
          <span>{anchorLow(question, locale, t)}</span>
          <span>{anchorHigh(question, locale, t)}</span>
        </div>
      ) : null}
      {feedback}
    </fieldset>
  );
}

function choicesOf(question: Question, locale: SurveyLocale, t: TFunction): { value: string; label: string }[] {
  switch (question.type) {
    case "nps":
      return Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) }));
    case "likert":
      return Array.from({ length: question.points ?? 5 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));
    case "rating":
      return Array.from({ length: question.points ?? 5 }, (_, i) => ({ value: String(i + 1), label: `${"★".repeat(i + 1)}` }));
    default:
      return (question.options ?? []).map((o) => ({ value: o.value, label: o.label[locale] || o.label.ja || t("survey.answer.option") }));
  }
}

const anchorLow = (q: Question, locale: SurveyLocale, t: TFunction) =>
  q.type === "nps" ? t("survey.answer.npsLow") : (q.anchors?.low[locale] ?? q.anchors?.low.ja ?? "");
const anchorHigh = (q: Question, locale: SurveyLocale, t: TFunction) =>
  q.type === "nps" ? t("survey.answer.npsHigh") : (q.anchors?.high[locale] ?? q.anchors?.high.ja ?? "");

/** Stored answers → form values: radios hold strings, checkboxes arrays. */
function toFormValues(questions: Question[], answers: Answers | undefined): FieldValues {
  const values: FieldValues = {};
  for (const q of questions) {
    const value = answers?.[q.key];
    if (q.type === "multiple") values[q.key] = Array.isArray(value) ? value : [];
    else values[q.key] = value === undefined ? (q.type === "short_text" || q.type === "long_text" ? "" : null) : String(value);
  }
  return values;
}
