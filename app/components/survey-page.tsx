// The frame around a survey for customers: the brand, the title and intro, then the form or a
// friendly message (thanks, already answered, expired, closed, unknown link), in the customer's language.
// Answers and drafts go as JSON to `<this page>/answers` (app/services/answer-endpoint.server.ts).
import { useLocation } from "@remix-run/react";
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Answers, Localized, Question, SurveyLocale } from "~/domain/survey/types";
import { SurveyForm } from "./survey-form";

export type SurveyPageState = "ok" | "unknown" | "expired" | "closed" | "not_open" | "answered";

export interface SurveyPageData {
  state: SurveyPageState;
  locale: SurveyLocale;
  brand: string;
  survey: null | { title: Localized; intro: Localized; thanks: Localized; layout: "one_per_page" | "all_on_one"; questions: Question[] };
  draft: { answers: Answers; step: number } | null;
  submissionId?: string;
}

type Reply = { done?: boolean; already?: boolean; fieldErrors?: Record<string, string>; state?: SurveyPageState; failed?: boolean };

/**
 * Posts to the answer endpoint. A send that fails (network, server error) can be pressed again: the
 * same submission id (open link) or the link itself (personal) makes the retry record one response.
 */
function useAnswerPost() {
  const endpoint = `${useLocation().pathname.replace(/\/+$/, "")}/answers`;
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState<Reply | undefined>();
  const inFlight = useRef(false);
  const post = useCallback(
    (body: object) => fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    [endpoint],
  );
  const submit = useCallback(
    async (body: object) => {
      if (inFlight.current) return; // a double click sends once
      inFlight.current = true;
      setBusy(true);
      try {
        const response = await post(body);
        const json = (await response.json().catch(() => ({}))) as Reply & { error?: string };
        setReply(json.error || response.status >= 500 ? { failed: true } : json);
      } catch {
        setReply({ failed: true });
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [post],
  );
  const saveDraft = useCallback((body: object) => void post(body).catch(() => undefined), [post]);
  return { busy, reply, submit, saveDraft };
}

export function SurveyPage({ data, saveDrafts }: { data: SurveyPageData; saveDrafts: boolean }) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT(data.locale);
  const { busy, reply: result, submit, saveDraft } = useAnswerPost();
  const text = (value: Localized | undefined) => (value ? value[data.locale] || value.ja : "");
  const state: SurveyPageState | "done" = result?.done ? "done" : result?.already ? "answered" : (result?.state ?? data.state);

  return (
    <main className="survey-page" lang={data.locale}>
      <header className="survey-brand">
        <span className="logo" aria-hidden>
          ◆
        </span>{" "}
        {data.brand}
      </header>
      <div className="survey-card card">
        {data.survey ? <h1 className="survey-title">{text(data.survey.title)}</h1> : null}
        {state === "ok" && data.survey ? (
          <>
            {text(data.survey.intro) ? <p className="survey-intro">{text(data.survey.intro)}</p> : null}
            <SurveyForm
              questions={data.survey.questions}
              layout={data.survey.layout}
              locale={data.locale}
              t={t}
              initialAnswers={data.draft?.answers}
              initialStep={data.draft?.step}
              serverErrors={result?.fieldErrors}
              busy={busy}
              onDraft={saveDrafts ? (answers, step) => saveDraft({ intent: "draft", answers, step }) : undefined}
              onSubmit={(answers) => void submit({ intent: "submit", answers, submissionId: data.submissionId })}
            />
            {result?.failed && !busy ? (
              <p className="field-error" role="alert">
                {t("survey.answer.sendFailed")}
              </p>
            ) : null}
          </>
        ) : (
          <div className="survey-message" role="status">
            <h2>{t(`survey.state.${state}.title`)}</h2>
            <p>{state === "done" && data.survey ? text(data.survey.thanks) || t("survey.state.done.body") : t(`survey.state.${state}.body`)}</p>
          </div>
        )}
      </div>
    </main>
  );
}
