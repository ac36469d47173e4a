// Staff accounts, their sessions, the sign-in attempts (a log) and the counters that limit them.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const staffRoles = ["admin", "staff", "viewer"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staffUsers = pgTable(
  "staff_users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<StaffRole>().notNull(),
    active: boolean("active").notNull().default(true),
    locale: text("locale"),
    // The account /setup created. A partial unique index lets only one exist, so two racing
    // /setup submissions cannot both create a first admin.
    isFounder: boolean("is_founder").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("staff_users_email_key").on(sql`lower(${t.email})`),
    uniqueIndex("staff_users_one_founder").on(t.isFounder).where(sql`${t.isFounder}`),
    check("staff_users_role_check", sql`${t.role} in ('admin', 'staff', 'viewer')`),
    check("staff_users_locale_check", sql`${t.locale} is null or ${t.locale} in ('ja', 'en')`),
  ],
);

export const staffSessions = pgTable(
  "staff_sessions",
  {
    // SHA-256 of the random session token; the token itself lives only in the signed cookie.
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("staff_sessions_user_idx").on(t.userId)],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    succeeded: boolean("succeeded").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("login_attempts_email_at_idx").on(t.email, t.at),
    index("login_attempts_ip_at_idx").on(t.ip, t.at),
  ],
);

export const loginThrottleScopes = ["address", "pair", "account"] as const;
export type LoginThrottleScope = (typeof loginThrottleScopes)[number];

// Sign-in counters over a fixed 15-minute window, one row per address, per (address, account) and per
// account: the attempts not known to have succeeded (failed, or still being checked). An attempt is
// counted here, in one upsert that returns the new count, before its password is checked, so parallel
// attempts cannot all read the same old count; a success gives its count back.
export const loginThrottle = pgTable(
  "login_throttle",
  {
    scope: text("scope").$type<LoginThrottleScope>().notNull(),
    key: text("key").notNull(),
    attempts: integer("attempts").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    check("login_throttle_scope_check", sql`${t.scope} in ('address', 'pair', 'account')`),
  ],
);
