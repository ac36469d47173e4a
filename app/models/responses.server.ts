// Survey responses and answers in progress: the statement that records answers (the hot path, prepared),
// the rules an answer is checked against, drafts, imported answers and the counts pages show. The rules
// themselves (validation, scoring, batching, caching) live in app/services/survey-responses.server.ts and
// survey-import.server.ts; each function here takes the database or the caller's transaction last.
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, preparedStatement, type Db } from "../../db/client.server";
import type { ColumnValue } from "../../db/columns";
import { col } from "../../db/columns";
import { customers, surveyDrafts, surveyResponses, surveys } from "../../db/schema";
import { textArray } from "../../db/sql-arrays";
import type { ResponseScores } from "../domain/survey/scoring";
import type { Answers, ConstructWeights, Question } from "../domain/survey/types";

// ---- Answers in progress -----------------------------------------------------------------------

export async function getDraft(draftKey: string, db: Db = getDb()) {
  const [draft] = await db
    .select({ answers: surveyDrafts.answers, step: surveyDrafts.step })
    .from(surveyDrafts)
    .where(eq(surveyDrafts.draftKey, draftKey));
  return draft ?? null;
}

export async function saveDraftAnswers(draftKey: string, surveyId: number, answers: Answers, step: number, db: Db = getDb()) {
  await db.execute(
    sql`insert into survey_drafts (draft_key, survey_id, answers, step) values (${draftKey}, ${surveyId}, ${JSON.stringify(answers)}::jsonb, ${step})
        on conflict (draft_key) do update set answers = excluded.answers, step = excluded.step, updated_at = now()`,
  );
}

// ---- Recording answers ---------------------------------------------------------------------------

const s = alias(surveys, "s");

/** What an answer is checked against: the survey's questions (and their version) and the score weights. */
export async function answerRules(surveyId: number, db: Db = getDb()) {
  const [row] = await db
    .select({
      questionsVersion: col(s.questionsVersion),
      questions: sql<Question[]>`(select coalesce(json_agg(q.definition order by q.position), '[]'::json) from survey_questions q where q.survey_id = s.id)`,
      weights: sql<ConstructWeights | null>`(select construct_weights from brand_settings where id = 1)`,
    })
    .from(sql`surveys s`)
    .where(sql`${s.id} = ${surveyId}`);
  return row ?? null;
}

/** The columns of one answer to record, each as text (or null): the statement takes one text array per column. */
export const responseColumns = [
  "surveyId", "questionsVersion", "weights", "channel", "invitationId", "customerId", "submissionId", "locale",
  "answers", "psychScore", "npsScore", "npsCategory", "constructScores", "loyaltyScores", "draftKey",
] as const;
export type ResponseColumn = (typeof responseColumns)[number];
const column = (name: ResponseColumn) => sql`${sql.placeholder(name)}::text[]`;

/**
 * The rows the statement returns, as the driver gives them (preparedStatement: no decoding). int8 is
 * text on postgres.js and a number on PGlite, hence `| string`; submission_id is cast to text.
 */
interface RecordedRow {
  id: ColumnValue<typeof surveyResponses.id> | string;
  invitation_id: ColumnValue<typeof surveyResponses.invitationId> | string;
  submission_id: ColumnValue<typeof surveyResponses.submissionId>;
}

/**
 * The statement that records answers, any number at once (one text array per column): each is checked
 * against the rules it was validated with under a key-share lock on its survey's row (open, same
 * questions version, same weights), inserted unless its link or submission already has a response
 * (unique indexes; within one batch the first wins), and for personal links the invitation is marked
 * answered and the draft dropped. Prepared once per connection.
 */
function insertResponses(personalLink: boolean) {
  return preparedStatement<RecordedRow, ResponseColumn>(
    sql`with input as (
          select * from unnest(${sql.join(responseColumns.map(column), sql`, `)}) with ordinality
            as i(survey_id, questions_version, weights, channel, invitation_id, customer_id, submission_id, locale,
                 answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, draft_key, n)
        ), open_survey as (
          select s.id, s.questions_version from surveys s
          where s.id in (select survey_id::bigint from input) and s.status = 'open'
          for key share of s
        ), response as (
          insert into survey_responses (survey_id, channel, invitation_id, customer_id, submission_id, locale, answers,
                                        psych_score, nps_score, nps_category, construct_scores, loyalty_scores)
          select s.id, i.channel, i.invitation_id::bigint, i.customer_id::bigint, i.submission_id::uuid, i.locale, i.answers::jsonb,
                 i.psych_score::numeric, i.nps_score::smallint, i.nps_category, i.construct_scores::jsonb, i.loyalty_scores::float8[]
          from input i join open_survey s on s.id = i.survey_id::bigint and s.questions_version = i.questions_version::integer
          where (select construct_weights from brand_settings where id = 1) = i.weights::jsonb
          order by i.n
          on conflict do nothing
          returning id, invitation_id, submission_id
        )${
          personalLink
            ? sql`, answered as (
          update survey_invitations set answered_at = now() where id in (select invitation_id from response)
        ), drafts as (
          delete from survey_drafts where draft_key in (select i.draft_key from input i join response r on r.invitation_id = i.invitation_id::bigint)
        )`
            : sql``
        }
        select id, invitation_id, submission_id::text from response`,
  );
}
const insertLinkResponses = insertResponses(true);
const insertOpenResponses = insertResponses(false);

/** Records a batch of answers (personal links' or the open link's); returns the rows written. */
export function recordResponses(personalLink: boolean, values: Record<ResponseColumn, (string | null)[]>, db: Db = getDb()) {
  return (personalLink ? insertLinkResponses : insertOpenResponses)(values, db);
}

/**
 * Why an answer was not written: the survey's status, whether the rules it was checked with are still
 * current, and whether its link or submission already has a response. Null when the survey is gone.
 */
export async function answerState(
  surveyId: number,
  checked: { questionsVersion: number; weightsJson: string },
  origin: { invitationId: number | null; submissionId: string | null },
  db: Db = getDb(),
) {
  const [state] = await db
    .select({
      status: col(s.status),
      current: sql<boolean>`s.questions_version = ${checked.questionsVersion} and (select construct_weights from brand_settings where id = 1) = ${checked.weightsJson}::jsonb`,
      answered: sql<boolean>`exists (select 1 from survey_responses r where r.survey_id = s.id and (
                 ${origin.invitationId ? sql`r.invitation_id = ${origin.invitationId}` : sql`r.submission_id = ${origin.submissionId}`}))`,
    })
    .from(sql`surveys s`)
    .where(sql`${s.id} = ${surveyId}`);
  return state ?? null;
}

/** Responses through the survey's anonymous open link. */
export async function countOpenLinkResponses(surveyId: number, db: Db = getDb()) {
  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(surveyResponses)
    .where(and(eq(surveyResponses.surveyId, surveyId), eq(surveyResponses.channel, "open")));
  return open!.n;
}

// ---- Imported answers ----------------------------------------------------------------------------

/** Which of the external ids are customers' (the import checks a file's customers in one query). */
export async function existingExternalIds(externalIds: string[], db: Db = getDb()) {
  const rows = await db
    .select({ id: customers.externalId })
    .from(customers)
    .where(sql`${customers.externalId} = any(${textArray(externalIds)})`);
  return rows.map((r) => r.id);
}

/** One imported answer, scored: the customer's external id, when it was given, and its scores. */
export interface ImportedResponse {
  customer: string;
  at: string;
  answers: Answers;
  psych: ResponseScores["psychScore"];
  nps: ResponseScores["npsScore"];
  category: ResponseScores["npsCategory"];
  constructs: ResponseScores["constructScores"];
  items: ResponseScores["alphaScores"];
}

/**
 * Inserts imported answers (each customer's answer at one time once: a file imported twice records
 * nothing new); returns how many were inserted.
 */
export async function insertImportedResponses(surveyId: number, rows: ImportedResponse[], db: Db = getDb()): Promise<number> {
  const inserted = await db.execute(
    sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
        select ${surveyId}, 'import', c.id, coalesce(case when c.locale in ('ja', 'en') then c.locale end, 'ja'), x.answers, x.psych, x.nps, x.category, x.constructs,
               (select array_agg(e.v::float8 order by e.n) from jsonb_array_elements_text(x.items) with ordinality as e(v, n)), x.at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer text, at timestamptz, answers jsonb, psych numeric, nps smallint, category text, constructs jsonb, items jsonb)
        join customers c on c.external_id = x.customer
        on conflict (survey_id, customer_id, submitted_at) where channel = 'import' do nothing
        returning id`,
  );
  return rowCount(inserted);
}

/** The number of rows a statement returned, whichever driver ran it (postgres.js: an array; PGlite: { rows }). */
function rowCount(result: unknown): number {
  return Array.isArray(result) ? result.length : (result as { rows: unknown[] }).rows.length;
}
