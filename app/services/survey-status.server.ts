// Opening a survey, under the rule of app/domain/survey/status.ts: only with questions.
import { getDb, type Db } from "../../db/client.server";
import { openRefusal } from "../domain/survey/status";
import { setSurveyStatus, type Survey } from "../models/surveys.server";

/** Opens (or reopens) the survey; returns why it may not, without changing it, when it has no questions. */
export async function openSurvey(survey: Pick<Survey, "id" | "questions">, db: Db = getDb()): Promise<{ error: "surveys.errors.noQuestions" } | { opened: true }> {
  const error = openRefusal(survey);
  if (error) return { error };
  await setSurveyStatus(survey.id, "open", db);
  return { opened: true };
}
