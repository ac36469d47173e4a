// The survey builder: texts in both languages, layout, link expiry and reminder, and the questions
// (add, edit, reorder, remove). Once answers exist only the wording may change; anything answers
// depend on (structureOf: keys, types, scales, reverse scoring, constructs, option values, the list of
// questions) is locked up front, with the reason and "copy to a new version" beside it. The action
// still refuses such a change (replaceQuestions), whatever the page sent.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useState, type ReactNode } from "react";
import { useFieldArray, useForm, type FieldErrors, type Path } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, PageHeader, TextField } from "~/components/ui";
import { roleAllows } from "~/domain/roles";
import { constructs, questionTypes, type QuestionType } from "~/domain/survey/types";
import { getSurvey, replaceQuestions, updateSurveySettings } from "~/models/surveys.server";
import { builderSchema, newQuestionForm, structureOf, toQuestion, toQuestionForm, type BuilderForm } from "~/schemas/survey";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const survey = await getSurvey(idParam(params.id));
  if (!survey) throw new Response("Not found", { status: 404 });
  const form: BuilderForm = {
    titleJa: survey.title.ja,
    titleEn: survey.title.en,
    introJa: survey.intro.ja,
    introEn: survey.intro.en,
    thanksJa: survey.thanks.ja,
    thanksEn: survey.thanks.en,
    layout: survey.layout,
    linkDays: survey.linkDays,
    reminderDays: survey.reminderDays ?? "",
    questions: survey.questions.map(toQuestionForm),
  };
  return { id: survey.id, form, answered: survey.answered, canEdit: roleAllows(user.role, "staff") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const id = idParam(params.id);
  let payload: unknown;
  try {
    payload = JSON.parse(String((await request.formData()).get("payload") ?? ""));
  } catch {
    return data({ errors: { _form: "errors.invalid" } as Record<string, string>, saved: false }, { status: 400 });
  }
  const parsed = builderSchema.safeParse(payload);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
    return data({ errors, saved: false }, { status: 400 });
  }
  const form = parsed.data;
  const both = (ja: string, en: string) => ({ ja, en: en || ja });
  const change = await replaceQuestions(id, form.questions.map(toQuestion), structureOf);
  if (!change.ok) {
    if (change.reason === "not_found") throw new Response("Not found", { status: 404 });
    return data({ errors: { _form: "surveys.errors.answered" } as Record<string, string>, saved: false }, { status: 409 });
  }
  await updateSurveySettings(id, {
    title: both(form.titleJa, form.titleEn),
    intro: both(form.introJa, form.introEn),
    thanks: both(form.thanksJa, form.thanksEn),
    layout: form.layout,
    linkDays: form.linkDays,
    reminderDays: form.reminderDays,
  });
  return { errors: {} as Record<string, string>, saved: true };
}

/** RHF's nested errors flattened to `questions.2.key` paths, like the server's. */
function flatten(errors: FieldErrors, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== "object") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if ("message" in value && typeof value.message === "string") out[path] = value.message;
    else Object.assign(out, flatten(value as FieldErrors, path));
  }
  return out;
}

export default function SurveyBuilder() {
  const { id, form: initial, answered, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const submit = useSubmit();
  const { t } = useTranslation();
  const form = useForm<BuilderForm>({ resolver: zodResolver(builderSchema), defaultValues: initial, mode: "onTouched" });
  const questions = useFieldArray({ control: form.control, name: "questions" });
  const [newType, setNewType] = useState<QuestionType>("likert");
  useEffect(() => {
    if (result?.saved) form.reset(form.getValues());
  }, [result, form]);
  const errors = { ...(result?.errors ?? {}), ...flatten(form.formState.errors) };
  const message = (path: string) => (errors[path] ? t(errors[path]!, { defaultValue: errors[path] }) : undefined);
  const error = (path: string) => (errors[path] ? <p className="field-error">{message(path)}</p> : null);
  const readOnly = !canEdit;
  const locked = answered;
  // react-hook-form fills uncontrolled inputs through their refs, once JavaScript runs. Each element's
  // default is the form's current value too, so the server's HTML already shows the survey (titles,
  // question texts, the selected type) and the first render in the browser agrees with it.
  const field = (name: Path<BuilderForm>) => ({ ...form.register(name), defaultValue: form.getValues(name) as string | number | undefined });
  const checkbox = (name: Path<BuilderForm>) => ({ ...form.register(name), defaultChecked: Boolean(form.getValues(name)) });

  const onSubmit = form.handleSubmit((values) => submit({ payload: JSON.stringify(values) }, { method: "post" }));
  return (
    <>
      <PageHeader title={t("surveys.builder.title")} subtitle={<Link to={`/staff/surveys/${id}`}>← {t("surveys.backToSurvey")}</Link>} />
      {answered ? (
        <Alert>
          {t("surveys.builder.answeredNote")}{" "}
          {canEdit ? (
            <Form method="post" action={`/staff/surveys/${id}`} className="inline-form" id="copy-survey">
              <button type="submit" name="intent" value="copy" className="button button-secondary">
                {t("surveys.copy")}
              </button>
            </Form>
          ) : null}
        </Alert>
      ) : null}
      {result?.saved ? <Alert tone="success">{t("surveys.builder.saved")}</Alert> : null}
      {errors._form ? <Alert tone="error">{t(errors._form)}</Alert> : null}
      <form onSubmit={onSubmit} noValidate>
        <fieldset disabled={readOnly} className="plain-fieldset">
          <Card title={t("surveys.builder.texts")}>
            <div className="form-grid">
              <TextField label={t("surveys.builder.titleJa")} {...field("titleJa")} error={message("titleJa")} />
              <TextField label={t("surveys.builder.titleEn")} {...field("titleEn")} placeholder={t("surveys.builder.sameAsJa")} />
              <label className="field">
                <span>{t("surveys.builder.introJa")}</span>
                <textarea rows={3} {...field("introJa")} />
              </label>
              <label className="field">
                <span>{t("surveys.builder.introEn")}</span>
                <textarea rows={3} {...field("introEn")} placeholder={t("surveys.builder.sameAsJa")} />
              </label>
              <label className="field">
                <span>{t("surveys.builder.thanksJa")}</span>
                <textarea rows={2} {...field("thanksJa")} />
              </label>
              <label className="field">
                <span>{t("surveys.builder.thanksEn")}</span>
                <textarea rows={2} {...field("thanksEn")} placeholder={t("surveys.builder.sameAsJa")} />
              </label>
              <label className="field">
                <span>{t("surveys.builder.layout")}</span>
                <select {...field("layout")}>
                  <option value="one_per_page">{t("surveys.builder.onePerPage")}</option>
                  <option value="all_on_one">{t("surveys.builder.allOnOne")}</option>
                </select>
              </label>
              <TextField label={t("surveys.builder.linkDays")} type="number" min={1} max={365} {...field("linkDays")} error={message("linkDays")} />
              <TextField
                label={t("surveys.builder.reminderDays")}
                type="number"
                min={1}
                max={60}
                {...field("reminderDays")}
                placeholder={t("surveys.builder.noReminder")}
                error={message("reminderDays")}
              />
            </div>
          </Card>

          {questions.fields.map((question, index) => {
            const type = form.watch(`questions.${index}.type`);
            const p = (name: string) => `questions.${index}.${name}` as const;
            // What answers depend on, once locked: shown disabled and described by the note, but not
            // registered (react-hook-form reads a disabled checkbox as unticked); the form keeps the loaded value.
            const lockNote = `question-${index}-locked`;
            const shown = (name: Path<BuilderForm>) => ({ name, disabled: true, "aria-describedby": lockNote });
            const structural = (name: Path<BuilderForm>) => (locked ? { ...shown(name), defaultValue: form.getValues(name) as string | number | undefined } : field(name));
            const structuralCheckbox = (name: Path<BuilderForm>) => (locked ? { ...shown(name), defaultChecked: Boolean(form.getValues(name)) } : checkbox(name));
            return (
              <Card key={question.id} className="question-card">
                <div className="question-head">
                  <strong>
                    {index + 1}. {t(`surveys.types.${type}`)}
                  </strong>
                  <div className="row gap">
                    <button type="button" className="button button-ghost" aria-label={t("surveys.builder.moveUp")} disabled={locked || index === 0} onClick={() => questions.move(index, index - 1)}>
                      ↑
                    </button>
                    <button type="button" className="button button-ghost" aria-label={t("surveys.builder.moveDown")} disabled={locked || index === questions.fields.length - 1} onClick={() => questions.move(index, index + 1)}>
                      ↓
                    </button>
                    <button type="button" className="button button-danger" aria-label={t("surveys.builder.remove")} disabled={locked} onClick={() => questions.remove(index)}>
                      ✕
                    </button>
                  </div>
                </div>
                {locked ? (
                  <p className="lock-note" id={lockNote}>
                    <span>{t(`surveys.builder.lockedNote.${type}`)}</span>
                    {canEdit ? (
                      <button type="submit" form="copy-survey" name="intent" value="copy" className="button button-secondary">
                        {t("surveys.copy")}
                      </button>
                    ) : null}
                  </p>
                ) : null}
                <div className="form-grid">
                  <TextField
                    label={t("surveys.builder.key")}
                    className="mono"
                    {...field(`questions.${index}.key`)}
                    readOnly={locked}
                    aria-describedby={locked ? lockNote : undefined}
                    error={message(p("key"))}
                  />
                  <label className="field">
                    <span>{t("surveys.builder.type")}</span>
                    <select {...structural(`questions.${index}.type`)}>
                      {questionTypes.map((qt) => (
                        <option key={qt} value={qt}>
                          {t(`surveys.types.${qt}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <TextField label={t("surveys.builder.labelJa")} {...field(`questions.${index}.labelJa`)} error={message(p("labelJa"))} />
                  <TextField label={t("surveys.builder.labelEn")} {...field(`questions.${index}.labelEn`)} placeholder={t("surveys.builder.sameAsJa")} />
                  {type === "likert" || type === "rating" ? (
                    <label className="field">
                      <span>{t("surveys.builder.points")}</span>
                      {type === "likert" ? (
                        <select {...structural(`questions.${index}.points`)}>
                          {[5, 6, 7].map((n) => (
                            <option key={n} value={n}>
                              {n}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input type="number" min={3} max={10} {...structural(`questions.${index}.points`)} />
                      )}
                      {error(p("points"))}
                    </label>
                  ) : null}
                  {type !== "short_text" && type !== "long_text" ? (
                    <label className="field">
                      <span>{t("surveys.builder.construct")}</span>
                      <select {...structural(`questions.${index}.construct`)}>
                        <option value="">{t("surveys.builder.noConstruct")}</option>
                        {constructs.map((c) => (
                          <option key={c} value={c}>
                            {t(`surveys.constructs.${c}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                  ) : null}
                  {(type === "single" || type === "multiple") && locked ? (
                    <LockedOptions
                      read={() => form.getValues(`questions.${index}.options`)}
                      write={(options) => form.setValue(`questions.${index}.options`, options, { shouldDirty: true })}
                      describedBy={lockNote}
                      error={error(p("options"))}
                    />
                  ) : type === "single" || type === "multiple" ? (
                    <label className="field form-wide">
                      <span>{t("surveys.builder.options")}</span>
                      <textarea rows={4} className="mono small" {...field(`questions.${index}.options`)} />
                      <span className="field-hint">{t("surveys.builder.optionsHint")}</span>
                      {error(p("options"))}
                    </label>
                  ) : null}
                  <div className="field row gap">
                    <label className="field-inline">
                      <input type="checkbox" {...checkbox(`questions.${index}.required`)} /> {t("surveys.builder.required")}
                    </label>
                    {type === "likert" ? (
                      <label className="field-inline">
                        <input type="checkbox" {...structuralCheckbox(`questions.${index}.reverse`)} /> {t("surveys.builder.reverse")}
                      </label>
                    ) : null}
                  </div>
                </div>
              </Card>
            );
          })}

          {canEdit ? (
            <Card>
              <div className="row gap wrap">
                <label className="field-inline">
                  {t("surveys.builder.addType")}
                  <select value={newType} onChange={(e) => setNewType(e.target.value as QuestionType)} disabled={locked} aria-describedby={locked ? "questions-locked" : undefined}>
                    {questionTypes.map((qt) => (
                      <option key={qt} value={qt}>
                        {t(`surveys.types.${qt}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <Button
                  type="button"
                  variant="secondary"
                  disabled={locked}
                  onClick={() => questions.append(newQuestionForm(newType, form.getValues("questions").map((q) => q.key)))}
                >
                  {t("surveys.builder.add")}
                </Button>
                {locked ? (
                  <span className="field-hint" id="questions-locked">
                    {t("surveys.builder.lockedList")}
                  </span>
                ) : null}
                <span className="grow" />
                <Button type="submit" busy={busy} disabled={busy}>
                  {t("surveys.builder.save")}
                </Button>
              </div>
            </Card>
          ) : null}
        </fieldset>
      </form>
    </>
  );
}

/**
 * The options of an answered question: answers hold their values, so the values are shown, not edited;
 * the labels (wording) may still change. Reads the form's `value | 日本語 | English` lines on each edit.
 */
function LockedOptions({ read, write, describedBy, error }: { read: () => string; write: (options: string) => void; describedBy: string; error: ReactNode }) {
  const { t } = useTranslation();
  const parse = () =>
    read()
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [value = "", ja = "", en = ""] = line.split("|").map((part) => part.trim());
        // An English label equal to the Japanese one is "same as Japanese" (it follows the Japanese).
        return { value, ja, en: en === ja ? "" : en };
      });
  const relabel = (index: number, language: "ja" | "en", label: string) =>
    write(
      parse()
        // A typed "|" would split the line into other fields: the full-width one reads the same.
        .map((o, i) => (i === index ? { ...o, [language]: label.replace(/\|/g, "｜") } : o))
        .map((o) => `${o.value} | ${o.ja} | ${o.en}`)
        .join("\n"),
    );
  return (
    <fieldset className="field form-wide locked-options" aria-describedby={describedBy}>
      <legend>{t("surveys.builder.options")}</legend>
      <p className="field-hint">{t("surveys.builder.optionsLocked")}</p>
      {parse().map((o, index) => (
        <div className="locked-option" key={o.value}>
          <code className="mono">{o.value}</code>
          <input aria-label={t("surveys.builder.optionLabelJa", { value: o.value })} defaultValue={o.ja} onChange={(e) => relabel(index, "ja", e.target.value)} />
          <input
            aria-label={t("surveys.builder.optionLabelEn", { value: o.value })}
            defaultValue={o.en}
            placeholder={t("surveys.builder.sameAsJa")}
            onChange={(e) => relabel(index, "en", e.target.value)}
          />
        </div>
      ))}
      {error}
    </fieldset>
  );
}
