// The ambassador programme (DESIGN §5, issue 17): invitations with personal links, members, their
// certificates, activity and points, and the member area's sign-in links and sessions. The lifecycle's
// rules are app/domain/programme.ts; the database keeps what the rules cannot by themselves: one open
// invitation and one membership per customer, one valid certificate per member, one credit per source.
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { CpmSegment } from "../../app/domain/cpm";
import type { Quadrant } from "../../app/domain/loyalty";
import { customers } from "./customers";
import { staffUsers } from "./staff";

export const programmeInvitations = pgTable(
  "programme_invitations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id),
    // SHA-256 of the personal link's 256-bit token (/join/<token>); the token itself is never stored.
    tokenHash: text("token_hash").notNull(),
    // The reminder carries a second link (the first cannot be rebuilt from its hash); both stay valid.
    reminderTokenHash: text("reminder_token_hash"),
    status: text("status", { enum: ["invited", "accepted", "declined", "expired", "withdrawn"] }).notNull().default("invited"),
    message: text("message"),
    locale: text("locale").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    // The recipient's CPM segment and quadrant when invited (reaction tracking, the funnel by segment).
    cpmSegment: text("cpm_segment").$type<CpmSegment>(),
    quadrant: text("quadrant").$type<Quadrant>(),
    staffUserId: integer("staff_user_id").references(() => staffUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("programme_invitations_token_hash_key").on(t.tokenHash),
    uniqueIndex("programme_invitations_reminder_token_hash_key").on(t.reminderTokenHash),
    // One open invitation per customer: two staff inviting the same person at once get one.
    uniqueIndex("programme_invitations_open_key").on(t.customerId).where(sql`${t.status} = 'invited'`),
    index("programme_invitations_customer_idx").on(t.customerId, t.sentAt),
    index("programme_invitations_due_idx").on(t.expiresAt).where(sql`${t.status} = 'invited'`),
    check("programme_invitations_status", sql`${t.status} in ('invited', 'accepted', 'declined', 'expired', 'withdrawn')`),
  ],
);

export const programmeMembers = pgTable(
  "programme_members",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id),
    invitationId: bigint("invitation_id", { mode: "number" }).references(() => programmeInvitations.id),
    displayName: text("display_name").notNull(),
    contactConsent: boolean("contact_consent").notNull(),
    status: text("status", { enum: ["active", "paused", "alumni"] }).notNull().default("active"),
    // Printed on the member page and typed by friends at the till; stored upper case, without hyphens.
    referralCode: text("referral_code").notNull(),
    // The sum of the member's activity points, kept in the same transaction as each activity row.
    points: integer("points").notNull().default(0),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
  },
  (t) => [
    // One membership per customer, whatever its status: an alumna coming back is the same member.
    uniqueIndex("programme_members_customer_key").on(t.customerId),
    uniqueIndex("programme_members_invitation_key").on(t.invitationId),
    uniqueIndex("programme_members_referral_code_key").on(t.referralCode),
    check("programme_members_status", sql`${t.status} in ('active', 'paused', 'alumni')`),
    check("programme_members_points", sql`${t.points} >= 0`),
  ],
);

export const certificates = pgTable(
  "certificates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => programmeMembers.id),
    // The public serial on the PDF and in /verify/<code>: ≥ 80 random bits (certificateCodeFrom).
    code: text("code").notNull(),
    displayName: text("display_name").notNull(),
    programmeName: text("programme_name").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokeReason: text("revoke_reason"),
    revokedBy: integer("revoked_by").references(() => staffUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("certificates_code_key").on(t.code),
    // At most one certificate in force per member: a reissue revokes the old one first.
    uniqueIndex("certificates_current_key").on(t.memberId).where(sql`${t.revokedAt} is null`),
    check("certificates_revoked_reason", sql`${t.revokedAt} is null or ${t.revokeReason} is not null`),
  ],
);

export const memberActivity = pgTable(
  "member_activity",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => programmeMembers.id),
    kind: text("kind", { enum: ["referral_purchase", "event_attended", "survey_answered", "cocreation", "manual"] }).notNull(),
    points: integer("points").notNull(),
    note: text("note"),
    // What earned it, once: `purchase:<customer>:<dedupe key>`, `event:<id>`, `manual:<form id>`…
    // A re-import or a retried form finds the key taken and credits nothing.
    sourceKey: text("source_key").notNull(),
    details: jsonb("details").$type<Record<string, string | number | null>>(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    staffUserId: integer("staff_user_id").references(() => staffUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("member_activity_source_key").on(t.sourceKey),
    index("member_activity_member_idx").on(t.memberId, t.occurredAt),
    check("member_activity_kind", sql`${t.kind} in ('referral_purchase', 'event_attended', 'survey_answered', 'cocreation', 'manual')`),
  ],
);

/** Single-use sign-in links of the member area (15 minutes), stored as hashes. */
export const memberSignInLinks = pgTable(
  "member_sign_in_links",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => programmeMembers.id),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("member_sign_in_links_token_hash_key").on(t.tokenHash), index("member_sign_in_links_member_idx").on(t.memberId, t.createdAt)],
);

/** Member area sessions: the cookie holds a random token, the table its hash. */
export const memberSessions = pgTable(
  "member_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    memberId: bigint("member_id", { mode: "number" })
      .notNull()
      .references(() => programmeMembers.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("member_sessions_member_idx").on(t.memberId)],
);
