// Town meetings (DESIGN §6, issue 18): events, their invitees with each one's answer, seat, ticket and
// check-in on the same row, and the personal RSVP links. The rules (input, status, seats in strict
// answer order) are app/domain/events.ts; the database keeps what the rules cannot by themselves: one
// invitation per person and event, one ticket code each, one check-in per ticket, and a queue order
// (answer_seq) taken under the event's row lock, so concurrent answers never give more seats than exist.
import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgSequence, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { CpmSegment } from "../../app/domain/cpm";
import type { Quadrant } from "../../app/domain/loyalty";
import { customers } from "./customers";
import { programmeMembers } from "./programme";
import { staffUsers } from "./staff";
import { surveys } from "./surveys";

export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    titleJa: text("title_ja").notNull().default(""),
    titleEn: text("title_en").notNull().default(""),
    descriptionJa: text("description_ja").notNull().default(""),
    descriptionEn: text("description_en").notNull().default(""),
    agendaJa: text("agenda_ja").notNull().default(""),
    agendaEn: text("agenda_en").notNull().default(""),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    // IANA zone the event is held in; times are stored as instants and shown in this zone.
    timeZone: text("time_zone").notNull(),
    venue: text("venue"),
    onlineUrl: text("online_url"),
    capacity: integer("capacity").notNull(),
    // Answers close at this instant; null: at the start.
    rsvpDeadline: timestamp("rsvp_deadline", { withTimezone: true }),
    companionsAllowed: integer("companions_allowed").notNull().default(0),
    status: text("status", { enum: ["draft", "published", "done", "cancelled"] }).notNull().default("draft"),
    cancelMessage: text("cancel_message"),
    feedbackSurveyId: bigint("feedback_survey_id", { mode: "number" }).references(() => surveys.id, { onDelete: "set null" }),
    createdBy: integer("created_by").references(() => staffUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    feedbackSentAt: timestamp("feedback_sent_at", { withTimezone: true }),
  },
  (t) => [
    check("events_status", sql`${t.status} in ('draft', 'published', 'done', 'cancelled')`),
    check("events_times", sql`${t.endsAt} > ${t.startsAt}`),
    check("events_deadline", sql`${t.rsvpDeadline} is null or ${t.rsvpDeadline} <= ${t.startsAt}`),
    check("events_capacity", sql`${t.capacity} > 0`),
    check("events_companions", sql`${t.companionsAllowed} between 0 and 10`),
    check("events_title", sql`${t.titleJa} <> '' or ${t.titleEn} <> ''`),
    index("events_starts_idx").on(t.startsAt),
  ],
);

// The order answers joined the queue: taken after the event's row lock, so it is the order seats were given.
export const eventAnswerSeq = pgSequence("event_answer_seq");

export const inviteeKinds = ["member", "customer", "employee", "franchisee", "supplier", "partner"] as const;
export const rsvpStatusValues = ["confirmed", "waitlisted", "declined", "cancelled"] as const;

export const eventInvitees = pgTable(
  "event_invitees",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => events.id),
    // Who they are to the brand: an ambassador, a customer, or another stakeholder.
    kind: text("kind", { enum: inviteeKinds }).notNull(),
    customerId: bigint("customer_id", { mode: "number" }).references(() => customers.id),
    memberId: bigint("member_id", { mode: "number" }).references(() => programmeMembers.id),
    name: text("name").notNull(),
    email: text("email"),
    organisation: text("organisation"),
    role: text("role"),
    locale: text("locale").notNull(),
    // How they came: members, shortlist, segment, quadrant, list, stakeholder, csv, walk_in.
    source: text("source").notNull(),
    // A customer's CPM segment and quadrant when invited (the after-event figures by segment).
    cpmSegment: text("cpm_segment").$type<CpmSegment>(),
    quadrant: text("quadrant").$type<Quadrant>(),
    invitedAt: timestamp("invited_at", { withTimezone: true }).notNull().defaultNow(),
    invitedBy: integer("invited_by").references(() => staffUsers.id, { onDelete: "set null" }),
    // The answer: null until they answer.
    rsvpStatus: text("rsvp_status", { enum: rsvpStatusValues }),
    seats: integer("seats").notNull().default(1),
    notes: text("notes"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answerSeq: bigint("answer_seq", { mode: "number" }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    promotedAt: timestamp("promoted_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    // The door's ticket (base64url of 16 random bytes, in the QR code); only while confirmed.
    ticketCode: text("ticket_code"),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }),
    checkedInBy: integer("checked_in_by").references(() => staffUsers.id, { onDelete: "set null" }),
    checkedInDoor: text("checked_in_door"),
  },
  (t) => [
    uniqueIndex("event_invitees_customer_key").on(t.eventId, t.customerId).where(sql`${t.customerId} is not null`),
    uniqueIndex("event_invitees_email_key").on(t.eventId, sql`lower(${t.email})`).where(sql`${t.email} is not null`),
    uniqueIndex("event_invitees_ticket_key").on(t.ticketCode),
    index("event_invitees_queue_idx").on(t.eventId, t.rsvpStatus, t.answerSeq),
    index("event_invitees_customer_idx").on(t.customerId).where(sql`${t.customerId} is not null`),
    check("event_invitees_kind", sql`${t.kind} in ('member', 'customer', 'employee', 'franchisee', 'supplier', 'partner')`),
    check("event_invitees_rsvp", sql`${t.rsvpStatus} is null or ${t.rsvpStatus} in ('confirmed', 'waitlisted', 'declined', 'cancelled')`),
    check("event_invitees_seats", sql`${t.seats} between 1 and 11`),
    check("event_invitees_ticket", sql`${t.ticketCode} is null or ${t.rsvpStatus} = 'confirmed'`),
    check("event_invitees_checked_in", sql`${t.checkedInAt} is null or ${t.rsvpStatus} = 'confirmed'`),
    check("event_invitees_queue", sql`${t.rsvpStatus} not in ('confirmed', 'waitlisted') or ${t.answerSeq} is not null`),
  ],
);

export const eventLinks = pgTable(
  "event_links",
  {
    // SHA-256 of a personal RSVP link's 256-bit token (/e/<token>); each email that carries a link mints
    // its own (a hash cannot be turned back into the first one), and all of an invitee's links stay valid.
    tokenHash: text("token_hash").primaryKey(),
    inviteeId: bigint("invitee_id", { mode: "number" })
      .notNull()
      .references(() => eventInvitees.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("event_links_invitee_idx").on(t.inviteeId)],
);
