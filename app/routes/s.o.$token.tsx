// A survey's anonymous open link (for a QR code at a shop): answers have no customer. Each page load
// gets a submission id, so a double click or a retried submit still records one response. Answers are
// posted to /s/o/<token>/answers (app/services/answer-endpoint.server.ts).
import crypto from "node:crypto";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SurveyPage, type SurveyPageData } from "~/components/survey-page";
import { getBrandSettings } from "~/models/settings.server";
import { getSurveyByOpenToken } from "~/models/surveys.server";
import { surveyLocale } from "~/utils/survey-route.server";

export const meta: MetaFunction = () => [{ title: "Survey" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const survey = await getSurveyByOpenToken(params.token ?? "");
  const state = !survey ? "unknown" : survey.status === "open" ? "ok" : survey.status === "closed" ? "closed" : "not_open";
  const page: SurveyPageData = {
    state,
    locale: await surveyLocale(request, null),
    brand: (await getBrandSettings()).brandName,
    survey: survey
      ? { title: survey.title, intro: survey.intro, thanks: survey.thanks, layout: survey.layout, questions: state === "ok" ? survey.questions : [] }
      : null,
    draft: null,
    submissionId: crypto.randomUUID(),
  };
  return data(page, { status: state === "unknown" ? 404 : state === "ok" ? 200 : 410 });
}

export default function OpenSurvey() {
  return <SurveyPage data={useLoaderData<typeof loader>() as SurveyPageData} saveDrafts={false} />;
}
