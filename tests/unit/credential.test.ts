// The certificate credential (issue 17): an Open Badges 3.0 VC-JWT that verifies with the served key set
// alone, and fails when altered, signed by another key, expired or not yet valid; and where its key comes from.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { base64url, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { issueCredentialJwt, verifyCredentialJwt, type CredentialInput } from "~/services/certificates/credential.server";
import { getSigningKey, publicJwks, resetSigningKeyForTests } from "~/services/certificates/keys.server";
import { resetEnvForTests } from "~/utils/env.server";

const baseUrl = "https://loyalty.example.com";
const input: CredentialInput = {
  code: "K7QM-2XRD-9PLA",
  displayName: "山田 花子",
  programmeName: "Ambassador programme",
  issuedAt: new Date("2025-03-01T00:00:00Z"),
  expiresAt: new Date("2026-03-01T00:00:00Z"),
  issuerName: "Hanamizuki Cosmetics",
};
const during = { now: new Date("2025-06-01T00:00:00Z") };

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "credential-key-"));
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("CREDENTIAL_SIGNING_KEY", "");
  vi.stubEnv("CREDENTIAL_PREVIOUS_PUBLIC_KEYS", "");
  resetEnvForTests();
  resetSigningKeyForTests();
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
  resetSigningKeyForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The JWT with its payload changed and re-encoded, the header and signature kept. */
function tamper(jwt: string, change: (payload: Record<string, unknown>) => void) {
  const [header, payload, signature] = jwt.split(".");
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
  change(claims);
  return [header, base64url.encode(JSON.stringify(claims)), signature].join(".");
}

async function otherPrivateJwk() {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return exportJWK(privateKey);
}

describe("certificate credential", () => {
  it("verifies with the served key set alone and carries the Open Badges 3.0 shape", async () => {
    const jwt = await issueCredentialJwt(input, { baseUrl });
    const jwks = JSON.parse(JSON.stringify(await publicJwks())); // as a client gets it over HTTP
    const result = await verifyCredentialJwt(jwt, jwks, during);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.code).toBe(input.code);
    const vc = result.credential;
    expect(vc["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]);
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc.id).toBe(`${baseUrl}/verify/${input.code}`);
    expect(vc.issuer).toEqual({ id: baseUrl, type: ["Profile"], name: input.issuerName });
    expect(vc.validFrom).toBe("2025-03-01T00:00:00.000Z");
    expect(vc.validUntil).toBe("2026-03-01T00:00:00.000Z");
    expect(vc.credentialSubject.type).toEqual(["AchievementSubject"]);
    expect(vc.credentialSubject.name).toBe(input.displayName);
    expect(vc.credentialSubject.achievement).toMatchObject({ type: ["Achievement"], name: input.programmeName, criteria: { narrative: expect.any(String) } });
    expect(vc.credentialStatus.id).toBe(`${baseUrl}/verify/${input.code}/status.json`);
    // The registered claims OB 3.0 maps from the credential.
    expect(vc).toMatchObject({ iss: baseUrl, jti: vc.id, nbf: Date.parse(vc.validFrom) / 1000, exp: Date.parse(vc.validUntil!) / 1000 });
  });

  it("has an EdDSA protected header with the key's thumbprint as kid and typ vc+jwt", async () => {
    const jwt = await issueCredentialJwt(input, { baseUrl });
    const { keys } = await publicJwks();
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "EdDSA", kid: keys[0].kid, typ: "vc+jwt" });
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("fails when a field is altered, the signature kept", async () => {
    const jwt = await issueCredentialJwt(input, { baseUrl });
    const altered = tamper(jwt, (vc) => {
      (vc.credentialSubject as { name: string }).name = "Someone Else";
    });
    expect(await verifyCredentialJwt(altered, await publicJwks(), during)).toEqual({ ok: false, reason: "bad_signature" });
    const extended = tamper(jwt, (vc) => {
      vc.exp = Number(vc.exp) + 10 * 365 * 86_400;
    });
    expect(await verifyCredentialJwt(extended, await publicJwks(), during)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("fails when signed by another key, whether or not it claims our kid", async () => {
    const jwks = await publicJwks();
    vi.stubEnv("CREDENTIAL_SIGNING_KEY", JSON.stringify(await otherPrivateJwk()));
    resetSigningKeyForTests();
    const foreign = await issueCredentialJwt(input, { baseUrl });
    expect(await verifyCredentialJwt(foreign, jwks, during)).toEqual({ ok: false, reason: "unknown_key" });

    const forged = await new SignJWT({ type: ["VerifiableCredential", "OpenBadgeCredential"], id: `${baseUrl}/verify/X` })
      .setProtectedHeader({ alg: "EdDSA", kid: jwks.keys[0].kid, typ: "vc+jwt" })
      .setIssuer(baseUrl)
      .setJti(`${baseUrl}/verify/X`)
      .setNotBefore(input.issuedAt)
      .sign((await getSigningKey()).privateKey);
    expect(await verifyCredentialJwt(forged, jwks, during)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("reports expired and not-yet-valid credentials, and garbage as malformed", async () => {
    const jwt = await issueCredentialJwt(input, { baseUrl });
    const jwks = await publicJwks();
    expect(await verifyCredentialJwt(jwt, jwks, { now: new Date("2026-03-02T00:00:00Z") })).toEqual({ ok: false, reason: "expired" });
    expect(await verifyCredentialJwt(jwt, jwks, { now: new Date("2025-02-01T00:00:00Z") })).toEqual({ ok: false, reason: "not_yet_valid" });
    expect(await verifyCredentialJwt("not.a.jwt", jwks, during)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyCredentialJwt("", jwks, during)).toEqual({ ok: false, reason: "malformed" });
  });

  it("never expires without an expiry date", async () => {
    const jwt = await issueCredentialJwt({ ...input, expiresAt: null }, { baseUrl });
    const result = await verifyCredentialJwt(jwt, await publicJwks(), { now: new Date("2040-01-01T00:00:00Z") });
    expect(result.ok && result.credential.validUntil).toBe(undefined);
    expect(result.ok).toBe(true);
  });

  it("keeps earlier public keys in the key set, so credentials signed before a rotation still verify", async () => {
    const before = await issueCredentialJwt(input, { baseUrl });
    const oldPublic = (await publicJwks()).keys[0];
    vi.stubEnv("CREDENTIAL_SIGNING_KEY", JSON.stringify(await otherPrivateJwk()));
    vi.stubEnv("CREDENTIAL_PREVIOUS_PUBLIC_KEYS", JSON.stringify([{ kty: "OKP", crv: "Ed25519", x: oldPublic.x }]));
    resetSigningKeyForTests();
    const jwks = await publicJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([(await getSigningKey()).kid, oldPublic.kid]);
    expect((await verifyCredentialJwt(before, jwks, during)).ok).toBe(true);
    expect((await verifyCredentialJwt(await issueCredentialJwt(input, { baseUrl }), jwks, during)).ok).toBe(true);
  });
});

describe("signing key source", () => {
  it("generates the key file in DATA_DIR once (mode 0600) and reuses it", async () => {
    const file = path.join(dataDir, "credential-signing-key.json");
    const first = await getSigningKey();
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = fs.readFileSync(file, "utf8");

    resetSigningKeyForTests(); // as a new process would
    const second = await getSigningKey();
    expect(second.kid).toBe(first.kid);
    expect(fs.readFileSync(file, "utf8")).toBe(written);
    expect(fs.readdirSync(dataDir)).toEqual(["credential-signing-key.json"]);
  });

  it("uses CREDENTIAL_SIGNING_KEY when set, and writes no file", async () => {
    vi.stubEnv("CREDENTIAL_SIGNING_KEY", JSON.stringify(await otherPrivateJwk()));
    await getSigningKey();
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("refuses to sign in production without CREDENTIAL_SIGNING_KEY, naming it", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("PORTAL_DEMO", "");
    resetEnvForTests();
    await expect(getSigningKey()).rejects.toThrow(/CREDENTIAL_SIGNING_KEY/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("refuses a CREDENTIAL_SIGNING_KEY that is not a private Ed25519 JWK, naming it", async () => {
    vi.stubEnv("CREDENTIAL_SIGNING_KEY", JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "abc" }));
    await expect(getSigningKey()).rejects.toThrow(/CREDENTIAL_SIGNING_KEY: must be a private Ed25519 JWK/);
    vi.stubEnv("CREDENTIAL_SIGNING_KEY", "{not json");
    resetSigningKeyForTests();
    await expect(getSigningKey()).rejects.toThrow(/CREDENTIAL_SIGNING_KEY: is not valid JSON/);
  });
});
