// Sending a survey: choose recipients (everyone, a CPM segment, or a list), invite each once with a
// personal link through the outbox, and remind once those who have not answered. Each chunk of
// invitations, their links and their emails commits together.
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { cpmSegments, type CpmSegment } from "../domain/cpm";
import type { RecipientSelection } from "../domain/survey/recipients";
import { sendRefusal } from "../domain/survey/status";
import type { SurveyLocale } from "../domain/survey/types";
import { consentOf, enqueueEmails, type OutgoingEmail } from "../models/outbox.server";
import { getSurvey, type Survey } from "../models/surveys.server";
import { hashToken, newToken } from "../utils/crypto.server";
import { publicUrl } from "../utils/unsubscribe.server";
import { bigintArray, textArray } from "../../db/sql-arrays";

export type { RecipientSelection };

export interface RecipientPreview {
  selected: number;
  eligible: number;
  noEmail: number;
  noConsent: number;
  alreadyInvited: number;
  /** Ids in a pasted list that match no customer (the first 20). */
  unknownIds: string[];
  unknownCount: number;
}

function chosen(surveyId: number, selection: RecipientSelection): SQL {
  const filter =
    selection.kind === "segment"
      ? sql`join customer_metrics m on m.customer_id = c.id and m.cpm_segment = ${selection.segment}`
      : selection.kind === "list"
        ? sql`where c.external_id = any(${textArray(selection.externalIds)})`
        : sql``;
  return sql`select c.id, c.email, c.name, c.locale, coalesce(${consentOf(sql`c`)}, false) as consent,
                    exists (select 1 from survey_invitations i where i.survey_id = ${surveyId} and i.customer_id = c.id) as invited
             from customers c ${filter}`;
}

export async function previewRecipients(surveyId: number, selection: RecipientSelection, db: Db = getDb()): Promise<RecipientPreview> {
  const [counts] = await queryRows<Omit<RecipientPreview, "unknownIds" | "unknownCount">>(
    sql`with chosen as (${chosen(surveyId, selection)})
        select count(*)::int as selected,
               count(*) filter (where email is null or email = '')::int as "noEmail",
               count(*) filter (where coalesce(email, '') <> '' and not consent)::int as "noConsent",
               count(*) filter (where coalesce(email, '') <> '' and consent and invited)::int as "alreadyInvited",
               count(*) filter (where coalesce(email, '') <> '' and consent and not invited)::int as eligible
        from chosen`,
    db,
  );
  let unknownIds: string[] = [];
  let unknownCount = 0;
  if (selection.kind === "list" && selection.externalIds.length > 0) {
    const unknown = await queryRows<{ id: string }>(
      sql`select x.id from unnest(${textArray(selection.externalIds)}) with ordinality as x(id, n)
          where not exists (select 1 from customers c where c.external_id = x.id) order by x.n`,
      db,
    );
    unknownCount = unknown.length;
    unknownIds = unknown.slice(0, 20).map((u) => u.id);
  }
  return { ...counts!, unknownIds, unknownCount };
}

const CHUNK = 2000;

export interface InviteResult {
  invited: number;
  suppressed: number;
}

/**
 * Invites every eligible recipient not yet invited. Safe to run again (after a crash, a double click):
 * the unique (survey, customer) index and the emails' idempotency keys invite nobody twice.
 */
export async function inviteRecipients(
  surveyId: number,
  selection: RecipientSelection,
  db: Db = getDb(),
  onChunk?: (result: InviteResult) => void,
): Promise<InviteResult> {
  const survey = await getSurvey(surveyId, db);
  if (!survey || sendRefusal(survey)) throw new Error("the survey is not open");
  const result: InviteResult = { invited: 0, suppressed: 0 };
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const batch = await queryRows<Recipient>(
        sql`select id, email, name, locale from (${chosen(surveyId, selection)}) c
            where coalesce(email, '') <> '' and consent and not invited order by id limit ${CHUNK}`,
        tx,
      );
      if (batch.length === 0) return true;
      const sent = await inviteBatch(survey, batch, "survey-invitation", tx);
      result.invited += sent.queued;
      result.suppressed += sent.suppressed;
      return batch.length < CHUNK;
    });
    onChunk?.(result);
    if (done) return result;
  }
}

export interface SendProgress {
  status: "running" | "done" | "failed";
  /** Eligible recipients when the send started. */
  total: number;
  invited: number;
  suppressed: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

// Sends in progress, per survey (this process). The invitations themselves are idempotent, so a send
// cut off by a restart is finished by sending again.
const sendsKey = Symbol.for("loyalty-portal.survey-sends");
type GlobalWithSends = typeof globalThis & { [sendsKey]?: Map<number, { progress: SendProgress; done: Promise<void> }> };
function sends() {
  return ((globalThis as GlobalWithSends)[sendsKey] ??= new Map());
}

/**
 * Starts inviting in the background and returns at once, so a big send shows a progress bar instead of
 * holding the request. A second start while one runs (a double click) returns the running one.
 */
export async function startInvitations(surveyId: number, selection: RecipientSelection, db: Db = getDb()) {
  const running = sends().get(surveyId);
  if (running?.progress.status === "running") return running;
  const { eligible } = await previewRecipients(surveyId, selection, db);
  const progress: SendProgress = { status: "running", total: eligible, invited: 0, suppressed: 0, error: null, startedAt: new Date().toISOString(), finishedAt: null };
  const done = inviteRecipients(surveyId, selection, db, (r) => Object.assign(progress, r)).then(
    (r) => void Object.assign(progress, r, { status: "done", finishedAt: new Date().toISOString() }),
    (error: unknown) =>
      void Object.assign(progress, { status: "failed", error: error instanceof Error ? error.message : String(error), finishedAt: new Date().toISOString() }),
  );
  const job = { progress, done };
  sends().set(surveyId, job);
  return job;
}

export function sendProgress(surveyId: number): SendProgress | null {
  return sends().get(surveyId)?.progress ?? null;
}

interface Recipient {
  id: number;
  email: string;
  name: string | null;
  locale: string | null;
}

async function inviteBatch(survey: Survey, recipients: Recipient[], template: "survey-invitation" | "survey-reminder", db: Db) {
  const expiresAt = new Date(Date.now() + survey.linkDays * 86_400_000);
  let invitations: { id: number; customerId: number }[];
  if (template === "survey-invitation") {
    invitations = await queryRows<{ id: number; customerId: number }>(
      sql`insert into survey_invitations (survey_id, customer_id)
          select ${survey.id}, x from unnest(${bigintArray(recipients.map((r) => r.id))}) as x
          on conflict (survey_id, customer_id) do nothing
          returning id, customer_id as "customerId"`,
      db,
    );
  } else {
    invitations = await queryRows<{ id: number; customerId: number }>(
      sql`update survey_invitations set reminded_at = now()
          where survey_id = ${survey.id} and customer_id = any(${bigintArray(recipients.map((r) => r.id))}) and reminded_at is null
          returning id, customer_id as "customerId"`,
      db,
    );
  }
  const byCustomer = new Map(recipients.map((r) => [Number(r.id), r]));
  const links = invitations.map((inv) => ({ invitationId: Number(inv.id), customer: byCustomer.get(Number(inv.customerId))!, token: newToken() }));
  if (links.length === 0) return { queued: 0, suppressed: 0, duplicates: 0 };
  await db.execute(
    sql`insert into survey_links (token_hash, invitation_id, expires_at)
        select x.token_hash, x.invitation_id, ${expiresAt.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(links.map((l) => ({ token_hash: hashToken(l.token), invitation_id: l.invitationId })))}::jsonb)
          as x(token_hash text, invitation_id bigint)`,
  );
  const minutes = Math.max(1, Math.round(survey.questions.length / 4));
  const emails: OutgoingEmail[] = links.map(({ customer, token }) => {
    const locale: SurveyLocale = customer.locale === "en" ? "en" : "ja";
    return {
      template,
      idempotencyKey: `${template}:${survey.id}:${customer.id}`,
      to: customer.email,
      customerId: Number(customer.id),
      locale,
      data: {
        customerName: customer.name,
        surveyTitle: survey.title[locale] || survey.title.ja,
        surveyUrl: publicUrl(`s/${token}`),
        expiresAt: expiresAt.toISOString(),
        estimatedMinutes: minutes,
      },
    };
  });
  return enqueueEmails(emails, db);
}

/** Reminds, once, everyone invited at least `reminderDays` ago who has not answered (open surveys only). */
export async function sendDueReminders(db: Db = getDb()): Promise<number> {
  const due = await queryRows<{ surveyId: number }>(
    sql`select distinct i.survey_id as "surveyId" from survey_invitations i join surveys s on s.id = i.survey_id
        where s.status = 'open' and s.reminder_days is not null and i.answered_at is null and i.reminded_at is null
          and i.created_at <= now() - s.reminder_days * interval '1 day'`,
    db,
  );
  let reminded = 0;
  for (const { surveyId } of due) {
    const survey = await getSurvey(Number(surveyId), db);
    if (!survey) continue;
    for (;;) {
      const count = await db.transaction(async (tx) => {
        const batch = await queryRows<Recipient>(
          sql`select c.id, c.email, c.name, c.locale from survey_invitations i join customers c on c.id = i.customer_id
              where i.survey_id = ${survey.id} and i.answered_at is null and i.reminded_at is null
                and i.created_at <= now() - ${survey.reminderDays} * interval '1 day' and coalesce(c.email, '') <> ''
              order by i.id limit ${CHUNK}`,
          tx,
        );
        if (batch.length > 0) await inviteBatch(survey, batch, "survey-reminder", tx);
        return batch.length;
      });
      reminded += count;
      if (count < CHUNK) break;
    }
  }
  return reminded;
}

export interface ResponseCounts {
  segment: CpmSegment | null;
  invited: number;
  opened: number;
  answered: number;
}

/** Invited, opened and answered, overall (segment null) and per current CPM segment: the reaction rate of DESIGN §2. */
export async function responseCounts(surveyId: number, db: Db = getDb()): Promise<{ overall: ResponseCounts; bySegment: ResponseCounts[]; openLink: number }> {
  const rows = await queryRows<ResponseCounts & { total: boolean }>(
    sql`select grouping(m.cpm_segment) = 1 as total, m.cpm_segment as segment, count(*)::int as invited, count(i.opened_at)::int as opened, count(i.answered_at)::int as answered
        from survey_invitations i left join customer_metrics m on m.customer_id = i.customer_id
        where i.survey_id = ${surveyId}
        group by rollup (m.cpm_segment)`,
    db,
  );
  const [open] = await queryRows<{ n: number }>(
    sql`select count(*)::int as n from survey_responses where survey_id = ${surveyId} and channel = 'open'`,
    db,
  );
  const strip = ({ total: _total, ...counts }: ResponseCounts & { total: boolean }) => counts;
  const total = rows.find((r) => r.total);
  const overall = total ? strip(total) : { segment: null, invited: 0, opened: 0, answered: 0 };
  const bySegment = rows
    .filter((r) => !r.total && r.segment !== null)
    .map(strip)
    .sort((a, b) => cpmSegments.indexOf(a.segment!) - cpmSegments.indexOf(b.segment!));
  return { overall, bySegment, openLink: open!.n };
}
