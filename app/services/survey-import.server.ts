// Past answers collected elsewhere (paper, another tool): CSV with `customer_id`, `submitted_at`, then
// one column per question key. The same reading as the purchase import (UTF-8 or Shift_JIS, comma or
// tab, RFC 4180), the same checks per cell (the answer schema of the survey), the same rule: any bad
// row and nothing is written, unless "valid rows only". Imported responses are scored like any other,
// and importing the same file twice records each answer once (unique survey, customer, time).
import { getDb, type Db } from "../../db/client.server";
import { readCsv, ImportFileError } from "./import/csv-source.server";
import { normalizeHeader } from "../domain/import/columns";
import { parseDateTime, toTimestamptzText } from "../domain/import/values";
import { answerSchema, cleanAnswers } from "../schemas/survey-answers";
import { scoreResponse } from "../domain/survey/scoring";
import { getConstructWeights } from "../models/settings.server";
import { existingExternalIds, insertImportedResponses } from "../models/responses.server";
import { getSurvey } from "../models/surveys.server";

export interface ResponseImportError {
  row: number;
  column: string;
  value: string;
  /** An i18n key: `import.reasons.*`, `survey.errors.*` or `surveys.import.*`. */
  reason: string;
}

export interface ResponseImportResult {
  status: "done" | "rejected";
  rowsRead: number;
  rowsValid: number;
  inserted: number;
  duplicates: number;
  errors: ResponseImportError[];
  errorCount: number;
  /** A problem with the file as a whole (unreadable, missing columns, unknown survey). */
  fileError: string | null;
}

const customerHeaders = new Set(["customer_id", "customerid", "顧客id", "顧客番号", "会員id", "会員番号"].map(normalizeHeader));
const submittedHeaders = new Set(["submitted_at", "submittedat", "回答日時", "回答日", "date"].map(normalizeHeader));
const MAX_ERRORS_KEPT = 100_000;

export async function importResponses(
  options: { surveyId: number; open: () => AsyncIterable<Uint8Array> | NodeJS.ReadableStream; validOnly?: boolean },
  db: Db = getDb(),
): Promise<ResponseImportResult> {
  const result: ResponseImportResult = { status: "rejected", rowsRead: 0, rowsValid: 0, inserted: 0, duplicates: 0, errors: [], errorCount: 0, fileError: null };
  const survey = await getSurvey(options.surveyId, db);
  if (!survey) return { ...result, fileError: "surveys.import.unknownSurvey" };
  let source;
  try {
    source = await readCsv(options.open());
  } catch (error) {
    if (error instanceof ImportFileError) return { ...result, fileError: "import.reasons.malformed_csv" };
    throw error;
  }
  const headers = source.headers.map(normalizeHeader);
  const customerColumn = headers.findIndex((h) => customerHeaders.has(h));
  const submittedColumn = headers.findIndex((h) => submittedHeaders.has(h));
  const questionColumns = survey.questions.map((q) => ({ question: q, index: source.headers.findIndex((h) => h.trim() === q.key) }));
  const unknownColumns = source.headers.filter((h, i) => i !== customerColumn && i !== submittedColumn && !survey.questions.some((q) => q.key === h.trim()) && h.trim() !== "");
  if (customerColumn < 0 || submittedColumn < 0 || unknownColumns.length > 0) {
    await source.records.return(undefined);
    return {
      ...result,
      fileError: unknownColumns.length > 0 ? "surveys.import.unknownColumns" : "import.reasons.missing_column",
      errors: unknownColumns.map((c) => ({ row: 1, column: c, value: c, reason: "surveys.import.unknownColumn" })),
      errorCount: unknownColumns.length,
    };
  }
  const schema = answerSchema(survey.questions);
  const weights = await getConstructWeights(db);
  const valid: { row: number; externalId: string; submittedAt: string; answers: ReturnType<typeof cleanAnswers>; score: ReturnType<typeof scoreResponse> }[] = [];
  const addError = (e: ResponseImportError) => {
    result.errorCount++;
    if (result.errors.length < MAX_ERRORS_KEPT) result.errors.push(e);
  };
  try {
    for await (const record of source.records) {
      result.rowsRead++;
      const cell = (i: number) => (record.values[i] ?? "").trim();
      const before = result.errorCount;
      const externalId = cell(customerColumn);
      if (!externalId) addError({ row: record.row, column: source.headers[customerColumn]!, value: "", reason: "import.reasons.required" });
      const when = parseDateTime(cell(submittedColumn));
      if (!when.ok) addError({ row: record.row, column: source.headers[submittedColumn]!, value: cell(submittedColumn), reason: `import.reasons.${when.reason}` });
      const raw: Record<string, unknown> = {};
      for (const { question, index } of questionColumns) {
        if (index < 0) continue;
        const value = cell(index);
        if (value === "") continue;
        raw[question.key] = question.type === "multiple" ? value.split(/[;；]/).map((v) => v.trim()).filter(Boolean) : value;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? "");
          const column = questionColumns.find((c) => c.question.key === key);
          addError({ row: record.row, column: key, value: column && column.index >= 0 ? cell(column.index) : "", reason: issue.message });
        }
      }
      if (result.errorCount === before && parsed.success && when.ok) {
        const answers = cleanAnswers(survey.questions, parsed.data);
        valid.push({ row: record.row, externalId, submittedAt: toTimestamptzText(when.value), answers, score: scoreResponse(survey.questions, answers, weights) });
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) return { ...result, fileError: "import.reasons.malformed_csv" };
    throw error;
  }

  // Unknown customers are row errors too (checked in one query, not one per row).
  const known = new Set(await existingExternalIds([...new Set(valid.map((v) => v.externalId))], db));
  let kept = valid.filter((v) => known.has(v.externalId));
  for (const v of valid) {
    if (!known.has(v.externalId)) addError({ row: v.row, column: source.headers[customerColumn]!, value: v.externalId, reason: "surveys.import.unknownCustomer" });
  }
  result.rowsValid = kept.length;
  result.errors.sort((a, b) => a.row - b.row);

  if (result.errorCount > 0 && !options.validOnly) return { ...result, status: "rejected" };
  if (kept.length === 0) return { ...result, status: "done" };
  await db.transaction(async (tx) => {
    for (let start = 0; start < kept.length; start += 2000) {
      const chunk = kept.slice(start, start + 2000).map((v) => ({
        customer: v.externalId,
        at: v.submittedAt,
        answers: v.answers,
        psych: v.score.psychScore,
        nps: v.score.npsScore,
        category: v.score.npsCategory,
        constructs: v.score.constructScores,
        items: v.score.alphaScores,
      }));
      result.inserted += await insertImportedResponses(survey.id, chunk, tx);
    }
  });
  result.duplicates = kept.length - result.inserted;
  kept = [];
  return { ...result, status: "done" };
}


