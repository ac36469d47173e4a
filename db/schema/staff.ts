// Staff accounts, their sessions and the sign-in attempts that rate-limit them.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgTable,
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
