// Town meetings' use cases (DESIGN §6, issue 18): create, edit, publish, finish and cancel an event;
// invite members, customers of a selection and other stakeholders with personal RSVP links; answer,
// change and cancel an RSVP with seats given in strict answer order and the waitlist moving up; tickets,
// check-in at the door and walk-ins; the after-event figures, the feedback survey and attendance points.
//
// Every change of an event's seats runs in one transaction holding the event's row lock: answers queue
// on it, so 200 people answering at once for 50 seats get exactly 50 seats, in the order they got the
// lock (answer_seq), on PGlite and on PostgreSQL alike. Emails go through the outbox in the same
// transaction; a refusal throws an EventError and changes nothing.
import crypto from "node:crypto";
import type { Db } from "../../db/client.server";
import { getDb } from "../../db/client.server";
import type { Locale } from "~/i18n";
import { isEmailAddress } from "~/domain/email-address";
import {
  canChangeSeats,
  checkEventInput,
  checkStakeholders,
  eventTransition,
  isTicketCode,
  placeAnswer,
  promote,
  rsvpAllowed,
  seatsAllowed,
  ticketCodeFrom,
  type EventInput,
  type EventInputIssue,
  type EventStatusEvent,
  type Rsvp,
  type Stakeholder,
  type StakeholderInput,
  type StakeholderIssue,
} from "~/domain/events";
import type { RecipientSelection } from "~/domain/survey/recipients";
import { sendRefusal } from "~/domain/survey/status";
import { pointsFor } from "~/domain/programme";
import {
  attendanceFigures,
  attendees,
  attendingMembers,
  checkInOf,
  customersToInvite,
  eventById,
  eventsDueReminder,
  insertEvent,
  insertInvitees,
  insertLinks,
  customerByEmail,
  inviteeByEmail,
  inviteeById,
  inviteeByTicket,
  inviteeByTokenHash,
  inviteeCounts,
  listEvents,
  listInvitees,
  markCheckedIn,
  nextAnswerSeq,
  seatHolders,
  seatHoldersWithEmail,
  updateEventRow,
  updateInvitee,
  upcomingForCustomer,
  waitlistPosition,
  type EventRow,
  type InviteeInsert,
  type InviteeListOptions,
  type InviteeRow,
} from "~/models/events.server";
import { createInvitations, createLinks } from "~/models/invitations.server";
import { enqueueEmails, type OutgoingEmail } from "~/models/outbox.server";
import { addActivity, getProgrammeSettings } from "~/models/programme.server";
import { getSurvey } from "~/models/surveys.server";
import { hashToken, newToken } from "~/utils/crypto.server";
import { publicUrl } from "~/utils/unsubscribe.server";

export class EventError extends Error {
  constructor(
    readonly key: string,
    readonly status = 409,
    readonly details: Record<string, string | number | null> = {},
  ) {
    super(key);
  }
}

const localeOf = (l: string | null | undefined): Locale => (l === "en" ? "en" : "ja");

/** The event's text in a language, falling back to the other one when that one is empty. */
export function textIn(event: Pick<EventRow, "titleJa" | "titleEn">, locale: Locale): string;
export function textIn(pair: { ja: string; en: string }, locale: Locale): string;
export function textIn(value: { ja: string; en: string } | Pick<EventRow, "titleJa" | "titleEn">, locale: Locale): string {
  const pair = "titleJa" in value ? { ja: value.titleJa, en: value.titleEn } : value;
  return (locale === "en" ? pair.en || pair.ja : pair.ja || pair.en).trim();
}

/** Where the event happens, for emails and the RSVP page: the place, the online link, or both. */
export function venueOf(event: Pick<EventRow, "venue" | "onlineUrl">): string {
  return [event.venue, event.onlineUrl].filter((v): v is string => !!v && v.trim() !== "").join(" / ") || "—";
}

const newTicket = () => ticketCodeFrom(crypto.randomBytes(16));

// ---- Events --------------------------------------------------------------------------------------

export interface EventFormInput extends EventInput {
  description: { ja: string; en: string };
  agenda: { ja: string; en: string };
  venue: string | null;
  onlineUrl: string | null;
}

export class EventInputError extends Error {
  constructor(readonly issues: EventInputIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.problem}`).join(", "));
  }
}

function eventValues(input: EventFormInput) {
  const issues = checkEventInput(input);
  if (!input.venue?.trim() && !input.onlineUrl?.trim()) issues.push({ field: "venue", problem: "required" });
  if (issues.length > 0) throw new EventInputError(issues);
  return {
    titleJa: input.title.ja.trim(),
    titleEn: input.title.en.trim(),
    descriptionJa: input.description.ja.trim(),
    descriptionEn: input.description.en.trim(),
    agendaJa: input.agenda.ja.trim(),
    agendaEn: input.agenda.en.trim(),
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    venue: input.venue?.trim() || null,
    onlineUrl: input.onlineUrl?.trim() || null,
    capacity: input.capacity,
    rsvpDeadline: input.rsvpDeadline,
    companionsAllowed: input.companionsAllowed,
  };
}

export async function createEvent(input: EventFormInput, staffUserId: number | null, db: Db = getDb()) {
  return insertEvent({ ...eventValues(input), createdBy: staffUserId }, db);
}

/**
 * Saves an edit. A done or cancelled event is final; capacity that grows moves the waitlist up (and
 * emails those who moved); capacity that shrinks takes no seat away.
 */
export async function updateEvent(eventId: number, input: EventFormInput, db: Db = getDb()) {
  const values = eventValues(input);
  return db.transaction(async (tx) => {
    const event = await eventById(eventId, tx, { lock: true });
    if (!event) throw new EventError("not_found", 404);
    if (event.status === "done" || event.status === "cancelled") throw new EventError(event.status === "done" ? "already_done" : "already_cancelled");
    const updated = (await updateEventRow(eventId, values, tx))!;
    const promoted = updated.status === "published" ? await promoteWaitlist(updated, tx) : 0;
    return { event: updated, promoted };
  });
}

/** Publish, finish or cancel. Cancelling emails everyone holding or waiting for a seat. */
export async function changeEventStatus(eventId: number, move: EventStatusEvent, options: { message?: string | null } = {}, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const event = await eventById(eventId, tx, { lock: true });
    if (!event) throw new EventError("not_found", 404);
    const result = eventTransition(event.status, move);
    if (!result.ok) throw new EventError(result.error);
    const now = new Date();
    const stamp = move === "publish" ? { publishedAt: now } : move === "finish" ? { finishedAt: now } : { cancelledAt: now, cancelMessage: options.message?.trim() || null };
    const updated = (await updateEventRow(eventId, { status: result.status, ...stamp }, tx))!;
    let emailed = 0;
    if (move === "cancel") {
      const people = await seatHoldersWithEmail(eventId, tx);
      const sent = await enqueueEmails(
        people.map((p) => {
          const locale = localeOf(p.locale);
          return {
            template: "event-cancelled",
            idempotencyKey: `event-cancelled:${eventId}:${p.id}`,
            to: p.email!,
            customerId: p.customerId,
            locale,
            data: { customerName: p.name, eventTitle: textIn(updated, locale), startsAt: updated.startsAt.toISOString(), venue: venueOf(updated), message: updated.cancelMessage },
          } as OutgoingEmail;
        }),
        tx,
      );
      emailed = sent.queued;
    }
    return { event: updated, emailed };
  });
}

/** How many a cancellation would email (the confirm step says it first). */
export async function cancellationReach(eventId: number, db: Db = getDb()) {
  const counts = await inviteeCounts(eventId, db);
  return counts.confirmed + counts.waitlisted;
}

export async function eventOverview(eventId: number, db: Db = getDb()) {
  const event = await eventById(eventId, db);
  if (!event) return null;
  return { event, counts: await inviteeCounts(eventId, db) };
}

export { listEvents };

export async function eventInvitees(eventId: number, options: InviteeListOptions = {}, db: Db = getDb()) {
  return listInvitees(eventId, options, db);
}

// ---- Invitations ---------------------------------------------------------------------------------

export type EventSelection = RecipientSelection | { kind: "members" };

export interface InvitationPreview {
  selected: number;
  eligible: number;
  noEmail: number;
  noConsent: number;
  alreadyInvited: number;
}

/** How a selection divides before inviting (the confirm step says how many it emails). */
export async function previewEventInvitations(eventId: number, selection: EventSelection, db: Db = getDb()): Promise<InvitationPreview> {
  const people = await customersToInvite(eventId, selection, db);
  const preview = { selected: people.length, eligible: 0, noEmail: 0, noConsent: 0, alreadyInvited: 0 };
  for (const p of people) {
    if (!p.email) preview.noEmail++;
    else if (p.invited) preview.alreadyInvited++;
    else if (!p.consent) preview.noConsent++;
    else preview.eligible++;
  }
  return preview;
}

function invitable(event: EventRow) {
  if (event.status === "done" || event.status === "cancelled") throw new EventError(event.status === "done" ? "already_done" : "already_cancelled");
  if (event.endsAt.getTime() <= Date.now()) throw new EventError("event_over");
}

/**
 * Invites the selection's customers not yet invited (with an email and marketing consent): each gets
 * a personal link through the outbox, in one transaction. Their type (member or customer), segment
 * and quadrant are recorded. An invitation to a draft is kept and emailed when the event is published.
 */
export async function inviteCustomers(eventId: number, selection: EventSelection, staffUserId: number | null, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const event = await eventById(eventId, tx, { lock: true });
    if (!event) throw new EventError("not_found", 404);
    invitable(event);
    const people = (await customersToInvite(eventId, selection, tx)).filter((p) => p.email && p.consent && !p.invited);
    const source = selection.kind;
    const created = await insertInvitees(
      people.map(
        (p): InviteeInsert => ({
          eventId,
          kind: p.member_id ? "member" : "customer",
          customerId: p.id,
          memberId: p.member_id,
          name: p.name,
          email: p.email,
          locale: localeOf(p.locale),
          source,
          cpmSegment: p.cpm_segment as InviteeInsert["cpmSegment"],
          quadrant: p.quadrant as InviteeInsert["quadrant"],
          invitedBy: staffUserId,
        }),
      ),
      tx,
    );
    const sent = event.status === "published" ? await sendInvitations(event, created, tx) : { queued: 0, suppressed: 0 };
    return { invited: created.length, emailed: sent.queued, suppressed: sent.suppressed };
  });
}

/** Invites stakeholders (checked together: one bad row keeps none, and names its row and field). */
export async function inviteStakeholders(
  eventId: number,
  rows: StakeholderInput[],
  source: "stakeholder" | "csv",
  staffUserId: number | null,
  db: Db = getDb(),
): Promise<{ ok: true; invited: number; alreadyInvited: number; emailed: number } | { ok: false; issues: StakeholderIssue[] }> {
  const checked = checkStakeholders(rows, isEmailAddress);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    const event = await eventById(eventId, tx, { lock: true });
    if (!event) throw new EventError("not_found", 404);
    invitable(event);
    const created = await insertInvitees(checked.stakeholders.map((s: Stakeholder) => stakeholderRow(eventId, s, source, staffUserId)), tx);
    const sent = event.status === "published" ? await sendInvitations(event, created, tx) : { queued: 0 };
    return { ok: true as const, invited: created.length, alreadyInvited: checked.stakeholders.length - created.length, emailed: sent.queued };
  });
}

const stakeholderRow = (eventId: number, s: Stakeholder, source: string, staffUserId: number | null): InviteeInsert => ({
  eventId,
  kind: s.kind,
  name: s.name,
  email: s.email,
  organisation: s.organisation,
  role: s.role,
  locale: s.locale,
  source,
  invitedBy: staffUserId,
});

/** Mints a personal link per invitee and queues their invitation emails. */
async function sendInvitations(event: EventRow, invitees: InviteeRow[], db: Db) {
  const withEmail = invitees.filter((i) => i.email);
  const tokens = withEmail.map((i) => ({ invitee: i, token: newToken() }));
  await insertLinks(tokens.map((t) => ({ tokenHash: hashToken(t.token), inviteeId: t.invitee.id })), db);
  return enqueueEmails(
    tokens.map(({ invitee, token }) => {
      const locale = localeOf(invitee.locale);
      return {
        template: "event-invitation",
        idempotencyKey: `event-invitation:${event.id}:${invitee.id}`,
        to: invitee.email!,
        customerId: invitee.customerId,
        locale,
        data: {
          customerName: invitee.name,
          eventTitle: textIn(event, locale),
          description: textIn({ ja: event.descriptionJa, en: event.descriptionEn }, locale) || null,
          startsAt: event.startsAt.toISOString(),
          endsAt: event.endsAt.toISOString(),
          venue: venueOf(event),
          capacity: event.capacity,
          rsvpUrl: publicUrl(`e/${token}`),
        },
      } as OutgoingEmail;
    }),
    db,
  );
}

/** Publishing sends the invitations of invitees added while the event was a draft. */
export async function publishEvent(eventId: number, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const { event } = await changeEventStatus(eventId, "publish", {}, tx);
    const waiting = await listInvitees(eventId, { status: "none", limit: 1_000_000 }, tx);
    const sent = await sendInvitations(event, waiting.map((w) => w.invitee), tx);
    return { event, emailed: sent.queued };
  });
}

// ---- RSVP ----------------------------------------------------------------------------------------

export type RsvpLinkState = "ok" | "expired";

/** Links stop working 30 days after the event ended (410), and at once for a cancelled event's answers. */
const LINK_DAYS_AFTER = 30;

/** The RSVP page's data: null for an unknown token (404); "expired" for a link past its time (410). */
export async function rsvpForPage(token: string, db: Db = getDb()) {
  const found = await inviteeByTokenHash(hashToken(token), db);
  if (!found) return null;
  const { invitee, event } = found;
  const expired = event.endsAt.getTime() + LINK_DAYS_AFTER * 86_400_000 <= Date.now() || event.status === "draft";
  return {
    invitee,
    event,
    state: (expired ? "expired" : "ok") as RsvpLinkState,
    window: rsvpAllowed(event, new Date()),
    position: await waitlistPosition(invitee, db),
    seatsLeft: Math.max(0, event.capacity - (await inviteeCounts(event.id, db)).seatsTaken),
  };
}

export interface RsvpAnswer {
  attend: boolean;
  seats: number;
  notes: string | null;
}

async function lockedInvitee(token: string, db: Db) {
  const found = await inviteeByTokenHash(hashToken(token), db);
  if (!found) throw new EventError("not_found", 404);
  if (found.event.endsAt.getTime() + LINK_DAYS_AFTER * 86_400_000 <= Date.now()) throw new EventError("link_expired", 410);
  const event = (await eventById(found.event.id, db, { lock: true }))!;
  const invitee = (await inviteeById(found.invitee.id, db))!;
  return { event, invitee };
}

const toRsvp = (i: InviteeRow): Rsvp => ({ id: String(i.id), seats: i.seats, status: i.rsvpStatus as Rsvp["status"], answeredAt: i.answeredAt ?? new Date(0) });

/**
 * Attend or decline, with notes and seats. A new "attend" joins the queue: a seat if nobody waits and
 * the seats fit, else the end of the waitlist. A confirmed attendee may ask fewer seats (freeing them
 * moves the waitlist up) or more when they fit and nobody waits; a waitlisted one keeps their place.
 */
export async function answerRsvp(token: string, answer: RsvpAnswer, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const { event, invitee } = await lockedInvitee(token, tx);
    const now = new Date();
    const window = rsvpAllowed(event, now);
    if (!window.canAnswer) throw new EventError(window.reason!, window.reason === "deadline_passed" ? 409 : 410);
    const notes = answer.notes?.trim() || null;
    if (!answer.attend) {
      const held = invitee.rsvpStatus === "confirmed" || invitee.rsvpStatus === "waitlisted";
      const updated = await updateInvitee(invitee.id, { rsvpStatus: "declined", notes, answeredAt: now, ticketCode: null, cancelledAt: held ? now : invitee.cancelledAt }, tx);
      const promoted = held ? await promoteWaitlist(event, tx) : 0;
      return { invitee: updated, promoted };
    }
    if (!seatsAllowed(answer.seats, event.companionsAllowed)) throw new EventError("seats_not_allowed", 400, { max: 1 + event.companionsAllowed });
    const holders = await seatHolders(event.id, tx);
    const held = holders.filter((h) => h.rsvpStatus === "confirmed").reduce((s, h) => s + h.seats, 0);
    const waiting = holders.filter((h) => h.rsvpStatus === "waitlisted").length;

    if (invitee.rsvpStatus === "confirmed") {
      if (!canChangeSeats(event.capacity, held, waiting, invitee.seats, answer.seats)) throw new EventError("no_more_seats", 409);
      const updated = await updateInvitee(invitee.id, { seats: answer.seats, notes }, tx);
      const promoted = answer.seats < invitee.seats ? await promoteWaitlist(event, tx) : 0;
      return { invitee: updated, promoted };
    }
    if (invitee.rsvpStatus === "waitlisted") {
      await updateInvitee(invitee.id, { seats: answer.seats, notes }, tx);
      const promoted = await promoteWaitlist(event, tx);
      return { invitee: (await inviteeById(invitee.id, tx))!, promoted };
    }
    // A new answer (first, or after declining or cancelling) joins the end of the queue.
    const seq = await nextAnswerSeq(tx);
    const place = placeAnswer(event.capacity, held, waiting, answer.seats);
    const updated = await updateInvitee(
      invitee.id,
      {
        rsvpStatus: place,
        seats: answer.seats,
        notes,
        answeredAt: now,
        answerSeq: seq,
        confirmedAt: place === "confirmed" ? now : null,
        promotedAt: null,
        cancelledAt: null,
        ticketCode: place === "confirmed" ? newTicket() : null,
      },
      tx,
    );
    if (place === "confirmed") await sendConfirmation(event, updated, tx);
    return { invitee: updated, promoted: 0 };
  });
}

/** Gives up a seat or a waitlist place (allowed after the deadline, until the event ends). */
export async function cancelRsvp(token: string, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const { event, invitee } = await lockedInvitee(token, tx);
    const window = rsvpAllowed(event, new Date());
    if (!window.canCancel) throw new EventError(window.reason!, 410);
    if (invitee.checkedInAt) throw new EventError("already_checked_in");
    if (invitee.rsvpStatus !== "confirmed" && invitee.rsvpStatus !== "waitlisted") throw new EventError("nothing_to_cancel");
    const updated = await updateInvitee(invitee.id, { rsvpStatus: "cancelled", ticketCode: null, cancelledAt: new Date() }, tx);
    const promoted = await promoteWaitlist(event, tx);
    return { invitee: updated, promoted };
  });
}

/**
 * Moves the waitlist up from its head while the head fits (the caller holds the event's lock), and
 * emails each who moved: the news, and the confirmation with their ticket and calendar file. Nothing
 * moves once the event has started.
 */
async function promoteWaitlist(event: EventRow, db: Db): Promise<number> {
  if (event.status !== "published" || event.startsAt.getTime() <= Date.now()) return 0;
  const holders = await seatHolders(event.id, db);
  const moved = promote(event.capacity, holders.map(toRsvp));
  const now = new Date();
  for (const id of moved) {
    const row = await updateInvitee(Number(id), { rsvpStatus: "confirmed", confirmedAt: now, promotedAt: now, ticketCode: newTicket() }, db);
    if (!row.email) continue;
    const locale = localeOf(row.locale);
    const token = await mintLink(row.id, db);
    await enqueueEmails(
      [
        {
          template: "waitlist-promotion",
          idempotencyKey: `waitlist-promotion:${event.id}:${row.id}:${row.answerSeq}`,
          to: row.email,
          customerId: row.customerId,
          locale,
          data: { customerName: row.name, eventTitle: textIn(event, locale), startsAt: event.startsAt.toISOString(), venue: venueOf(event), manageUrl: publicUrl(`e/${token}`), confirmBy: null },
        },
      ],
      db,
    );
    await sendConfirmation(event, row, db, token);
  }
  return moved.length;
}

async function mintLink(inviteeId: number, db: Db) {
  const token = newToken();
  await insertLinks([{ tokenHash: hashToken(token), inviteeId }], db);
  return token;
}

/** The confirmation email with the ticket code and the event as an .ics attachment. */
async function sendConfirmation(event: EventRow, invitee: InviteeRow, db: Db, token?: string) {
  if (!invitee.email) return;
  const locale = localeOf(invitee.locale);
  const link = token ?? (await mintLink(invitee.id, db));
  await enqueueEmails(
    [
      {
        template: "event-confirmation",
        idempotencyKey: `event-confirmation:${event.id}:${invitee.id}:${invitee.answerSeq}`,
        to: invitee.email,
        customerId: invitee.customerId,
        locale,
        data: {
          customerName: invitee.name,
          eventTitle: textIn(event, locale),
          startsAt: event.startsAt.toISOString(),
          endsAt: event.endsAt.toISOString(),
          venue: venueOf(event),
          manageUrl: publicUrl(`e/${link}`),
          checkInCode: invitee.ticketCode,
          eventUid: `event-${event.id}-${invitee.id}@${new URL(publicUrl("")).host}`,
        },
      },
    ],
    db,
  );
}

// ---- Check-in ------------------------------------------------------------------------------------

export type CheckInResult =
  | { ok: true; invitee: InviteeRow; points: boolean }
  | { ok: false; reason: "not_a_ticket" | "unknown_ticket" | "not_confirmed" | "event_not_open"; invitee?: InviteeRow; position?: number | null }
  | { ok: false; reason: "other_event"; eventTitle: { ja: string; en: string } }
  | { ok: false; reason: "already"; invitee: InviteeRow; at: Date; by: string | null; door: string | null };

/**
 * Checks a ticket (scanned code) or an invitee (found by name) in, once: a conditional update, so two
 * doors at once count one. A ticket of another event, a waitlisted or cancelled answer, and a second
 * scan are refused with who, when and by whom. An ambassador's attendance is credited once.
 */
export async function checkIn(
  eventId: number,
  by: { code: string } | { inviteeId: number },
  staff: { id: number | null; door: string | null },
  db: Db = getDb(),
): Promise<CheckInResult> {
  let invitee: InviteeRow | null;
  if ("code" in by) {
    const code = by.code.trim();
    if (!isTicketCode(code)) return { ok: false, reason: "not_a_ticket" };
    const found = await inviteeByTicket(code, db);
    if (!found) return { ok: false, reason: "unknown_ticket" };
    if (found.invitee.eventId !== eventId) return { ok: false, reason: "other_event", eventTitle: { ja: found.eventTitleJa, en: found.eventTitleEn } };
    invitee = found.invitee;
  } else {
    invitee = await inviteeById(by.inviteeId, db);
    if (!invitee || invitee.eventId !== eventId) return { ok: false, reason: "unknown_ticket" };
  }
  const event = await eventById(eventId, db);
  if (!event || event.status !== "published") return { ok: false, reason: "event_not_open", invitee };
  if (invitee.checkedInAt) return already(invitee, db);
  if (invitee.rsvpStatus !== "confirmed") return { ok: false, reason: "not_confirmed", invitee, position: await waitlistPosition(invitee, db) };
  const target = invitee;
  return db.transaction(async (tx) => {
    const marked = await markCheckedIn(target.id, staff.id, staff.door, tx);
    if (!marked) return already(target, tx);
    const points = await creditAttendance(event, marked, tx);
    return { ok: true as const, invitee: marked, points };
  });
}

async function already(invitee: InviteeRow, db: Db): Promise<CheckInResult> {
  const at = await checkInOf(invitee.id, db);
  return { ok: false, reason: "already", invitee, at: at?.at ?? invitee.checkedInAt!, by: at?.by ?? null, door: at?.door ?? null };
}

/** Attendance points for an ambassador, once per event (the activity's source key). */
async function creditAttendance(event: EventRow, invitee: InviteeRow, db: Db) {
  if (!invitee.customerId) return false;
  const members = await attendingMembers(event.id, db);
  const member = members.find((m) => m.inviteeId === invitee.id);
  if (!member) return false;
  const settings = await getProgrammeSettings(db);
  return addActivity(
    {
      memberId: member.memberId,
      kind: "event_attended",
      points: pointsFor("event_attended", settings.points),
      sourceKey: `event:${event.id}:member:${member.memberId}`,
      note: textIn(event, "ja") || textIn(event, "en"),
      details: { eventId: event.id },
      occurredAt: invitee.checkedInAt ?? new Date(),
    },
    db,
  );
}

export interface WalkInInput {
  name: string;
  email: string | null;
  kind: InviteeRow["kind"];
  organisation: string | null;
  notes: string | null;
}

/**
 * Someone at the door without an invitation: added confirmed and checked in at once (a walk-in may
 * pass capacity: they are in the room). An address already invited is refused with that invitee's
 * name, so staff check them in instead of adding them twice.
 */
export async function addWalkIn(eventId: number, input: WalkInInput, staff: { id: number | null; door: string | null }, db: Db = getDb()) {
  const name = input.name.trim();
  if (!name) throw new EventError("walk_in_name_required", 400);
  const email = input.email?.trim() || null;
  if (email && !isEmailAddress(email)) throw new EventError("walk_in_invalid_email", 400);
  return db.transaction(async (tx) => {
    const event = await eventById(eventId, tx, { lock: true });
    if (!event || event.status !== "published") throw new EventError("event_not_open");
    const existing = email ? await inviteeByEmail(eventId, email, tx) : null;
    if (existing) throw new EventError("walk_in_already_invited", 409, { name: existing.name, id: existing.id });
    // A walk-in who is a customer joins their record: type, segment, and an ambassador's attendance points.
    const customer = email ? await customerByEmail(email, tx) : null;
    const now = new Date();
    const [row] = await insertInvitees(
      [
        {
          eventId,
          kind: customer ? (customer.member_id ? "member" : "customer") : input.kind,
          customerId: customer?.id ?? null,
          memberId: customer?.member_id ?? null,
          cpmSegment: (customer?.cpm_segment ?? null) as InviteeInsert["cpmSegment"],
          name,
          email,
          organisation: input.organisation?.trim() || null,
          locale: "ja",
          source: "walk_in",
          invitedBy: staff.id,
          rsvpStatus: "confirmed",
          seats: 1,
          notes: input.notes?.trim() || null,
          answeredAt: now,
          answerSeq: await nextAnswerSeq(tx),
          confirmedAt: now,
          ticketCode: newTicket(),
          checkedInAt: now,
          checkedInBy: staff.id,
          checkedInDoor: staff.door,
        },
      ],
      tx,
    );
    if (!row) throw new EventError("walk_in_already_invited", 409, { name, id: null });
    if (customer?.member_id) await creditAttendance(event, row, tx);
    return row;
  });
}

// ---- After the event -----------------------------------------------------------------------------

export async function eventReport(eventId: number, db: Db = getDb()) {
  const event = await eventById(eventId, db);
  if (!event) return null;
  const rows = await attendanceFigures(eventId, db);
  return {
    event,
    counts: await inviteeCounts(eventId, db),
    byKind: rows.filter((r) => r.dimension === "kind"),
    bySegment: rows.filter((r) => r.dimension === "segment"),
  };
}

/**
 * Sends the thanks email with the feedback survey to everyone checked in: customers get a personal
 * survey link (their answer joins their loyalty record), other stakeholders the survey's open link.
 * Once per attendee (the emails' idempotency keys); the survey must be open.
 */
export async function sendFeedback(eventId: number, surveyId: number, db: Db = getDb()) {
  const survey = await getSurvey(surveyId, db);
  if (!survey) throw new EventError("survey_not_found", 404);
  if (sendRefusal(survey)) throw new EventError("survey_not_open");
  return db.transaction(async (tx) => {
    const event = await eventById(eventId, tx, { lock: true });
    if (!event) throw new EventError("not_found", 404);
    if (event.status === "cancelled" || event.status === "draft") throw new EventError("event_not_held");
    if (event.endsAt.getTime() > Date.now() && event.status !== "done") throw new EventError("event_not_over");
    // Sent once: the same survey again (a retry, a double click) does nothing; another survey is refused.
    if (event.feedbackSentAt) {
      if (event.feedbackSurveyId !== surveyId) throw new EventError("feedback_already_sent");
      return { emailed: 0, suppressed: 0, duplicates: 0 };
    }
    const people = (await attendees(eventId, tx)).filter((p) => p.email);
    const customerIds = people.filter((p) => p.customerId).map((p) => p.customerId!);
    const invitations = await createInvitations(surveyId, customerIds, tx);
    const tokenByCustomer = new Map<number, string>();
    const links = invitations.map((inv) => {
      const token = newToken();
      tokenByCustomer.set(inv.customerId, token);
      return { tokenHash: hashToken(token), invitationId: inv.id };
    });
    await createLinks(links, new Date(Date.now() + survey.linkDays * 86_400_000), tx);
    const openUrl = publicUrl(`s/o/${survey.openToken}`);
    const sent = await enqueueEmails(
      people.map((p) => {
        const locale = localeOf(p.locale);
        const token = p.customerId ? tokenByCustomer.get(p.customerId) : undefined;
        return {
          template: "event-thanks",
          idempotencyKey: `event-thanks:${eventId}:${p.id}`,
          to: p.email!,
          customerId: p.customerId,
          locale,
          data: { customerName: p.name, eventTitle: textIn(event, locale), feedbackUrl: token ? publicUrl(`s/${token}`) : openUrl },
        } as OutgoingEmail;
      }),
      tx,
    );
    await updateEventRow(eventId, { feedbackSurveyId: surveyId, feedbackSentAt: new Date() }, tx);
    return { emailed: sent.queued, suppressed: sent.suppressed, duplicates: sent.duplicates };
  });
}

/** Hourly: confirmed attendees of events starting within a day get one reminder each. */
export async function remindUpcomingEvents(db: Db = getDb()) {
  let emailed = 0;
  for (const event of await eventsDueReminder(db)) {
    await db.transaction(async (tx) => {
      const locked = await eventById(event.id, tx, { lock: true });
      if (!locked || locked.remindedAt) return;
      const people = (await seatHolders(event.id, tx)).filter((p) => p.rsvpStatus === "confirmed" && p.email);
      const emails: OutgoingEmail[] = [];
      for (const p of people) {
        const locale = localeOf(p.locale);
        const token = await mintLink(p.id, tx);
        emails.push({
          template: "event-reminder",
          idempotencyKey: `event-reminder:${event.id}:${p.id}`,
          to: p.email!,
          customerId: p.customerId,
          locale,
          data: { customerName: p.name, eventTitle: textIn(event, locale), startsAt: event.startsAt.toISOString(), venue: venueOf(event), manageUrl: publicUrl(`e/${token}`) },
        } as OutgoingEmail);
      }
      const sent = await enqueueEmails(emails, tx);
      emailed += sent.queued;
      await updateEventRow(event.id, { remindedAt: new Date() }, tx);
    });
  }
  return emailed;
}

/** The member page's events: tickets of confirmed seats, and waitlist places. */
export async function memberEvents(customerId: number, db: Db = getDb()) {
  const rows = await upcomingForCustomer(customerId, db);
  return Promise.all(rows.map(async (r) => ({ ...r, position: await waitlistPosition(r.invitee, db) })));
}

/**
 * A fresh personal RSVP link for a signed-in member's own invitation (links are stored hashed, so the
 * member page mints one on request). Another customer's invitation is "not found", as if it did not exist.
 */
export async function memberRsvpLink(customerId: number, inviteeId: number, db: Db = getDb()) {
  const invitee = await inviteeById(inviteeId, db);
  if (!invitee || invitee.customerId !== customerId) throw new EventError("not_found", 404);
  return mintLink(invitee.id, db);
}
