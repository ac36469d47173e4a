// Answering a survey: resolving a personal or open link, keeping answers in progress, and recording
// exactly one scored response per link (a unique index decides, not the code) in one transaction.
import { sql } from "drizzle-orm";
import { getDb, preparedStatement, queryRows, type Db } from "../../db/client.server";
import { answerSchema, cleanAnswers } from "../domain/survey/answers";
import { scoreResponse } from "../domain/survey/scoring";
import { defaultConstructWeights, type Answers, type ConstructWeights, type Question, type SurveyLocale } from "../domain/survey/types";
import { getSurvey, type Survey } from "../models/surveys.server";
import { hashToken } from "../utils/crypto.server";
import { float8Literal } from "../utils/sql-arrays.server";

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
  await db.execute(sql`update survey_invitations set opened_at = now() where id = ${link.invitationId} and opened_at is null`);
  const [draft] = await queryRows<{ answers: Answers; step: number }>(
    sql`select answers, step from survey_drafts where draft_key = ${draftKey(link.invitationId)}`,
    db,
  );
  return { ...base, state: "ok", draft: draft ?? null };
}

interface LinkRow {
  invitationId: number;
  surveyId: number;
  customerId: number;
  expired: boolean;
  answered: boolean;
  locale: SurveyLocale | null;
}

async function findLink(token: string, db: Db = getDb()): Promise<LinkRow | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const [row] = await queryRows<LinkRow>(
    sql`select i.id as "invitationId", i.survey_id as "surveyId", i.customer_id as "customerId",
               l.expires_at < now() as expired, i.answered_at is not null as answered,
               case when c.locale in ('ja', 'en') then c.locale end as locale
        from survey_links l
        join survey_invitations i on i.id = l.invitation_id
        join customers c on c.id = i.customer_id
        where l.token_hash = ${hashToken(token)}`,
    db,
  );
  return row ? { ...row, invitationId: Number(row.invitationId), surveyId: Number(row.surveyId), customerId: Number(row.customerId) } : null;
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
  await db.execute(
    sql`insert into survey_drafts (draft_key, survey_id, answers, step) values (${draftKey(link.invitationId)}, ${link.surveyId}, ${JSON.stringify(answers)}::jsonb, ${Math.max(0, Math.trunc(step))})
        on conflict (draft_key) do update set answers = excluded.answers, step = excluded.step, updated_at = now()`,
  );
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
  const [row] = await queryRows<{ questionsVersion: number; questions: Question[]; weights: ConstructWeights | null }>(
    sql`select s.questions_version as "questionsVersion",
               (select coalesce(json_agg(q.definition order by q.position), '[]'::json) from survey_questions q where q.survey_id = s.id) as questions,
               (select construct_weights from brand_settings where id = 1) as weights
        from surveys s where s.id = ${surveyId}`,
    db,
  );
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

type InsertParams =
  | "surveyId" | "questionsVersion" | "weights" | "channel" | "invitationId" | "customerId" | "submissionId" | "locale"
  | "answers" | "psychScore" | "npsScore" | "npsCategory" | "constructScores" | "loyaltyScores" | "draftKey";
const p = (name: InsertParams) => sql.placeholder(name);

/**
 * The one statement that records an answer: checked against the cached rules under a key-share lock on
 * the survey row, inserted unless the link or submission already has a response (unique indexes), and
 * for a personal link its invitation marked answered and its draft dropped. Prepared once per connection.
 */
function insertResponse(personalLink: boolean) {
  return preparedStatement<{ id: number }, InsertParams>(
    sql`with survey as (
          select s.id from surveys s
          where s.id = ${p("surveyId")} and s.status = 'open' and s.questions_version = ${p("questionsVersion")}
            and (select construct_weights from brand_settings where id = 1) = ${p("weights")}::jsonb
          for key share of s
        ), response as (
          insert into survey_responses (survey_id, channel, invitation_id, customer_id, submission_id, locale, answers,
                                        psych_score, nps_score, nps_category, construct_scores, loyalty_scores)
          select survey.id, ${p("channel")}, ${p("invitationId")}::bigint, ${p("customerId")}::bigint, ${p("submissionId")}::uuid, ${p("locale")},
                 ${p("answers")}::jsonb, ${p("psychScore")}::numeric, ${p("npsScore")}::smallint, ${p("npsCategory")},
                 ${p("constructScores")}::jsonb, ${p("loyaltyScores")}::float8[]
          from survey
          on conflict do nothing
          returning id, invitation_id
        )${
          personalLink
            ? sql`, answered as (
          update survey_invitations set answered_at = now() where id in (select invitation_id from response)
        ), drafts as (
          delete from survey_drafts where draft_key = ${p("draftKey")} and exists (select 1 from response)
        )`
            : sql``
        }
        select id from response`,
  );
}
const insertLinkResponse = insertResponse(true);
const insertOpenResponse = insertResponse(false);

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
  const insert = origin.invitationId ? insertLinkResponse : insertOpenResponse;
  const [inserted] = await insert(
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
      loyaltyScores: float8Literal(score.loyaltyItems),
      draftKey: origin.invitationId ? draftKey(origin.invitationId) : null,
    },
    db,
  );
  if (inserted) return { kind: "recorded", responseId: Number(inserted.id) };
  // Nothing written: already answered, the survey closed, or the questions or weights changed meanwhile.
  const [state] = await queryRows<{ status: string; current: boolean; answered: boolean }>(
    sql`select s.status,
               s.questions_version = ${rules.questionsVersion} and (select construct_weights from brand_settings where id = 1) = ${rules.weightsJson}::jsonb as current,
               exists (select 1 from survey_responses r where r.survey_id = s.id and (
                 ${origin.invitationId ? sql`r.invitation_id = ${origin.invitationId}` : sql`r.submission_id = ${origin.submissionId}`})) as answered
        from surveys s where s.id = ${surveyId}`,
    db,
  );
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
  const [row] = await queryRows<{ id: number }>(sql`select id::int as id from surveys where open_token = ${token}`, db);
  if (row) openTokens.set(token, Number(row.id));
  return row ? Number(row.id) : null;
}
