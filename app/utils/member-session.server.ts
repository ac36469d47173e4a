// The member area's session (issue 17): its own cookie, separate from staff sessions (signed, httpOnly,
// SameSite=Lax, Secure in production), holding a random token whose hash is in member_sessions.
import { createCookie, redirect, type Cookie } from "@remix-run/node";
import { getEnv } from "./env.server";
import { hashToken } from "./crypto.server";
import { deleteMemberSession, MEMBER_SESSION_DAYS, memberBySession } from "~/models/member-auth.server";

let memberCookie: Cookie | undefined;

export function getMemberCookie(): Cookie {
  if (memberCookie) return memberCookie;
  const env = getEnv();
  memberCookie = createCookie("portal_member", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production" && env.PORTAL_DEMO !== "1",
    path: "/m",
    maxAge: MEMBER_SESSION_DAYS * 24 * 60 * 60,
    secrets: [env.SESSION_SECRET],
  });
  return memberCookie;
}

async function sessionHash(request: Request) {
  const token = await getMemberCookie().parse(request.headers.get("Cookie"));
  return typeof token === "string" && token.length > 0 ? hashToken(token) : null;
}

/** The signed-in member, or null (no cookie, a forged one, an expired session, a member who left). */
export async function getMember(request: Request) {
  const hash = await sessionHash(request);
  const member = hash ? await memberBySession(hash) : null;
  return member && member.status !== "alumni" ? member : null;
}

/** Every member-only loader and action starts here: signed out, back to the member area's sign-in. */
export async function requireMember(request: Request) {
  const member = await getMember(request);
  if (!member) throw redirect("/m");
  return member;
}

export async function memberSignInHeaders(sessionToken: string) {
  return { "Set-Cookie": await getMemberCookie().serialize(sessionToken) };
}

export async function memberSignOutHeaders(request: Request) {
  const hash = await sessionHash(request);
  if (hash) await deleteMemberSession(hash);
  return { "Set-Cookie": await getMemberCookie().serialize("", { maxAge: 0 }) };
}
