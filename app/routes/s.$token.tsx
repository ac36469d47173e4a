// A customer's personal survey link. Opening it any number of times is fine; the first submitted
// answer is the one recorded, and answers in progress are kept so a closed tab resumes. Answers and
// drafts are posted to /s/<token>/answers (app/services/answer-endpoint.server.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SurveyPage, type SurveyPageData } from "~/components/survey-page";
import { getBrandSettings } from "~/models/settings.server";
import { openPersonalLink } from "~/services/survey-responses.server";
import { surveyLocale } from "~/utils/survey-route.server";

export const meta: MetaFunction = () => [{ title: "Survey" }, { name: "robots", content: "noindex" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const link = await openPersonalLink(params.token ?? "");
  const locale = await surveyLocale(request, link.customerLocale);
  const page: SurveyPageData = {
    state: link.state,
    locale,
    brand: (await getBrandSettings()).brandName,
    survey: link.survey && link.state === "ok" ? pick(link.survey) : link.survey ? { ...pick(link.survey), questions: [] } : null,
    draft: link.draft,
  };
  return data(page, { status: link.state === "unknown" ? 404 : link.state === "ok" || link.state === "answered" ? 200 : 410 });
}

function pick(survey: NonNullable<Awaited<ReturnType<typeof openPersonalLink>>["survey"]>) {
  return { title: survey.title, intro: survey.intro, thanks: survey.thanks, layout: survey.layout, questions: survey.questions };
}

export default function PersonalSurvey() {
  return <SurveyPage data={useLoaderData<typeof loader>() as SurveyPageData} saveDrafts />;
}
