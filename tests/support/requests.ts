// Calling route modules the way Remix does: a real Request in, a Response (returned or thrown) out.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { insertStaff } from "~/models/staff.server";
import { signIn } from "~/utils/auth.server";
import { hashPassword } from "~/utils/crypto.server";
import type { Role } from "~/domain/roles";

export const BASE = "http://portal.test";

export function get(path: string, cookie?: string, ip = "10.0.0.1") {
  return new Request(`${BASE}${path}`, { headers: headers(cookie, ip) });
}

export function post(path: string, fields: Record<string, string>, cookie?: string, ip = "10.0.0.1") {
  const h = headers(cookie, ip);
  h.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`${BASE}${path}`, { method: "POST", headers: h, body: new URLSearchParams(fields).toString() });
}

function headers(cookie: string | undefined, ip: string) {
  const h = new Headers({ "X-Portal-Client-IP": ip });
  if (cookie) h.set("Cookie", cookie);
  return h;
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

/** Runs a loader or action and returns its Response, whether it was returned or thrown. */
export async function run(handler: unknown, request: Request): Promise<Response> {
  try {
    const result = await (handler as Handler)({ request, params: {}, context: {} });
    if (result instanceof Response) return result;
    // Remix `data()` results and plain objects.
    const value = result as { type?: string; data?: unknown; init?: ResponseInit | null };
    if (value && value.type === "DataWithResponseInit") {
      return Response.json(value.data, value.init ?? undefined);
    }
    return Response.json(result ?? null);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Creates an account and returns a session cookie for it. */
export async function staffSession(role: Role, email = `${role}@example.com`, password = "correct horse battery") {
  await insertStaff({ name: `${role} user`, email, passwordHash: await hashPassword(password), role, isFounder: false });
  const result = await signIn(get("/login"), email, password);
  if (!result.ok) throw new Error(`could not sign in ${email}`);
  return { cookie: cookieHeader(result.setCookie), user: result.user, email, password };
}

/** "name=value; Path=/; HttpOnly" → "name=value" for a Cookie request header. */
export function cookieHeader(setCookie: string | null) {
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0];
}
