// Answering a survey: resolving a personal or open link, keeping answers in progress, and recording
// exactly one scored response per link (a unique index decides, not the code) in one transaction.
import { getDb, type Db } from "../../db/client.server";
import { float8Literal } from "../../db/sql-arrays";
import { answerSchema, cleanAnswers } from "../schemas/survey-answers";
import { scoreResponse } from "../domain/survey/scoring";
import { defaultConstructWeights, type Answers, type ConstructWeights, type Question, type SurveyLocale } from "../domain/survey/types";
import { findLink as findLinkRow, markOpened } from "../models/invitations.server";
import { answerRules, answerState, getDraft, recordResponses, responseColumns, saveDraftAnswers, type ResponseColumn } from "../models/responses.server";
import { getSurvey, surveyIdForOpenToken, type Survey } from "../models/surveys.server";
import { hashToken } from "../utils/crypto.server";

export type LinkState = "ok" | "unknown" | "expired" | "closed" | "not_open" | "answered";

export interface ResolvedLink {
  state: LinkState;
  survey: Survey | null;
  invitationId: number | null;
  customerLocale: SurveyLocale | null;
  draft: { answers: Answers; step: number } | null;
}

/** What a personal link leads to. Opening it marks the invitation opened (the first time). */
export async function openPersonalLink(token: string, db: Db = getDb()): Promise<ResolvedLink> {
  const link = await findLink(token, db);
  if (!link) return { state: "unknown", survey: null, invitationId: null, customerLocale: null, draft: null };
  const survey = await getSurvey(link.surveyId, db);
  const base = { survey, invitationId: link.invitationId, customerLocale: link.locale };
  if (link.answered) return { ...base, state: "answered", draft: null };
  if (!survey || survey.status === "closed") return { ...base, state: "closed", draft: null };
  if (survey.status !== "open") return { ...base, state: "not_open", draft: null };
  if (link.expired) return { ...base, state: "expired", draft: null };
  await markOpened(link.invitationId, db);
  const draft = await getDraft(draftKey(link.invitationId), db);
  return { ...base, state: "ok", draft };
}

async function findLink(token: string, db: Db = getDb()) {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  return findLinkRow(hashToken(token), db);
}

const draftKey = (invitationId: number) => `inv:${invitationId}`;

/** Keeps answers in progress (only valid ones: a draft is checked like an answer, minus "required"). */
export async function saveDraft(token: string, raw: unknown, step: number, db: Db = getDb()): Promise<boolean> {
  const link = await findLink(token, db);
  if (!link || link.answered || link.expired) return false;
  const questions = (await rulesFor(link.surveyId, db, false))?.questions ?? [];
  const parsed = answerSchema(questions, { partial: true }).safeParse(raw);
  if (!parsed.success) return false;
  const answers = cleanAnswers(questions, parsed.data);
  await saveDraftAnswers(draftKey(link.invitationId), link.surveyId, answers, Math.max(0, Math.trunc(step)), db);
  return true;
}

export type SubmitResult =
  | { kind: "recorded"; responseId: number }
  | { kind: "already_answered" }
  | { kind: "invalid"; fieldErrors: Record<string, string> }
  | { kind: "unavailable"; state: LinkState };

/**
 * A personal link's answer: one response per invitation, however many times it is submitted. It is
 * recorded in the customer's language, or `fallbackLocale` (the browser's) when theirs is not known.
 */
export async function submitByLink(token: string, raw: unknown, fallbackLocale: SurveyLocale, db: Db = getDb()): Promise<SubmitResult> {
  const link = await findLink(token, db);
  if (!link) return { kind: "unavailable", state: "unknown" };
  if (link.answered) return { kind: "already_answered" };
  if (link.expired) return { kind: "unavailable", state: "expired" };
  const origin = { channel: "link", invitationId: link.invitationId, customerId: link.customerId, submissionId: null } as const;
  return record(link.surveyId, raw, link.locale ?? fallbackLocale, origin, db);
}

/** The anonymous open link's answer: the form's submission id makes a retried submit record one response. */
export async function submitOpen(surveyId: number, submissionId: string, raw: unknown, locale: SurveyLocale, db: Db = getDb()): Promise<SubmitResult> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(submissionId)) {
    return { kind: "invalid", fieldErrors: { submissionId: "survey.errors.invalid" } };
  }
  return record(surveyId, raw, locale, { channel: "open", invitationId: null, customerId: null, submissionId }, db);
}

interface Origin {
  channel: "link" | "open";
  invitationId: number | null;
  customerId: number | null;
  submissionId: string | null;
}

interface SurveyRules {
  questionsVersion: number;
  questions: Question[];
  /** answerSchema(questions), built once per load of the rules. */
  schema: ReturnType<typeof answerSchema>;
  weights: ConstructWeights;
  weightsJson: string;
}

// The answer path is hot (hundreds of submits a second): a survey's questions and the score weights
// are cached, and each submit is ONE statement that re-checks, under a key-share lock on the survey row,
// that the survey is open and the cached questions and weights are still current. If not, nothing is
// written; the cache is refreshed and the answer checked again.
const rulesCache = new Map<number, { at: number; rules: SurveyRules }>();
const RULES_TTL_MS = 60_000;

async function loadRules(surveyId: number, db: Db): Promise<SurveyRules | null> {
  const row = await answerRules(surveyId, db);
  if (!row) return null;
  const weights = row.weights ?? defaultConstructWeights;
  const rules = {
    questionsVersion: row.questionsVersion,
    questions: row.questions,
    schema: answerSchema(row.questions),
    weights,
    weightsJson: JSON.stringify(weights),
  };
  rulesCache.set(surveyId, { at: Date.now(), rules });
  return rules;
}

async function rulesFor(surveyId: number, db: Db, fresh: boolean): Promise<SurveyRules | null> {
  const cached = rulesCache.get(surveyId);
  if (!fresh && cached && Date.now() - cached.at < RULES_TTL_MS) return cached.rules;
  return loadRules(surveyId, db);
}

/** One answer to record: every value as text (or null), as the batch statement takes them. */
interface ResponseRow {
  surveyId: number;
  questionsVersion: number;
  weights: string;
  channel: "link" | "open";
  invitationId: number | null;
  customerId: number | null;
  submissionId: string | null;
  locale: string;
  answers: string;
  psychScore: number | null;
  npsScore: number | null;
  npsCategory: string | null;
  constructScores: string;
  loyaltyScores: string | null;
  draftKey: string | null;
}
const rowColumns = responseColumns satisfies readonly (keyof ResponseRow)[];

// Answers that arrive together are written together: a request queues its row, and the rows queued
// during one turn of the event loop go to the database as one statement (one round trip, one commit)
// instead of one each. Under load that is most of the cost of an answer; a lone answer waits for one
// turn only. A batch that fails is retried one row at a time, so a bad row fails alone.
const MAX_BATCH = 200;
interface Waiting {
  row: ResponseRow;
  done: (id: number | null) => void;
  fail: (error: unknown) => void;
}
const queues = new WeakMap<Db, { link: Waiting[]; open: Waiting[] }>();

/** Records one row through the batch; resolves with its response id, or null when nothing was written. */
function recordRow(row: ResponseRow, db: Db): Promise<number | null> {
  return new Promise((done, fail) => {
    let queue = queues.get(db);
    if (!queue) {
      queue = { link: [], open: [] };
      queues.set(db, queue);
      const scheduled = queue;
      setImmediate(() => {
        queues.delete(db);
        for (const [personal, list] of [[true, scheduled.link], [false, scheduled.open]] as const) {
          for (let start = 0; start < list.length; start += MAX_BATCH) void writeBatch(list.slice(start, start + MAX_BATCH), personal, db);
        }
      });
    }
    (row.invitationId ? queue.link : queue.open).push({ row, done, fail });
  });
}

async function writeBatch(batch: Waiting[], personal: boolean, db: Db) {
  try {
    const values = Object.fromEntries(
      rowColumns.map((name) => [name, batch.map(({ row }) => (row[name] === null ? null : String(row[name])))]),
    ) as Record<ResponseColumn, (string | null)[]>;
    const written = await recordResponses(personal, values, db);
    const keyOf = (invitationId: unknown, submissionId: unknown) => String(personal ? invitationId : submissionId).toLowerCase();
    const ids = new Map(written.map((r) => [keyOf(r.invitation_id, r.submission_id), Number(r.id)]));
    for (const { row, done } of batch) {
      const key = keyOf(row.invitationId, row.submissionId);
      done(ids.get(key) ?? null); // a second row with the same key (a double submit) wrote nothing
      ids.delete(key);
    }
  } catch (error) {
    if (batch.length === 1) return batch[0]!.fail(error);
    for (const waiting of batch) void writeBatch([waiting], personal, db);
  }
}

async function record(surveyId: number, raw: unknown, locale: SurveyLocale, origin: Origin, db: Db, fresh = false): Promise<SubmitResult> {
  const rules = await rulesFor(surveyId, db, fresh);
  if (!rules) return { kind: "unavailable", state: "unknown" };
  const parsed = rules.schema.safeParse(raw);
  if (!parsed.success) {
    // Checked against possibly stale questions: make sure before refusing.
    if (!fresh) return record(surveyId, raw, locale, origin, db, true);
    return { kind: "invalid", fieldErrors: fieldErrors(parsed.error.issues) };
  }
  const answers = cleanAnswers(rules.questions, parsed.data);
  const score = scoreResponse(rules.questions, answers, rules.weights);
  const insertedId = await recordRow(
    {
      surveyId,
      questionsVersion: rules.questionsVersion,
      weights: rules.weightsJson,
      channel: origin.channel,
      invitationId: origin.invitationId,
      customerId: origin.customerId,
      submissionId: origin.submissionId,
      locale,
      answers: JSON.stringify(answers),
      psychScore: score.psychScore,
      npsScore: score.npsScore,
      npsCategory: score.npsCategory,
      constructScores: JSON.stringify(score.constructScores),
      loyaltyScores: float8Literal(score.alphaScores),
      draftKey: origin.invitationId ? draftKey(origin.invitationId) : null,
    },
    db,
  );
  if (insertedId !== null) return { kind: "recorded", responseId: insertedId };
  // Nothing written: already answered, the survey closed, or the questions or weights changed meanwhile.
  const state = await answerState(surveyId, rules, origin, db);
  if (!state) return { kind: "unavailable", state: "unknown" };
  if (state.answered) return { kind: "already_answered" };
  if (state.status !== "open") return { kind: "unavailable", state: state.status === "closed" ? "closed" : "not_open" };
  if (!state.current && !fresh) return record(surveyId, raw, locale, origin, db, true);
  return { kind: "unavailable", state: "not_open" };
}

function fieldErrors(issues: { path: (string | number)[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "_form");
    errors[key] ??= issue.message;
  }
  return errors;
}

// Open-link tokens never change: the id they stand for is cached.
const openTokens = new Map<string, number>();

/** The survey behind an open link, without loading it (the submit path needs only the id). */
export async function surveyIdByOpenToken(token: string, db: Db = getDb()): Promise<number | null> {
  const cached = openTokens.get(token);
  if (cached) return cached;
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const id = await surveyIdForOpenToken(token, db);
  if (id !== null) openTokens.set(token, id);
  return id;
}
