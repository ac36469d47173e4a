// A certificate as an Open Badges 3.0 OpenBadgeCredential, secured as a VC-JWT (issue 17): the JWT's
// payload is the credential itself (VC Data Model 2.0, no `vc` wrapper) with the registered claims that
// OB 3.0 §8.2 maps from it, signed with the issuer's Ed25519 key. Anyone can verify it with the public
// key set (/.well-known/jwks.json) alone; whether it was revoked is the status URL's answer, not the JWT's.
import {
  createLocalJWKSet,
  errors,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
} from "jose";
import { getSigningKey, SIGNING_ALG } from "./keys.server";

/** The media type of a VC-JWT (VC-JOSE-COSE), served as Content-Type and set as the header's `typ`. */
export const VC_JWT_TYPE = "vc+jwt";

export const CREDENTIAL_CONTEXT = [
  "https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
] as const;

/**
 * Not the 1EdTech revocation list (whose document lists revoked ids): the portal's status URL answers
 * for one certificate, `{"status": "valid" | "expired" | "revoked", …}`. VC 2.0's issuer-dependent
 * vocabulary covers a type name the OB context does not define.
 */
export const CREDENTIAL_STATUS_TYPE = "CertificateStatusJson";

export type CredentialInput = {
  /** The certificate's serial, also its verification code (/verify/<code>). */
  code: string;
  /** The name the member chose to show on the certificate (never their email or legal name). */
  displayName: string;
  programmeName: string;
  issuedAt: Date;
  expiresAt: Date | null;
  issuerName: string;
};

export type OpenBadgeCredential = {
  "@context": readonly string[];
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  issuer: { id: string; type: ["Profile"]; name: string };
  validFrom: string;
  validUntil?: string;
  name: string;
  credentialSubject: {
    type: ["AchievementSubject"];
    name: string;
    achievement: {
      id: string;
      type: ["Achievement"];
      name: string;
      description: string;
      criteria: { narrative: string };
    };
  };
  credentialStatus: { id: string; type: typeof CREDENTIAL_STATUS_TYPE };
};

export type VerifyFailure = "malformed" | "bad_signature" | "unknown_key" | "expired" | "not_yet_valid";
export type VerifyResult =
  | { ok: true; credential: OpenBadgeCredential; code: string }
  | { ok: false; reason: VerifyFailure };

export function credentialUrl(baseUrl: string, code: string) {
  return `${baseUrl}/verify/${encodeURIComponent(code)}`;
}

export function buildCredential(input: CredentialInput, baseUrl: string): OpenBadgeCredential {
  const id = credentialUrl(baseUrl, input.code);
  return {
    "@context": CREDENTIAL_CONTEXT,
    id,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: baseUrl, type: ["Profile"], name: input.issuerName },
    validFrom: input.issuedAt.toISOString(),
    ...(input.expiresAt ? { validUntil: input.expiresAt.toISOString() } : {}),
    name: input.programmeName,
    credentialSubject: {
      type: ["AchievementSubject"],
      name: input.displayName,
      achievement: {
        // One achievement for the programme, shared by every member's credential.
        id: `${baseUrl}/verify#ambassador-programme`,
        type: ["Achievement"],
        name: input.programmeName,
        description: `A recognised ambassador of ${input.issuerName}: ${input.programmeName}.`,
        criteria: { narrative: `Invited by ${input.issuerName}, accepted the programme's terms and became a member.` },
      },
    },
    credentialStatus: { id: `${id}/status.json`, type: CREDENTIAL_STATUS_TYPE },
  };
}

/** The compact JWS served at /verify/<code>/credential.jwt. `baseUrl` is the portal's address, no trailing slash. */
export async function issueCredentialJwt(input: CredentialInput, { baseUrl }: { baseUrl: string }): Promise<string> {
  const key = await getSigningKey();
  const credential = buildCredential(input, baseUrl);
  // OB 3.0 §8.2: iss ← issuer.id, jti ← id, nbf ← validFrom, exp ← validUntil. There is no `sub`: it maps
  // from credentialSubject.id, and a member has no identifier that is theirs and not private. iat is the
  // certificate's issue time, so (Ed25519 being deterministic) a certificate always gives the same JWT.
  const jwt = new SignJWT(credential as unknown as JWTPayload)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: VC_JWT_TYPE })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setNotBefore(input.issuedAt)
    .setIssuedAt(input.issuedAt);
  if (input.expiresAt) jwt.setExpirationTime(input.expiresAt);
  return jwt.sign(key.privateKey);
}

/**
 * Checks a credential with the public key set alone (as any third party would): signature, key, type
 * and dates. `now` is for tests and for asking "was it valid then".
 */
export async function verifyCredentialJwt(
  jwt: string,
  jwks: JSONWebKeySet,
  { now }: { now?: Date } = {},
): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(jwt.trim(), createLocalJWKSet(jwks), {
      algorithms: [SIGNING_ALG],
      typ: VC_JWT_TYPE,
      requiredClaims: ["iss", "jti", "nbf"],
      currentDate: now,
    });
    const code = codeOf(payload);
    return code ? { ok: true, credential: payload as unknown as OpenBadgeCredential, code } : { ok: false, reason: "malformed" };
  } catch (error) {
    return { ok: false, reason: failureOf(error) };
  }
}

/** The certificate code, if the payload is one of our OpenBadgeCredentials (its id is …/verify/<code>). */
function codeOf(payload: JWTPayload): string | null {
  const types = payload.type;
  if (!Array.isArray(types) || !types.includes("OpenBadgeCredential") || typeof payload.id !== "string") return null;
  if (payload.jti !== payload.id) return null;
  const match = /\/verify\/([^/?#]+)$/.exec(payload.id);
  return match ? decodeURIComponent(match[1]) : null;
}

function failureOf(error: unknown): VerifyFailure {
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return "unknown_key";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "nbf") return "not_yet_valid";
  // Anything else (not a JWS, bad JSON, another alg or typ) is not a credential of ours.
  return "malformed";
}
