// Staff accounts, sessions, sign-in attempts and the counters that limit them.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { loginAttempts, loginThrottle, staffSessions, staffUsers, type LoginThrottleScope } from "../../db/schema";
import { SIGN_IN_WINDOW_MINUTES } from "~/domain/sign-in-limits";
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

export async function recordLoginAttempt(email: string, ip: string, succeeded: boolean, db: Db = getDb()) {
  await db.insert(loginAttempts).values({ email: email.toLowerCase(), ip, succeeded });
}

export type ThrottleKey = { scope: LoginThrottleScope; key: string };

/** The counters one sign-in attempt touches: its address, the (address, account) pair, the account. */
export function throttleKeys(ip: string, email: string) {
  const account = email.trim().toLowerCase();
  return {
    address: { scope: "address", key: ip },
    pair: { scope: "pair", key: `${ip} ${account}` },
    account: { scope: "account", key: account },
  } satisfies Record<LoginThrottleScope, ThrottleKey>;
}

/**
 * Counts one more attempt under each key and returns the new counts, in one statement: the upsert
 * locks each row it bumps, so parallel attempts queue on it and each sees the others' counts. A
 * window older than SIGN_IN_WINDOW_MINUTES starts again at 1. Keys are always given in the same order
 * (address before pair), so two statements never wait on each other's rows.
 */
export async function countSignInAttempt(keys: ThrottleKey[], db: Db = getDb()): Promise<Partial<Record<LoginThrottleScope, number>>> {
  // The existing row is `login_throttle` in the update (the one already counted); `now()` is the
  // statement's start, the same in both columns.
  const expired = sql`login_throttle.window_start <= now() - make_interval(mins => ${SIGN_IN_WINDOW_MINUTES})`;
  const rows = await db
    .insert(loginThrottle)
    .values(keys.map((k) => ({ scope: k.scope, key: k.key, attempts: 1, windowStart: sql`now()` })))
    .onConflictDoUpdate({
      target: [loginThrottle.scope, loginThrottle.key],
      set: {
        attempts: sql`case when ${expired} then 1 else login_throttle.attempts + 1 end`,
        windowStart: sql`case when ${expired} then now() else login_throttle.window_start end`,
      },
    })
    .returning({ scope: loginThrottle.scope, attempts: loginThrottle.attempts });
  return Object.fromEntries(rows.map((r) => [r.scope, Number(r.attempts)]));
}

/**
 * A sign-in succeeded: its own attempt no longer counts against the address and the account, and the
 * address's earlier failures for this account are forgiven.
 */
export async function refundSignInAttempt(keys: ReturnType<typeof throttleKeys>, db: Db = getDb()) {
  await db.execute(
    sql`update ${loginThrottle}
           set attempts = case when scope = 'pair' then 0 else greatest(attempts - 1, 0) end
         where (scope = 'address' and key = ${keys.address.key})
            or (scope = 'pair' and key = ${keys.pair.key})
            or (scope = 'account' and key = ${keys.account.key})`,
  );
}
