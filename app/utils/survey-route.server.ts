// What both answer pages (personal link and open link) share: the customer's language. Their answers
// are posted to app/services/answer-endpoint.server.ts.
import type { SurveyLocale } from "~/domain/survey/types";
import { getLocale } from "./locale.server";

export async function surveyLocale(request: Request, customerLocale: SurveyLocale | null): Promise<SurveyLocale> {
  return customerLocale ?? (await getLocale(request));
}
