// Surveys and their questions: create, edit while nothing depends on them, open and close, copy to a
// new version. Responses and links live in survey-responses.server.ts.
import { sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import type { SurveyStatus } from "../domain/survey/status";
import type { Localized, Question } from "../domain/survey/types";
import { newToken } from "../utils/crypto.server";

export type { SurveyStatus };
export type SurveyLayout = "one_per_page" | "all_on_one";

export interface SurveySettings {
  title: Localized;
  intro: Localized;
  thanks: Localized;
  layout: SurveyLayout;
  linkDays: number;
  reminderDays: number | null;
}

export interface Survey extends SurveySettings {
  id: number;
  status: SurveyStatus;
  version: number;
  previousId: number | null;
  openToken: string;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  questions: Question[];
  /** Whether any response exists (then only the wording of questions may change). */
  answered: boolean;
}

const surveyColumns = sql`s.id, s.title, s.intro, s.thanks, s.layout, s.link_days as "linkDays",
  s.reminder_days as "reminderDays", s.status, s.version, s.previous_id as "previousId", s.open_token as "openToken",
  s.created_at as "createdAt", s.opened_at as "openedAt", s.closed_at as "closedAt"`;

export async function createSurvey(settings: SurveySettings, questions: Question[], createdBy: number | null, db: Db = getDb(), previousId: number | null = null, version = 1) {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      sql`insert into surveys (title, intro, thanks, layout, link_days, reminder_days, open_token, created_by, previous_id, version)
          values (${JSON.stringify(settings.title)}::jsonb, ${JSON.stringify(settings.intro)}::jsonb, ${JSON.stringify(settings.thanks)}::jsonb,
                  ${settings.layout}, ${settings.linkDays}, ${settings.reminderDays}, ${newToken()}, ${createdBy}, ${previousId}, ${version})
          returning id`,
      tx,
    );
    const id = Number(row!.id);
    await insertQuestions(id, questions, tx);
    return id;
  });
}

async function insertQuestions(surveyId: number, questions: Question[], db: Db) {
  if (questions.length === 0) return;
  const rows = questions.map((q, position) => ({ position, key: q.key, type: q.type, construct: q.construct ?? null, definition: q }));
  await db.execute(
    sql`insert into survey_questions (survey_id, position, key, type, construct, definition)
        select ${surveyId}, x.position, x.key, x.type, x.construct, x.definition
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(position int, key text, type text, construct text, definition jsonb)`,
  );
}

export async function getSurvey(id: number, db: Db = getDb()): Promise<Survey | null> {
  const [survey] = await queryRows<Omit<Survey, "questions">>(
    sql`select ${surveyColumns}, exists (select 1 from survey_responses r where r.survey_id = s.id) as answered from surveys s where s.id = ${id}`,
    db,
  );
  if (!survey) return null;
  return { ...survey, id: Number(survey.id), questions: await getQuestions(id, db) };
}

export async function getQuestions(surveyId: number, db: Db = getDb()): Promise<Question[]> {
  const rows = await queryRows<{ definition: Question }>(
    sql`select definition from survey_questions where survey_id = ${surveyId} order by position`,
    db,
  );
  return rows.map((r) => r.definition);
}

export interface SurveyListItem {
  id: number;
  title: Localized;
  status: SurveyStatus;
  version: number;
  createdAt: string;
  questions: number;
  invited: number;
  /** All responses, and by where they came from: personal links, the open link, imports. */
  answered: number;
  byInvitation: number;
  byOpenLink: number;
  imported: number;
}

export async function listSurveys(db: Db = getDb()): Promise<SurveyListItem[]> {
  return queryRows<SurveyListItem>(
    sql`select s.id::int as id, s.title, s.status, s.version, s.created_at as "createdAt",
               (select count(*)::int from survey_questions q where q.survey_id = s.id) as questions,
               (select count(*)::int from survey_invitations i where i.survey_id = s.id) as invited,
               r.answered, r.by_invitation as "byInvitation", r.by_open_link as "byOpenLink", r.imported
        from surveys s
        cross join lateral (
          select count(*)::int as answered,
                 count(*) filter (where r.channel = 'link')::int as by_invitation,
                 count(*) filter (where r.channel = 'open')::int as by_open_link,
                 count(*) filter (where r.channel = 'import')::int as imported
          from survey_responses r where r.survey_id = s.id
        ) r
        order by s.id desc`,
    db,
  );
}

export async function updateSurveySettings(id: number, settings: SurveySettings, db: Db = getDb()) {
  await db.execute(
    sql`update surveys set title = ${JSON.stringify(settings.title)}::jsonb, intro = ${JSON.stringify(settings.intro)}::jsonb,
               thanks = ${JSON.stringify(settings.thanks)}::jsonb, layout = ${settings.layout},
               link_days = ${settings.linkDays}, reminder_days = ${settings.reminderDays}
        where id = ${id}`,
  );
}

export type QuestionsChange = { ok: true } | { ok: false; reason: "answered" | "not_found" };

/**
 * Replaces the questions. Once a response exists, only changes that keep the structure answers depend
 * on (`structureOf`: wording may change, keys, scales and options may not) are allowed. The survey row
 * is locked, and a response takes a key-share lock on it (as its foreign key does), so an answer cannot slip
 * in between.
 */
export async function replaceQuestions(id: number, questions: Question[], structureOf: (q: Question[]) => string, db: Db = getDb()): Promise<QuestionsChange> {
  return db.transaction(async (tx) => {
    const [survey] = await queryRows<{ id: number }>(sql`select id from surveys where id = ${id} for update`, tx);
    if (!survey) return { ok: false, reason: "not_found" } as const;
    const [answered] = await queryRows<{ any: boolean }>(sql`select exists (select 1 from survey_responses where survey_id = ${id}) as any`, tx);
    if (answered!.any && structureOf(await getQuestions(id, tx)) !== structureOf(questions)) return { ok: false, reason: "answered" } as const;
    await tx.execute(sql`delete from survey_questions where survey_id = ${id}`);
    await insertQuestions(id, questions, tx);
    await tx.execute(sql`update surveys set questions_version = questions_version + 1 where id = ${id}`);
    return { ok: true } as const;
  });
}

export async function setSurveyStatus(id: number, status: SurveyStatus, db: Db = getDb()) {
  await db.execute(
    sql`update surveys set status = ${status},
               opened_at = case when ${status} = 'open' then coalesce(opened_at, now()) else opened_at end,
               closed_at = case when ${status} = 'closed' then now() else null end
        where id = ${id}`,
  );
}

/** A new draft with the same settings and questions, for changes the answers so far would not survive. */
export async function copySurvey(id: number, createdBy: number | null, db: Db = getDb()): Promise<number | null> {
  const survey = await getSurvey(id, db);
  if (!survey) return null;
  return createSurvey(survey, survey.questions, createdBy, db, survey.id, survey.version + 1);
}

export async function getSurveyByOpenToken(token: string, db: Db = getDb()) {
  const [row] = await queryRows<{ id: number }>(sql`select id from surveys where open_token = ${token}`, db);
  return row ? getSurvey(Number(row.id), db) : null;
}

export interface InvitationSummary {
  invited: number;
  answered: number;
  reminded: number;
  lastInvitedAt: string | null;
}

/**
 * What the survey's sends have done, read from the invitations themselves (the in-memory progress of a
 * running send is gone after it ends or the server restarts): how many are invited, how many of them
 * have not answered yet (whom closing the survey shuts out), reminders and the last send's time.
 */
export async function invitationSummary(surveyId: number, db: Db = getDb()): Promise<InvitationSummary> {
  const [row] = await queryRows<InvitationSummary>(
    sql`select count(*)::int as invited, count(answered_at)::int as answered, count(reminded_at)::int as reminded,
               max(created_at) as "lastInvitedAt"
        from survey_invitations where survey_id = ${surveyId}`,
    db,
  );
  return { ...row!, lastInvitedAt: row!.lastInvitedAt ? new Date(row!.lastInvitedAt).toISOString() : null };
}
