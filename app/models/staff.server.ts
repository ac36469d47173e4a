// Staff accounts, sessions and sign-in attempts.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { loginAttempts, staffSessions, staffUsers } from "../../db/schema";
import type { Role } from "~/domain/roles";

export type StaffUser = Pick<
  typeof staffUsers.$inferSelect,
  "id" | "email" | "name" | "role" | "active" | "locale"
>;

const publicColumns = {
  id: staffUsers.id,
  email: staffUsers.email,
  name: staffUsers.name,
  role: staffUsers.role,
  active: staffUsers.active,
  locale: staffUsers.locale,
};

export const SESSION_DAYS = 14;

export async function countStaff(db: Db = getDb()): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(staffUsers);
  return row.n;
}

export async function findStaffForLogin(email: string, db: Db = getDb()) {
  const [row] = await db
    .select({ ...publicColumns, passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(sql`lower(${staffUsers.email})`, email.toLowerCase()));
  return row;
}

export async function findStaffBySession(tokenHash: string, db: Db = getDb()): Promise<StaffUser | undefined> {
  const [row] = await db
    .select(publicColumns)
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
    .where(
      and(
        eq(staffSessions.tokenHash, tokenHash),
        gt(staffSessions.expiresAt, sql`now()`),
        eq(staffUsers.active, true),
      ),
    );
  return row;
}

export async function createSession(userId: number, tokenHash: string, db: Db = getDb()) {
  await db.insert(staffSessions).values({
    tokenHash,
    userId,
    expiresAt: sql`now() + make_interval(days => ${SESSION_DAYS})`,
  });
}

export async function deleteSession(tokenHash: string, db: Db = getDb()) {
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
}

export async function listStaff(db: Db = getDb()) {
  return db
    .select({ ...publicColumns, createdAt: staffUsers.createdAt })
    .from(staffUsers)
    .orderBy(asc(staffUsers.id));
}

export interface NewStaff {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  isFounder?: boolean;
}

/** Inserts an account; returns undefined when the email (or the founder slot) is already taken. */
export async function insertStaff(input: NewStaff, db: Db = getDb()) {
  const [row] = await db
    .insert(staffUsers)
    .values({ ...input, email: input.email.trim() })
    .onConflictDoNothing()
    .returning(publicColumns);
  return row;
}

export async function updateStaff(
  id: number,
  changes: Partial<Pick<StaffUser, "role" | "active" | "locale">>,
  db: Db = getDb(),
) {
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ ...changes, updatedAt: sql`now()` }).where(eq(staffUsers.id, id));
    // A deactivated account or a changed role signs out everywhere.
    if (changes.active === false || changes.role) {
      await tx.delete(staffSessions).where(eq(staffSessions.userId, id));
    }
  });
}

export async function countActiveAdmins(db: Db = getDb()) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), eq(staffUsers.active, true)));
  return row.n;
}

export const LOGIN_WINDOW_MINUTES = 15;
export const LOGIN_MAX_FAILURES = 5;

export async function recordLoginAttempt(email: string, ip: string, succeeded: boolean, db: Db = getDb()) {
  await db.insert(loginAttempts).values({ email: email.toLowerCase(), ip, succeeded });
}

/** Failed sign-ins in the window, for this account and for this address. */
export async function recentFailures(email: string, ip: string, db: Db = getDb()) {
  const [row] = await queryRows<{ by_email: number; by_ip: number }>(
    sql`select count(*) filter (where email = ${email.toLowerCase()})::int as by_email,
               count(*) filter (where ip = ${ip})::int as by_ip
          from ${loginAttempts}
         where not succeeded
           and at > now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})
           and (email = ${email.toLowerCase()} or ip = ${ip})`,
    db,
  );
  return { byEmail: row.by_email, byIp: row.by_ip };
}
