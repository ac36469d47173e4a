// Town meetings' reads and writes (issue 18): events, invitees and their answers, personal links,
// tickets and check-ins, and the after-event figures. The rules are app/domain/events.ts and the use
// cases app/services/events.server.ts; each function takes the database or the caller's transaction last.
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { customers, eventInvitees, eventLinks, events, programmeMembers, staffUsers } from "../../db/schema";
import type { RecipientSelection } from "../domain/survey/recipients";
import { selectionFilter } from "./invitations.server";
import { getLoyaltySettings, quadrantSql } from "./loyalty.server";

export type EventRow = typeof events.$inferSelect;
export type EventInsert = typeof events.$inferInsert;
export type InviteeRow = typeof eventInvitees.$inferSelect;
export type InviteeInsert = typeof eventInvitees.$inferInsert;
export type InviteeKind = InviteeRow["kind"];

// ---- Events --------------------------------------------------------------------------------------

export async function insertEvent(values: EventInsert, db: Db = getDb()) {
  const [row] = await db.insert(events).values(values).returning();
  return row!;
}

export async function updateEventRow(id: number, values: Partial<EventInsert>, db: Db = getDb()) {
  const [row] = await db
    .update(events)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(events.id, id))
    .returning();
  return row ?? null;
}

/** One event; `lock` takes its row lock, which every change of its seats holds (answers queue on it). */
export async function eventById(id: number, db: Db = getDb(), options: { lock?: boolean } = {}) {
  const query = db.select().from(events).where(eq(events.id, id));
  const [row] = options.lock ? await query.for("update") : await query;
  return row ?? null;
}

/** Events with their seat and answer counts, soonest upcoming first, then the past (newest first). */
export async function listEvents(db: Db = getDb()) {
  return db
    .select({
      event: events,
      invited: sql<number>`count(${eventInvitees.id})::int`,
      seatsTaken: sql<number>`coalesce(sum(${eventInvitees.seats}) filter (where ${eventInvitees.rsvpStatus} = 'confirmed'), 0)::int`,
      waitlisted: sql<number>`count(*) filter (where ${eventInvitees.rsvpStatus} = 'waitlisted')::int`,
      checkedIn: sql<number>`count(*) filter (where ${eventInvitees.checkedInAt} is not null)::int`,
    })
    .from(events)
    .leftJoin(eventInvitees, eq(eventInvitees.eventId, events.id))
    .groupBy(events.id)
    .orderBy(sql`(${events.endsAt} < now()) or ${events.status} in ('done', 'cancelled')`, sql`case when ${events.endsAt} >= now() then ${events.startsAt} end asc`, desc(events.startsAt));
}

// ---- Invitees ------------------------------------------------------------------------------------

/**
 * Customers of a selection (or the programme's active members) not yet invited to the event, with what
 * the invitation records: email, name, locale, consent, member id, CPM segment and quadrant now.
 */
export async function customersToInvite(eventId: number, selection: RecipientSelection | { kind: "members" }, db: Db = getDb()) {
  const { borders } = await getLoyaltySettings(db);
  const filter =
    selection.kind === "members"
      ? sql`join programme_members pm0 on pm0.customer_id = c.id and pm0.status = 'active'`
      : selectionFilter(selection, borders);
  return queryRows<{
    id: number;
    email: string | null;
    name: string;
    locale: string | null;
    consent: boolean;
    member_id: number | null;
    cpm_segment: string | null;
    quadrant: string | null;
    invited: boolean;
  }>(
    sql`select s.id, s.email, s.name, s.locale, s.consent, pm.id as member_id, cm.cpm_segment,
               ${quadrantSql(borders, sql`cm.cpm_segment`, sql`lp.psych_score`)} as quadrant,
               exists (select 1 from event_invitees i where i.event_id = ${eventId} and i.customer_id = s.id) as invited
          from (select distinct c.id, c.email, c.name, c.locale,
                       coalesce(c.marketing_consent and c.unsubscribed_at is null, false) as consent
                  from customers c ${filter}) s
          left join programme_members pm on pm.customer_id = s.id and pm.status <> 'alumni'
          left join customer_metrics cm on cm.customer_id = s.id
          left join lateral (select r.psych_score from survey_responses r
                              where r.customer_id = s.id and r.psych_score is not null
                              order by r.submitted_at desc, r.id desc limit 1) lp on true
         order by s.id`,
    db,
  );
}

/** Inserts invitees; a person already invited to the event (customer or email) is skipped. */
export async function insertInvitees(rows: InviteeInsert[], db: Db) {
  if (rows.length === 0) return [];
  return db.insert(eventInvitees).values(rows).onConflictDoNothing().returning();
}

export async function insertLinks(links: { tokenHash: string; inviteeId: number }[], db: Db) {
  if (links.length === 0) return;
  await db.insert(eventLinks).values(links).onConflictDoNothing();
}

/** The invitee of a personal link, with the event; `lock` locks the event row first (answers queue on it). */
export async function inviteeByTokenHash(tokenHash: string, db: Db = getDb()) {
  const [row] = await db
    .select({ invitee: eventInvitees, event: events })
    .from(eventLinks)
    .innerJoin(eventInvitees, eq(eventInvitees.id, eventLinks.inviteeId))
    .innerJoin(events, eq(events.id, eventInvitees.eventId))
    .where(eq(eventLinks.tokenHash, tokenHash));
  return row ?? null;
}

export async function inviteeById(id: number, db: Db = getDb()) {
  const [row] = await db.select().from(eventInvitees).where(eq(eventInvitees.id, id));
  return row ?? null;
}

export async function updateInvitee(id: number, values: Partial<InviteeInsert>, db: Db) {
  const [row] = await db.update(eventInvitees).set(values).where(eq(eventInvitees.id, id)).returning();
  return row!;
}

/** The event's answers that hold or wait for a seat, in queue order. */
export async function seatHolders(eventId: number, db: Db) {
  return db
    .select()
    .from(eventInvitees)
    .where(and(eq(eventInvitees.eventId, eventId), inArray(eventInvitees.rsvpStatus, ["confirmed", "waitlisted"])))
    .orderBy(asc(eventInvitees.answerSeq));
}

/** The next place in the event's queue (taken under the event's lock, so the queue order is the lock order). */
export async function nextAnswerSeq(db: Db): Promise<number> {
  const [row] = await queryRows<{ seq: string }>(sql`select nextval('event_answer_seq')::text as seq`, db);
  return Number(row!.seq);
}

/** The invitee's place on the waitlist (1 is next), or null when not waiting. */
export async function waitlistPosition(invitee: InviteeRow, db: Db = getDb()) {
  if (invitee.rsvpStatus !== "waitlisted" || invitee.answerSeq === null) return null;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(eventInvitees)
    .where(sql`${eventInvitees.eventId} = ${invitee.eventId} and ${eventInvitees.rsvpStatus} = 'waitlisted' and ${eventInvitees.answerSeq} <= ${invitee.answerSeq}`);
  return row!.n;
}

export interface InviteeListOptions {
  status?: "confirmed" | "waitlisted" | "declined" | "cancelled" | "none" | "checked_in";
  q?: string;
  limit?: number;
  offset?: number;
}

/** The event's invitees for staff, queue order first, with who checked them in. */
export async function listInvitees(eventId: number, options: InviteeListOptions = {}, db: Db = getDb()) {
  const conditions = [eq(eventInvitees.eventId, eventId)];
  if (options.status === "none") conditions.push(sql`${eventInvitees.rsvpStatus} is null`);
  else if (options.status === "checked_in") conditions.push(isNotNull(eventInvitees.checkedInAt));
  else if (options.status) conditions.push(eq(eventInvitees.rsvpStatus, options.status));
  if (options.q?.trim()) {
    const like = `%${options.q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(
      sql`(${eventInvitees.name} ilike ${like} or ${eventInvitees.email} ilike ${like} or ${eventInvitees.organisation} ilike ${like}
           or exists (select 1 from customers c where c.id = ${eventInvitees.customerId} and c.external_id ilike ${like}))`,
    );
  }
  return db
    .select({ invitee: eventInvitees, checkedInByName: staffUsers.name })
    .from(eventInvitees)
    .leftJoin(staffUsers, eq(staffUsers.id, eventInvitees.checkedInBy))
    .where(and(...conditions))
    .orderBy(sql`case ${eventInvitees.rsvpStatus} when 'confirmed' then 0 when 'waitlisted' then 1 when 'declined' then 3 when 'cancelled' then 4 else 2 end`, asc(eventInvitees.answerSeq), asc(eventInvitees.name), asc(eventInvitees.id))
    .limit(options.limit ?? 500)
    .offset(options.offset ?? 0);
}

/** Counts of the event's invitees by answer, and seats. */
export async function inviteeCounts(eventId: number, db: Db = getDb()) {
  const [row] = await db
    .select({
      invited: sql<number>`count(*)::int`,
      confirmed: sql<number>`count(*) filter (where ${eventInvitees.rsvpStatus} = 'confirmed')::int`,
      seatsTaken: sql<number>`coalesce(sum(${eventInvitees.seats}) filter (where ${eventInvitees.rsvpStatus} = 'confirmed'), 0)::int`,
      waitlisted: sql<number>`count(*) filter (where ${eventInvitees.rsvpStatus} = 'waitlisted')::int`,
      waitlistSeats: sql<number>`coalesce(sum(${eventInvitees.seats}) filter (where ${eventInvitees.rsvpStatus} = 'waitlisted'), 0)::int`,
      declined: sql<number>`count(*) filter (where ${eventInvitees.rsvpStatus} = 'declined')::int`,
      cancelled: sql<number>`count(*) filter (where ${eventInvitees.rsvpStatus} = 'cancelled')::int`,
      noAnswer: sql<number>`count(*) filter (where ${eventInvitees.rsvpStatus} is null)::int`,
      checkedIn: sql<number>`count(*) filter (where ${eventInvitees.checkedInAt} is not null)::int`,
      walkIns: sql<number>`count(*) filter (where ${eventInvitees.source} = 'walk_in')::int`,
    })
    .from(eventInvitees)
    .where(eq(eventInvitees.eventId, eventId));
  return row!;
}

// ---- Check-in ------------------------------------------------------------------------------------

/** The ticket's invitee with their event's title, wherever the ticket belongs. */
export async function inviteeByTicket(code: string, db: Db = getDb()) {
  const [row] = await db
    .select({ invitee: eventInvitees, eventTitleJa: events.titleJa, eventTitleEn: events.titleEn })
    .from(eventInvitees)
    .innerJoin(events, eq(events.id, eventInvitees.eventId))
    .where(eq(eventInvitees.ticketCode, code));
  return row ?? null;
}

/**
 * Checks the invitee in if nobody has: one conditional update, so two doors scanning the same ticket at
 * once check it in once. Returns the row when this call checked it in, null when it was already.
 */
export async function markCheckedIn(inviteeId: number, staffUserId: number | null, door: string | null, db: Db) {
  const [row] = await db
    .update(eventInvitees)
    .set({ checkedInAt: new Date(), checkedInBy: staffUserId, checkedInDoor: door })
    .where(and(eq(eventInvitees.id, inviteeId), eq(eventInvitees.rsvpStatus, "confirmed"), sql`${eventInvitees.checkedInAt} is null`))
    .returning();
  return row ?? null;
}

export async function checkInOf(inviteeId: number, db: Db = getDb()) {
  const [row] = await db
    .select({ at: eventInvitees.checkedInAt, door: eventInvitees.checkedInDoor, by: staffUsers.name })
    .from(eventInvitees)
    .leftJoin(staffUsers, eq(staffUsers.id, eventInvitees.checkedInBy))
    .where(eq(eventInvitees.id, inviteeId));
  return row ?? null;
}

// ---- After the event -----------------------------------------------------------------------------

/** Invited, attending, checked in, no-shows and waitlist by invitee type and by CPM segment, in one pass. */
export async function attendanceFigures(eventId: number, db: Db = getDb()) {
  return queryRows<{
    dimension: "kind" | "segment";
    key: string | null;
    invited: number;
    confirmed: number;
    checked_in: number;
    no_show: number;
    waitlisted: number;
    declined: number;
    walk_ins: number;
  }>(
    sql`select case when grouping(i.kind) = 0 then 'kind' else 'segment' end as dimension,
               coalesce(i.kind, i.cpm_segment) as key,
               count(*)::int as invited,
               count(*) filter (where i.rsvp_status = 'confirmed')::int as confirmed,
               count(*) filter (where i.checked_in_at is not null)::int as checked_in,
               count(*) filter (where i.rsvp_status = 'confirmed' and i.checked_in_at is null)::int as no_show,
               count(*) filter (where i.rsvp_status = 'waitlisted')::int as waitlisted,
               count(*) filter (where i.rsvp_status = 'declined')::int as declined,
               count(*) filter (where i.source = 'walk_in')::int as walk_ins
          from event_invitees i
         where i.event_id = ${eventId}
         group by grouping sets ((i.kind), (i.cpm_segment))
         order by 1, 2 nulls last`,
    db,
  );
}

/** Attendees (checked in) for the thanks and feedback email, with their customer and email. */
export async function attendees(eventId: number, db: Db = getDb()) {
  return db
    .select()
    .from(eventInvitees)
    .where(and(eq(eventInvitees.eventId, eventId), isNotNull(eventInvitees.checkedInAt)))
    .orderBy(asc(eventInvitees.id));
}

/** Members checked in at the event (attendance points). */
export async function attendingMembers(eventId: number, db: Db) {
  return db
    .select({ inviteeId: eventInvitees.id, memberId: programmeMembers.id, checkedInAt: eventInvitees.checkedInAt })
    .from(eventInvitees)
    .innerJoin(programmeMembers, eq(programmeMembers.customerId, eventInvitees.customerId))
    .where(and(eq(eventInvitees.eventId, eventId), isNotNull(eventInvitees.checkedInAt)));
}

/** Everyone holding or waiting for a seat (cancellation email). */
export async function seatHoldersWithEmail(eventId: number, db: Db) {
  return db
    .select()
    .from(eventInvitees)
    .where(and(eq(eventInvitees.eventId, eventId), inArray(eventInvitees.rsvpStatus, ["confirmed", "waitlisted"]), isNotNull(eventInvitees.email)));
}

/** Published events starting within the next day whose confirmed attendees were not reminded yet. */
export async function eventsDueReminder(db: Db = getDb()) {
  return db
    .select()
    .from(events)
    .where(sql`${events.status} = 'published' and ${events.remindedAt} is null and ${events.startsAt} > now() and ${events.startsAt} <= now() + interval '1 day'`);
}

/** A member's confirmed and waiting invitations to events that have not ended (the member page's tickets). */
export async function upcomingForCustomer(customerId: number, db: Db = getDb()) {
  return db
    .select({ invitee: eventInvitees, event: events })
    .from(eventInvitees)
    .innerJoin(events, eq(events.id, eventInvitees.eventId))
    .where(sql`${eventInvitees.customerId} = ${customerId} and ${events.endsAt} > now() and ${events.status} = 'published'`)
    .orderBy(asc(events.startsAt));
}

export async function customerEmail(customerId: number, db: Db = getDb()) {
  const [row] = await db.select({ email: customers.email, name: customers.name }).from(customers).where(eq(customers.id, customerId));
  return row ?? null;
}

/** The event's invitee with this address (any case), if any: a walk-in who was invited is checked in instead. */
export async function inviteeByEmail(eventId: number, email: string, db: Db = getDb()) {
  const [row] = await db
    .select()
    .from(eventInvitees)
    .where(and(eq(eventInvitees.eventId, eventId), sql`lower(${eventInvitees.email}) = lower(${email})`));
  return row ?? null;
}

/** The customer with this address (any case) with their member id and CPM segment: a walk-in who is a customer. */
export async function customerByEmail(email: string, db: Db = getDb()) {
  const rows = await queryRows<{ id: number; member_id: number | null; cpm_segment: string | null }>(
    sql`select c.id, pm.id as member_id, cm.cpm_segment
          from customers c
          left join programme_members pm on pm.customer_id = c.id and pm.status <> 'alumni'
          left join customer_metrics cm on cm.customer_id = c.id
         where lower(c.email) = lower(${email})
         order by c.id
         limit 1`,
    db,
  );
  return rows[0] ?? null;
}
