// Cookies: the staff session (signed, httpOnly, SameSite=Lax, Secure in production) and the language.
import { createCookie, type Cookie } from "@remix-run/node";
import { getEnv } from "./env.server";
import { SESSION_DAYS } from "~/models/staff.server";

let sessionCookie: Cookie | undefined;

export function getSessionCookie(): Cookie {
  if (sessionCookie) return sessionCookie;
  const env = getEnv();
  sessionCookie = createCookie("portal_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production" && env.PORTAL_DEMO !== "1",
    path: "/",
    maxAge: SESSION_DAYS * 24 * 60 * 60,
    secrets: [env.SESSION_SECRET],
  });
  return sessionCookie;
}

export const localeCookie = createCookie("portal_lng", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: 365 * 24 * 60 * 60,
});
