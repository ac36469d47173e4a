// Loyalty questionnaires (DESIGN §3): surveys and their questions, personal links, responses with
// their scores, and answers in progress.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { Answers, Construct, Localized, NpsCategory, Question } from "../../app/domain/survey/types";
import type { CpmSegment } from "../../app/domain/cpm";
import type { Quadrant } from "../../app/domain/loyalty";
import { customers } from "./customers";
import { staffUsers } from "./staff";

export const surveys = pgTable(
  "surveys",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    title: jsonb("title").notNull().$type<Localized>(),
    intro: jsonb("intro").notNull().$type<Localized>(),
    thanks: jsonb("thanks").notNull().$type<Localized>(),
    // draft → open → closed. Questions change only while no answer exists; after that, copy to a new version.
    status: text("status").notNull().default("draft"),
    // one_per_page: one question at a time (phones); all_on_one: the whole survey on one page.
    layout: text("layout").notNull().default("one_per_page"),
    // Personal links expire this many days after they are sent.
    linkDays: integer("link_days").notNull().default(30),
    // A reminder goes once to those who have not answered this many days after the invitation (null: none).
    reminderDays: integer("reminder_days"),
    version: integer("version").notNull().default(1),
    // Bumped whenever the questions are replaced: an answer checked against older questions is refused
    // by the insert itself (the answer path caches questions; see survey-responses.server.ts).
    questionsVersion: integer("questions_version").notNull().default(1),
    // The survey this one was copied from (a new version).
    previousId: bigint("previous_id", { mode: "number" }),
    // The anonymous open link (`/s/o/<token>`, for a QR code at a shop): public by design, so kept as is.
    openToken: text("open_token").notNull(),
    createdBy: integer("created_by").references(() => staffUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    check("surveys_status", sql`${t.status} in ('draft', 'open', 'closed')`),
    check("surveys_layout", sql`${t.layout} in ('one_per_page', 'all_on_one')`),
    check("surveys_days", sql`${t.linkDays} between 1 and 365 and (${t.reminderDays} is null or ${t.reminderDays} between 1 and 60)`),
    uniqueIndex("surveys_open_token_key").on(t.openToken),
  ],
);

export const surveyQuestions = pgTable(
  "survey_questions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    surveyId: bigint("survey_id", { mode: "number" })
      .notNull()
      .references(() => surveys.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    key: text("key").notNull(),
    type: text("type").notNull(),
    // The rest of the question (label, help, points, reverse, anchors, options) as the domain type has it.
    definition: jsonb("definition").notNull().$type<Question>(),
    construct: text("construct").$type<Construct>(),
  },
  (t) => [uniqueIndex("survey_questions_key").on(t.surveyId, t.key), index("survey_questions_position").on(t.surveyId, t.position)],
);

export const surveyInvitations = pgTable(
  "survey_invitations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    surveyId: bigint("survey_id", { mode: "number" })
      .notNull()
      .references(() => surveys.id, { onDelete: "cascade" }),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    // The customer's CPM segment and loyalty quadrant when invited (reaction rates by segment and
    // quadrant, issue 16); null for invitations sent before they were recorded, or without either.
    segment: text("segment").$type<CpmSegment>(),
    quadrant: text("quadrant").$type<Quadrant>(),
  },
  (t) => [
    // One invitation per customer per survey: sending again invites nobody twice.
    uniqueIndex("survey_invitations_customer").on(t.surveyId, t.customerId),
  ],
);

/**
 * Personal links (`/s/<token>`): the invitation's email and the reminder each carry one. Only the
 * SHA-256 of the 256-bit token is kept; the token itself exists only in the email.
 */
export const surveyLinks = pgTable(
  "survey_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    invitationId: bigint("invitation_id", { mode: "number" })
      .notNull()
      .references(() => surveyInvitations.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("survey_links_invitation").on(t.invitationId)],
);

export const surveyResponses = pgTable(
  "survey_responses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    surveyId: bigint("survey_id", { mode: "number" })
      .notNull()
      .references(() => surveys.id, { onDelete: "cascade" }),
    // link: a personal link; open: the anonymous open link; import: answers collected elsewhere.
    channel: text("channel").notNull(),
    invitationId: bigint("invitation_id", { mode: "number" }).references(() => surveyInvitations.id, { onDelete: "set null" }),
    customerId: bigint("customer_id", { mode: "number" }).references(() => customers.id, { onDelete: "set null" }),
    // The answer form's own id: a retried or double-clicked submit of the open link records one response.
    submissionId: uuid("submission_id"),
    locale: text("locale").notNull(),
    answers: jsonb("answers").notNull().$type<Answers>(),
    psychScore: numeric("psych_score", { precision: 5, scale: 1, mode: "number" }),
    npsScore: smallint("nps_score"),
    npsCategory: text("nps_category").$type<NpsCategory>(),
    constructScores: jsonb("construct_scores").notNull().$type<Partial<Record<Construct, number>>>(),
    // The loyalty items' 0–100 scores in the survey's order when all were answered (for Cronbach's alpha).
    loyaltyScores: doublePrecision("loyalty_scores").array(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("survey_responses_channel", sql`${t.channel} in ('link', 'open', 'import')`),
    check("survey_responses_nps", sql`${t.npsScore} between 0 and 10`),
    // The database, not the code, guarantees one response per personal link and per submission. These
    // and the customer index are partial: the busiest writes, anonymous open-link answers, have no
    // invitation or customer, and a personal link's answer no submission id, so they skip those indexes.
    uniqueIndex("survey_responses_invitation").on(t.invitationId).where(sql`${t.invitationId} is not null`),
    uniqueIndex("survey_responses_submission").on(t.surveyId, t.submissionId).where(sql`${t.submissionId} is not null`),
    // Importing the same file twice records each answer once.
    uniqueIndex("survey_responses_imported").on(t.surveyId, t.customerId, t.submittedAt).where(sql`${t.channel} = 'import'`),
    index("survey_responses_survey").on(t.surveyId, t.submittedAt),
    index("survey_responses_customer").on(t.customerId, t.submittedAt).where(sql`${t.customerId} is not null`),
    // A customer's latest loyalty score and latest NPS, each from its own latest response (the customer
    // page, list and export read them per customer).
    index("survey_responses_customer_psych").on(t.customerId, t.submittedAt, t.id).where(sql`${t.customerId} is not null and ${t.psychScore} is not null`),
    index("survey_responses_customer_nps").on(t.customerId, t.submittedAt, t.id).where(sql`${t.customerId} is not null and ${t.npsScore} is not null`),
  ],
);

/** Answers in progress, saved as the customer goes: a closed tab resumes where it stopped. */
export const surveyDrafts = pgTable("survey_drafts", {
  // The invitation id for a personal link, the submission id for the open link.
  draftKey: text("draft_key").primaryKey(),
  surveyId: bigint("survey_id", { mode: "number" })
    .notNull()
    .references(() => surveys.id, { onDelete: "cascade" }),
  answers: jsonb("answers").notNull().$type<Answers>(),
  step: integer("step").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

