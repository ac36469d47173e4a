// The frame around a survey for customers: the brand, the title and intro, then the form or a
// friendly message (thanks, already answered, expired, closed, unknown link), in the customer's language.
import { useFetcher } from "@remix-run/react";
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

type ActionData = { done?: boolean; already?: boolean; fieldErrors?: Record<string, string>; state?: SurveyPageState };

export function SurveyPage({ data, saveDrafts }: { data: SurveyPageData; saveDrafts: boolean }) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT(data.locale);
  const submitter = useFetcher<ActionData>();
  const drafts = useFetcher();
  const result = submitter.data;
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
              busy={submitter.state !== "idle"}
              onDraft={
                saveDrafts
                  ? (answers, step) => drafts.submit({ intent: "draft", answers: JSON.stringify(answers), step: String(step) }, { method: "post" })
                  : undefined
              }
              onSubmit={(answers) =>
                submitter.submit(
                  { intent: "submit", answers: JSON.stringify(answers), submissionId: data.submissionId ?? "" },
                  { method: "post" },
                )
              }
            />
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
