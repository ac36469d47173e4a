// Surveys and their questions: create, edit while nothing depends on them, open and close, copy to a
// new version. Responses and links live in survey-responses.server.ts.
import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { col, qualified } from "../../db/columns";
import { surveyInvitations, surveyQuestions, surveyResponses, surveys } from "../../db/schema";
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

// status and layout are text columns whose checks (surveys_status, surveys_layout) allow only these values.
const surveyColumns = {
  id: surveys.id,
  title: surveys.title,
  intro: surveys.intro,
  thanks: surveys.thanks,
  layout: sql<SurveyLayout>`${qualified(surveys.layout)}`,
  linkDays: surveys.linkDays,
  reminderDays: surveys.reminderDays,
  status: sql<SurveyStatus>`${qualified(surveys.status)}`,
  version: surveys.version,
  previousId: surveys.previousId,
  openToken: surveys.openToken,
  // Timestamps as PostgreSQL's text, as the pages have always had them.
  createdAt: sql<string>`${qualified(surveys.createdAt)}::text`,
  openedAt: sql<string | null>`${qualified(surveys.openedAt)}::text`,
  closedAt: sql<string | null>`${qualified(surveys.closedAt)}::text`,
} satisfies Record<keyof Omit<Survey, "questions" | "answered">, unknown>;

export async function createSurvey(settings: SurveySettings, questions: Question[], createdBy: number | null, db: Db = getDb(), previousId: number | null = null, version = 1) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveys)
      .values({
        title: settings.title,
        intro: settings.intro,
        thanks: settings.thanks,
        layout: settings.layout,
        linkDays: settings.linkDays,
        reminderDays: settings.reminderDays,
        openToken: newToken(),
        createdBy,
        previousId,
        version,
      })
      .returning({ id: surveys.id });
    const id = row!.id;
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
  const [survey] = await db
    .select({
      ...surveyColumns,
      answered: sql<boolean>`exists (select 1 from survey_responses r where r.survey_id = ${qualified(surveys.id)})`,
    })
    .from(surveys)
    .where(eq(surveys.id, id));
  if (!survey) return null;
  return { ...survey, questions: await getQuestions(id, db) };
}

export async function getQuestions(surveyId: number, db: Db = getDb()): Promise<Question[]> {
  const rows = await db
    .select({ definition: surveyQuestions.definition })
    .from(surveyQuestions)
    .where(eq(surveyQuestions.surveyId, surveyId))
    .orderBy(surveyQuestions.position);
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
  const s = alias(surveys, "s");
  return db
    .select({
      id: sql<number>`${qualified(s.id)}::int`,
      title: col(s.title),
      status: sql<SurveyStatus>`${qualified(s.status)}`,
      version: col(s.version),
      createdAt: sql<string>`${qualified(s.createdAt)}::text`,
      questions: sql<number>`(select count(*)::int from survey_questions q where q.survey_id = s.id)`,
      invited: sql<number>`(select count(*)::int from survey_invitations i where i.survey_id = s.id)`,
      // r: the survey's responses counted, all and by channel.
      answered: sql<number>`r.answered`,
      byInvitation: sql<number>`r.by_invitation`,
      byOpenLink: sql<number>`r.by_open_link`,
      imported: sql<number>`r.imported`,
    } satisfies Record<keyof SurveyListItem, unknown>)
    .from(
      sql`surveys s
        cross join lateral (
          select count(*)::int as answered,
                 count(*) filter (where r.channel = 'link')::int as by_invitation,
                 count(*) filter (where r.channel = 'open')::int as by_open_link,
                 count(*) filter (where r.channel = 'import')::int as imported
          from survey_responses r where r.survey_id = s.id
        ) r`,
    )
    .orderBy(sql`${s.id} desc`);
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
    const [survey] = await tx.select({ id: surveys.id }).from(surveys).where(eq(surveys.id, id)).for("update");
    if (!survey) return { ok: false, reason: "not_found" } as const;
    const answered = await tx.select({ id: surveyResponses.id }).from(surveyResponses).where(eq(surveyResponses.surveyId, id)).limit(1);
    if (answered.length > 0 && structureOf(await getQuestions(id, tx)) !== structureOf(questions)) return { ok: false, reason: "answered" } as const;
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

/** The survey behind an open link's token, or null. */
export async function surveyIdForOpenToken(token: string, db: Db = getDb()): Promise<number | null> {
  const [row] = await db.select({ id: surveys.id }).from(surveys).where(eq(surveys.openToken, token));
  return row?.id ?? null;
}

export async function getSurveyByOpenToken(token: string, db: Db = getDb()) {
  const id = await surveyIdForOpenToken(token, db);
  return id === null ? null : getSurvey(id, db);
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
  const [row] = await db
    .select({
      invited: sql<number>`count(*)::int`,
      answered: sql<number>`count(${surveyInvitations.answeredAt})::int`,
      reminded: sql<number>`count(${surveyInvitations.remindedAt})::int`,
      lastInvitedAt: sql<Date | null>`max(${surveyInvitations.createdAt})`.mapWith(surveyInvitations.createdAt),
    })
    .from(surveyInvitations)
    .where(eq(surveyInvitations.surveyId, surveyId));
  return { ...row!, lastInvitedAt: row!.lastInvitedAt ? row!.lastInvitedAt.toISOString() : null };
}
