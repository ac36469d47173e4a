// Surveys as files: export a survey's texts, settings and questions as JSON, and import such a file as
// a new draft (one transaction: the survey and its questions, or nothing). Shared by the staff pages
// and `portal export|import survey`.
import { getDb, type Db } from "../../db/client.server";
import { parseSurveyFile, toSurveyFile, type SurveyFileProblem } from "../schemas/survey-file";
import { createSurvey, getSurvey } from "../models/surveys.server";

/** The survey as a file (pretty-printed JSON ending in a newline), or null when there is no such survey. */
export async function exportSurveyFile(id: number, db: Db = getDb()): Promise<string | null> {
  const survey = await getSurvey(id, db);
  if (!survey) return null;
  return `${JSON.stringify(toSurveyFile(survey), null, 2)}\n`;
}

export type SurveyFileImport = { ok: true; id: number; questions: number } | { ok: false; problems: SurveyFileProblem[] };

/** Checks the whole file first; a bad file writes nothing and returns every problem found. */
export async function importSurveyFile(text: string, createdBy: number | null, db: Db = getDb()): Promise<SurveyFileImport> {
  const parsed = parseSurveyFile(text);
  if (!parsed.ok) return parsed;
  const { questions, ...settings } = parsed.survey;
  const id = await createSurvey(settings, questions, createdBy, db);
  return { ok: true, id, questions: questions.length };
}
