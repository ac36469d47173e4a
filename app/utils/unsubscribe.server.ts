// Signed unsubscribe links (RFC 8058 one-click): the link itself proves which customer it is for,
// so it needs no sign-in and cannot be forged or pointed at someone else. JWS (HS256) through jose;
// the key is derived from SESSION_SECRET for this one purpose. The links do not expire: an old
// newsletter's unsubscribe link must keep working.
import crypto from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import { getEnv } from "./env.server";

const PURPOSE = "unsubscribe";

let cached: { secret: string; key: Uint8Array } | undefined;
function signingKey(): Uint8Array {
  const secret = getEnv().SESSION_SECRET;
  if (cached?.secret !== secret) {
    cached = { secret, key: new Uint8Array(crypto.hkdfSync("sha256", secret, "loyalty-portal", PURPOSE, 32)) };
  }
  return cached.key;
}

export async function unsubscribeToken(customerId: number): Promise<string> {
  return new SignJWT({ p: PURPOSE })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(String(customerId))
    .setIssuedAt()
    .sign(signingKey());
}

/** The customer the token was signed for, or null for anything forged, altered or malformed. */
export async function verifyUnsubscribeToken(token: string): Promise<number | null> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), { algorithms: ["HS256"] });
    const id = Number(payload.sub);
    return payload.p === PURPOSE && Number.isSafeInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

export function publicUrl(path: string): string {
  const env = getEnv();
  const base = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  return new URL(path, base.endsWith("/") ? base : `${base}/`).toString();
}

export async function unsubscribeUrl(customerId: number): Promise<string> {
  return publicUrl(`u/${await unsubscribeToken(customerId)}`);
}
