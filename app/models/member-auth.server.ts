// The member area's sign-in (issue 17): single-use links that expire after 15 minutes, and sessions;
// both stored as SHA-256 hashes of their random tokens, never the tokens.
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { customers, memberSessions, memberSignInLinks, programmeMembers } from "../../db/schema";

export const SIGN_IN_LINK_MINUTES = 15;
/** Links one member may be sent within SIGN_IN_LINK_MINUTES: a form submitted in a loop mails no more. */
export const SIGN_IN_LINKS_PER_WINDOW = 3;
export const MEMBER_SESSION_DAYS = 30;

/** The member (not alumni) with this email, for the sign-in form; null when there is none. */
export async function memberForSignIn(email: string, db: Db = getDb()) {
  const [row] = await db
    .select({ id: programmeMembers.id, locale: customers.locale, email: customers.email })
    .from(programmeMembers)
    .innerJoin(customers, eq(customers.id, programmeMembers.customerId))
    .where(sql`lower(${customers.email}) = lower(${email}) and ${programmeMembers.status} <> 'alumni'`)
    .limit(1);
  return row ?? null;
}

/**
 * Stores a new link unless the member already had SIGN_IN_LINKS_PER_WINDOW in the window; the count
 * and the insert are one statement, so parallel requests cannot both slip under the limit unnoticed
 * by more than the requests in flight. Returns whether it was stored.
 */
export async function createSignInLink(memberId: number, tokenHash: string, db: Db = getDb()) {
  const rows = await db.execute(sql`
    insert into member_sign_in_links (member_id, token_hash, expires_at)
    select ${memberId}, ${tokenHash}, now() + ${`${SIGN_IN_LINK_MINUTES} minutes`}::interval
     where (select count(*) from member_sign_in_links
             where member_id = ${memberId} and created_at > now() - ${`${SIGN_IN_LINK_MINUTES} minutes`}::interval) < ${SIGN_IN_LINKS_PER_WINDOW}
    returning id`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as unknown[];
  return list.length > 0;
}

/** Uses a link once: the member's id when the link is known, unused and not expired, else null. */
export async function consumeSignInLink(tokenHash: string, db: Db = getDb()) {
  const [row] = await db
    .update(memberSignInLinks)
    .set({ usedAt: sql`now()` })
    .where(sql`${memberSignInLinks.tokenHash} = ${tokenHash} and ${memberSignInLinks.usedAt} is null and ${memberSignInLinks.expiresAt} > now()`)
    .returning({ memberId: memberSignInLinks.memberId });
  return row?.memberId ?? null;
}

export async function createMemberSession(memberId: number, tokenHash: string, db: Db = getDb()) {
  await db.insert(memberSessions).values({ memberId, tokenHash, expiresAt: sql`now() + ${`${MEMBER_SESSION_DAYS} days`}::interval` });
}

/** The member of a session, while it lasts and the member has not left (alumni keep no session). */
export async function memberBySession(tokenHash: string, db: Db = getDb()) {
  const [row] = await db
    .select({ id: programmeMembers.id, customerId: programmeMembers.customerId, status: programmeMembers.status })
    .from(memberSessions)
    .innerJoin(programmeMembers, eq(programmeMembers.id, memberSessions.memberId))
    .where(sql`${memberSessions.tokenHash} = ${tokenHash} and ${memberSessions.expiresAt} > now()`);
  return row ?? null;
}

export async function deleteMemberSession(tokenHash: string, db: Db = getDb()) {
  await db.delete(memberSessions).where(eq(memberSessions.tokenHash, tokenHash));
}

export async function deleteMemberSessions(memberId: number, db: Db = getDb()) {
  await db.delete(memberSessions).where(eq(memberSessions.memberId, memberId));
}
