// The one role check every staff loader and action goes through, and staff sign-in / sign-out.
import { redirect } from "@remix-run/node";
import { hashToken, newToken, verifyPassword, dummyPasswordHash } from "./crypto.server";
import { getSessionCookie } from "./session.server";
import { roleAllows, type Role } from "~/domain/roles";
import {
  createSession,
  deleteSession,
  findStaffBySession,
  countSignInAttempt,
  findStaffForLogin,
  recordLoginAttempt,
  refundSignInAttempt,
  throttleKeys,
  type StaffUser,
} from "~/models/staff.server";
import { accountDelayMs, attemptAllowed } from "~/domain/sign-in-limits";

async function sessionToken(request: Request): Promise<string | null> {
  const value = await getSessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

async function sessionTokenHash(request: Request): Promise<string | null> {
  const token = await sessionToken(request);
  return token ? hashToken(token) : null;
}

/** The signed-in staff member, or null (no cookie, forged cookie, expired session, disabled account). */
export async function getStaffUser(request: Request): Promise<StaffUser | null> {
  const tokenHash = await sessionTokenHash(request);
  return tokenHash ? ((await findStaffBySession(tokenHash)) ?? null) : null;
}

// A short memory of recent session checks, used only where a page must answer while the embedded
// database is busy with one long transaction (an import's progress). Entries live 30 seconds;
// sign-out, a role change and deactivation forget them at once.
const recentSessions = new Map<string, { user: StaffUser; until: number }>();
const RECENT_MS = 30_000;

function remember(tokenHash: string, user: StaffUser) {
  const now = Date.now();
  if (recentSessions.size >= 1000) {
    for (const [key, entry] of recentSessions) if (entry.until <= now) recentSessions.delete(key);
  }
  recentSessions.set(tokenHash, { user, until: now + RECENT_MS });
}

/** After a role change or deactivation: the account's remembered sessions are checked afresh. */
export function forgetUserSessions(userId: number) {
  for (const [key, entry] of recentSessions) if (entry.user.id === userId) recentSessions.delete(key);
}

/** Signed out: redirect to /login (back here afterwards). Signed in without the role: 403. */
function authorize(request: Request, user: StaffUser | null, role: Role): StaffUser {
  if (!user) {
    const url = new URL(request.url);
    const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  if (!roleAllows(user.role, role)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** Every staff loader and action starts here (see `authorize`). */
export async function requireRole(request: Request, role: Role): Promise<StaffUser> {
  const tokenHash = await sessionTokenHash(request);
  const user = tokenHash ? ((await findStaffBySession(tokenHash)) ?? null) : null;
  if (tokenHash && user) remember(tokenHash, user);
  return authorize(request, user, role);
}

/**
 * requireRole, but a session confirmed by the database in the last 30 seconds is trusted without
 * asking it again. For read-only progress pages only.
 */
export async function requireRoleRecent(request: Request, role: Role): Promise<StaffUser> {
  const tokenHash = await sessionTokenHash(request);
  const hit = tokenHash ? recentSessions.get(tokenHash) : undefined;
  if (hit && hit.until > Date.now()) return authorize(request, hit.user, role);
  return requireRole(request, role);
}

export type SignInResult =
  | { ok: true; user: StaffUser; setCookie: string }
  | { ok: false; reason: "invalid" | "throttled" };

export function clientAddress(request: Request): string {
  // Behind a proxy the app is told the client's address; the server sets it from the socket otherwise.
  return request.headers.get("X-Portal-Client-IP") ?? "unknown";
}

/** How sign-in waits before checking a password on an account under attack; tests replace `sleep`. */
export const signInDelay = {
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * Checks a staff password within the limits of `~/domain/sign-in-limits`. The attempt is counted
 * before the (slow) password check, atomically, so N parallel attempts from one address get at most
 * the limit checked; a success gives its count back.
 */
export async function signIn(request: Request, email: string, password: string): Promise<SignInResult> {
  const keys = throttleKeys(clientAddress(request), email);
  const counts = await countSignInAttempt([keys.address, keys.pair]);
  if (!attemptAllowed({ address: counts.address ?? 0, pair: counts.pair ?? 0 })) {
    return { ok: false, reason: "throttled" };
  }
  // Never refused on the account's count (that would let anyone lock anyone out), only slowed down.
  const { account: accountAttempts = 1 } = await countSignInAttempt([keys.account]);
  const delay = accountDelayMs(accountAttempts - 1);
  if (delay > 0) await signInDelay.sleep(delay);
  const account = await findStaffForLogin(email);
  // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
  const passwordOk = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
  if (!account || !passwordOk || !account.active) {
    await recordLoginAttempt(email, keys.address.key, false);
    return { ok: false, reason: "invalid" };
  }
  await recordLoginAttempt(email, keys.address.key, true);
  await refundSignInAttempt(keys);
  const token = newToken();
  await createSession(account.id, hashToken(token));
  const { passwordHash: _, ...user } = account;
  return { ok: true, user, setCookie: await getSessionCookie().serialize(token) };
}

export async function signOut(request: Request): Promise<string> {
  const tokenHash = await sessionTokenHash(request);
  if (tokenHash) {
    recentSessions.delete(tokenHash);
    await deleteSession(tokenHash);
  }
  return getSessionCookie().serialize("", { maxAge: 0 });
}

/** A safe place to go after sign-in: a path on this site, never another origin. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/staff") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) {
    return fallback;
  }
  return to;
}
