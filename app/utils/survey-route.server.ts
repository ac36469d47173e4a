// What both answer routes (personal link and open link) share: the customer's language, the form's
// fields from a POST, and the status codes for each outcome.
import { data } from "@remix-run/node";
import type { SurveyLocale } from "~/domain/survey/types";
import type { SubmitResult } from "~/services/survey-responses.server";
import { getLocale } from "./locale.server";

export async function surveyLocale(request: Request, customerLocale: SurveyLocale | null): Promise<SurveyLocale> {
  return customerLocale ?? (await getLocale(request));
}

export type SurveyPost =
  | { intent: "draft"; answers: unknown; step: number; submissionId: string }
  | { intent: "submit"; answers: unknown; submissionId: string };

/** Long text answers are capped at 2,000 characters: a whole answer form is far below this. */
export const MAX_SURVEY_POST_BYTES = 256 * 1024;

/** Reads the answer form's POST; a crafted body (too big, bad JSON, no intent) is a 4xx, not a crash. */
export async function readSurveyPost(request: Request): Promise<SurveyPost> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_SURVEY_POST_BYTES) throw new Response("The answers are too large.", { status: 413 });
  const body = await request.arrayBuffer();
  if (body.byteLength > MAX_SURVEY_POST_BYTES) throw new Response("The answers are too large.", { status: 413 });
  const form = await new Response(body, { headers: { "Content-Type": request.headers.get("Content-Type") ?? "" } }).formData();
  const intent = form.get("intent");
  let answers: unknown;
  try {
    answers = JSON.parse(String(form.get("answers") ?? ""));
  } catch {
    throw new Response("The answers are not valid JSON.", { status: 400 });
  }
  if (!answers || typeof answers !== "object" || Array.isArray(answers)) throw new Response("The answers must be an object.", { status: 400 });
  const submissionId = String(form.get("submissionId") ?? "");
  if (intent === "draft") return { intent, answers, step: Number(form.get("step")) || 0, submissionId };
  if (intent === "submit") return { intent, answers, submissionId };
  throw new Response("Unknown intent.", { status: 400 });
}

export function submitResponse(result: SubmitResult) {
  switch (result.kind) {
    case "recorded":
      return { done: true };
    case "already_answered":
      return { already: true };
    case "invalid":
      return data({ fieldErrors: result.fieldErrors }, { status: 400 });
    case "unavailable":
      return data({ state: result.state }, { status: result.state === "unknown" ? 404 : 410 });
  }
}
