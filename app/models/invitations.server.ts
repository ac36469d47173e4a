// Survey invitations and their personal links: choosing recipients, inviting and reminding them, the
// counts of a send, and resolving a link. The rules (who may be sent to when, the emails) live in
// app/services/survey-distribution.server.ts and survey-responses.server.ts; each function here takes
// the database or the caller's transaction last.
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { col, qualified, type ColumnValue } from "../../db/columns";
import { customerMetrics, customers, surveyInvitations, surveyLinks } from "../../db/schema";
import { bigintArray, textArray } from "../../db/sql-arrays";
import type { RecipientSelection } from "../domain/survey/recipients";
import type { SurveyLocale } from "../domain/survey/types";
import type { QuadrantBorders } from "../domain/loyalty";
import { getLoyaltySettings, quadrantSql } from "./loyalty.server";
import { consentOf } from "./outbox.server";

const c = alias(customers, "c");
const i = alias(surveyInvitations, "i");
const l = alias(surveyLinks, "l");
const m = alias(customerMetrics, "m");

/** The customer's latest loyalty score, live (the "latest" rule of app/domain/survey/latest.ts), as `ls`. */
const latestPsych = (customerId: SQL) => sql`left join lateral (
    select r.psych_score from survey_responses r
    where r.customer_id = ${customerId} and r.psych_score is not null
    order by r.submitted_at desc, r.id desc limit 1) ls on true`;

/** The joins and where clause that narrow `customers c` to a selection (also used by event invitations). */
export function selectionFilter(selection: RecipientSelection, borders: QuadrantBorders): SQL {
  return (
    selection.kind === "segment"
      ? sql`join customer_metrics m on m.customer_id = c.id and m.cpm_segment = ${selection.segment}`
      : selection.kind === "list"
        ? sql`where c.external_id = any(${textArray(selection.externalIds)})`
        : selection.kind === "quadrant"
          ? sql`left join customer_metrics m on m.customer_id = c.id ${latestPsych(sql`c.id`)}
                where ${quadrantSql(borders, sql`m.cpm_segment`, sql`ls.psych_score`)} = ${selection.quadrant}`
          : selection.kind === "unscored"
            ? sql`where not exists (select 1 from survey_responses r where r.customer_id = c.id and r.psych_score is not null)`
            : selection.kind === "shortlist"
              ? sql`join candidate_marks mk on mk.customer_id = c.id and mk.list = ${selection.list} and mk.mark = 'shortlisted'`
              : sql``
  );
}

/** The selection's customers, each with their consent and whether this survey already invited them. */
function chosen(surveyId: number, selection: RecipientSelection, borders: QuadrantBorders): SQL {
  const filter = selectionFilter(selection, borders);
  return sql`select c.id, c.email, c.name, c.locale, coalesce(${consentOf(sql`c`)}, false) as consent,
                    exists (select 1 from survey_invitations i where i.survey_id = ${surveyId} and i.customer_id = c.id) as invited
             from customers c ${filter}`;
}

/** The quadrant borders a selection needs (read only when it selects by quadrant). */
async function bordersFor(selection: RecipientSelection, db: Db): Promise<QuadrantBorders> {
  return selection.kind === "quadrant" ? (await getLoyaltySettings(db)).borders : { highSegments: [], psychBorder: 0 };
}

/** How the selection divides: no email, no consent, already invited, and the rest (eligible). */
export async function recipientCounts(surveyId: number, selection: RecipientSelection, db: Db = getDb()) {
  const borders = await bordersFor(selection, db);
  const [counts] = await db
    .select({
      selected: sql<number>`count(*)::int`,
      noEmail: sql<number>`count(*) filter (where email is null or email = '')::int`,
      noConsent: sql<number>`count(*) filter (where coalesce(email, '') <> '' and not consent)::int`,
      alreadyInvited: sql<number>`count(*) filter (where coalesce(email, '') <> '' and consent and invited)::int`,
      eligible: sql<number>`count(*) filter (where coalesce(email, '') <> '' and consent and not invited)::int`,
    })
    .from(sql`(${chosen(surveyId, selection, borders)}) chosen`);
  return counts!;
}

/** The external ids of a pasted list that match no customer, in the list's order. */
export async function unknownExternalIds(externalIds: string[], db: Db = getDb()): Promise<ColumnValue<typeof customers.externalId>[]> {
  const rows = await db
    .select({ id: sql<ColumnValue<typeof customers.externalId>>`x.id` })
    .from(sql`unnest(${textArray(externalIds)}) with ordinality as x(id, n)`)
    .where(sql`not exists (select 1 from customers c where c.external_id = x.id)`)
    .orderBy(sql`x.n`);
  return rows.map((r) => r.id);
}

/** A recipient: the selections below keep only customers with an email (so it is never null here). */
const recipientFields = {
  id: col(c.id),
  email: sql<NonNullable<ColumnValue<typeof c.email>>>`${qualified(c.email)}`,
  name: col(c.name),
  locale: col(c.locale),
};
export type Recipient = { [K in keyof typeof recipientFields]: (typeof recipientFields)[K]["_"]["type"] };

/** The next `limit` eligible recipients not yet invited, by customer id. */
export async function uninvitedRecipients(surveyId: number, selection: RecipientSelection, limit: number, db: Db = getDb()): Promise<Recipient[]> {
  const borders = await bordersFor(selection, db);
  return db
    .select(recipientFields)
    .from(sql`(${chosen(surveyId, selection, borders)}) c`)
    .where(sql`coalesce(email, '') <> '' and consent and not invited`)
    .orderBy(sql`id`)
    .limit(limit);
}

/**
 * Invites the customers (once: those already invited are skipped); returns the new invitations. Each
 * records the customer's CPM segment and loyalty quadrant at this moment (reaction rates, issue 16).
 */
export async function createInvitations(surveyId: number, customerIds: number[], db: Db = getDb()) {
  if (customerIds.length === 0) return [];
  const created = await db
    .insert(surveyInvitations)
    .values(customerIds.map((customerId) => ({ surveyId, customerId })))
    .onConflictDoNothing({ target: [surveyInvitations.surveyId, surveyInvitations.customerId] })
    .returning({ id: surveyInvitations.id, customerId: surveyInvitations.customerId });
  if (created.length === 0) return created;
  const { borders } = await getLoyaltySettings(db);
  await db.execute(
    sql`update survey_invitations i set segment = x.segment, quadrant = x.quadrant
          from (select c.id, m.cpm_segment as segment, ${quadrantSql(borders, sql`m.cpm_segment`, sql`ls.psych_score`)} as quadrant
                  from unnest(${bigintArray(created.map((r) => r.customerId))}) as c(id)
                  left join customer_metrics m on m.customer_id = c.id
                  ${latestPsych(sql`c.id`)}) x
         where i.survey_id = ${surveyId} and i.customer_id = x.id`,
  );
  return created;
}

/** Marks the customers' invitations reminded (once: those already reminded are skipped); returns them. */
export async function markReminded(surveyId: number, customerIds: number[], db: Db = getDb()) {
  return db
    .update(surveyInvitations)
    .set({ remindedAt: sql`now()` })
    .where(
      and(
        eq(surveyInvitations.surveyId, surveyId),
        sql`${surveyInvitations.customerId} = any(${bigintArray(customerIds)})`,
        isNull(surveyInvitations.remindedAt),
      ),
    )
    .returning({ id: surveyInvitations.id, customerId: surveyInvitations.customerId });
}

/** Stores the personal links (only each token's hash), all expiring at `expiresAt`. */
export async function createLinks(links: { tokenHash: string; invitationId: number }[], expiresAt: Date, db: Db = getDb()) {
  await db.execute(
    sql`insert into survey_links (token_hash, invitation_id, expires_at)
        select x.token_hash, x.invitation_id, ${expiresAt.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(links.map((link) => ({ token_hash: link.tokenHash, invitation_id: link.invitationId })))}::jsonb)
          as x(token_hash text, invitation_id bigint)`,
  );
}

/** Open surveys with invitations due a reminder (not answered, not reminded, sent reminderDays ago). */
export async function surveysDueReminders(db: Db = getDb()): Promise<number[]> {
  const rows = await db
    .selectDistinct({ surveyId: col(i.surveyId) })
    .from(sql`survey_invitations i join surveys s on s.id = i.survey_id`)
    .where(
      sql`s.status = 'open' and s.reminder_days is not null and i.answered_at is null and i.reminded_at is null
          and i.created_at <= now() - s.reminder_days * interval '1 day'`,
    );
  return rows.map((r) => r.surveyId);
}

/** The next `limit` invited customers due a reminder, by invitation. */
export async function dueReminderRecipients(surveyId: number, reminderDays: number | null, limit: number, db: Db = getDb()): Promise<Recipient[]> {
  return db
    .select(recipientFields)
    .from(sql`survey_invitations i join customers c on c.id = i.customer_id`)
    .where(
      sql`i.survey_id = ${surveyId} and i.answered_at is null and i.reminded_at is null
          and i.created_at <= now() - ${reminderDays} * interval '1 day' and coalesce(c.email, '') <> ''`,
    )
    .orderBy(sql`i.id`)
    .limit(limit);
}

/**
 * Invited, opened and answered per current CPM segment, and overall (the row with `total`: rollup).
 * `segment` is null for customers without a segment, and in the total row.
 */
export async function invitationCountsBySegment(surveyId: number, db: Db = getDb()) {
  return db
    .select({
      total: sql<boolean>`grouping(m.cpm_segment) = 1`,
      segment: sql<ColumnValue<typeof m.cpmSegment>>`${qualified(m.cpmSegment)}`,
      invited: sql<number>`count(*)::int`,
      opened: sql<number>`count(i.opened_at)::int`,
      answered: sql<number>`count(i.answered_at)::int`,
    })
    .from(sql`survey_invitations i left join customer_metrics m on m.customer_id = i.customer_id`)
    .where(sql`i.survey_id = ${surveyId}`)
    .groupBy(sql`rollup (m.cpm_segment)`);
}

/** What a personal link's token leads to (its hash is looked up): null when unknown. */
export async function findLink(tokenHash: string, db: Db = getDb()) {
  const [row] = await db
    .select({
      invitationId: col(i.id),
      surveyId: col(i.surveyId),
      customerId: col(i.customerId),
      expired: sql<boolean>`l.expires_at < now()`,
      answered: sql<boolean>`i.answered_at is not null`,
      locale: sql<SurveyLocale | null>`case when c.locale in ('ja', 'en') then c.locale end`,
    })
    .from(
      sql`survey_links l
        join survey_invitations i on i.id = l.invitation_id
        join customers c on c.id = i.customer_id`,
    )
    .where(sql`${l.tokenHash} = ${tokenHash}`);
  return row ?? null;
}

/** Marks the invitation opened, the first time its link is opened. */
export async function markOpened(invitationId: number, db: Db = getDb()) {
  await db.execute(sql`update survey_invitations set opened_at = now() where id = ${invitationId} and opened_at is null`);
}

/**
 * Reaction rates (issue 16): invitations and answers by the CPM segment and by the loyalty quadrant the
 * customer had when invited, per survey and over all surveys. One grouped scan of the invitations.
 */
export async function reactionRates(db: Db = getDb()) {
  const rows = await db
    .select({
      surveyId: col(i.surveyId),
      segment: col(i.segment),
      quadrant: col(i.quadrant),
      invited: sql<number>`count(*)::int`,
      answered: sql<number>`count(${qualified(i.answeredAt)})::int`,
    })
    .from(sql`survey_invitations i`)
    .groupBy(sql`1, 2, 3`);
  return rows;
}
