// The issuer's Ed25519 signing key for certificate credentials (issue 17) and the public key set that
// verifies them. The key comes from CREDENTIAL_SIGNING_KEY; a local run or the demo generates one into
// DATA_DIR instead (as the session secret is), production without it refuses to start signing.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { getEnv } from "~/utils/env.server";

export const SIGNING_ALG = "EdDSA";
const KEY_FILE = "credential-signing-key.json";

export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: PublicJwk };
export type PublicJwk = JWK & { kid: string; alg: typeof SIGNING_ALG; use: "sig" };

export class SigningKeyError extends Error {}

let cached: Promise<SigningKey> | undefined;

/** The key credentials are signed with: read (or generated) once per process. */
export function getSigningKey(): Promise<SigningKey> {
  cached ??= loadSigningKey().catch((error: unknown) => {
    cached = undefined; // a fixed environment is read again on the next call, not stuck on the error
    throw error;
  });
  return cached;
}

export function resetSigningKeyForTests() {
  cached = undefined;
}

/**
 * The JSON Web Key Set served at /.well-known/jwks.json: the current key, then any earlier public keys
 * (CREDENTIAL_PREVIOUS_PUBLIC_KEYS) so credentials signed before a rotation still verify.
 */
export async function publicJwks(): Promise<{ keys: PublicJwk[] }> {
  const current = await getSigningKey();
  const previous = await previousPublicKeys(process.env.CREDENTIAL_PREVIOUS_PUBLIC_KEYS);
  return { keys: [current.publicJwk, ...previous.filter((key) => key.kid !== current.kid)] };
}

async function loadSigningKey(): Promise<SigningKey> {
  const configured = process.env.CREDENTIAL_SIGNING_KEY;
  if (configured) return signingKeyFrom(parsePrivateJwk(configured));
  const env = getEnv();
  // The same rule as SESSION_SECRET: `npm run demo` runs with NODE_ENV=production and PORTAL_DEMO=1.
  if (env.NODE_ENV === "production" && env.PORTAL_DEMO !== "1") {
    throw new SigningKeyError(
      "CREDENTIAL_SIGNING_KEY: required in production, a private Ed25519 JWK as JSON " +
        '({"kty":"OKP","crv":"Ed25519","x":"…","d":"…"}). Certificates cannot be signed without it.',
    );
  }
  return signingKeyFrom(await localPrivateJwk(env.DATA_DIR));
}

async function signingKeyFrom(jwk: JWK): Promise<SigningKey> {
  const privateKey = (await importJWK(jwk, SIGNING_ALG)) as CryptoKey;
  const publicJwk = await toPublicJwk(jwk);
  return { kid: publicJwk.kid, privateKey, publicJwk };
}

/** Only the public members are kept, so a private JWK given by mistake never reaches the key set. */
async function toPublicJwk(jwk: JWK): Promise<PublicJwk> {
  const publicPart: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  // RFC 7638 thumbprint: the same key always gets the same kid, whoever computes it.
  const kid = await calculateJwkThumbprint(publicPart);
  return { ...publicPart, kid, alg: SIGNING_ALG, use: "sig" };
}

function isEd25519(value: unknown): value is JWK & { x: string } {
  const jwk = value as JWK | null;
  return typeof jwk === "object" && jwk !== null && jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.x === "string";
}

function parsePrivateJwk(text: string, source = "CREDENTIAL_SIGNING_KEY"): JWK {
  const jwk = parseJson(text, source);
  if (!isEd25519(jwk) || typeof jwk.d !== "string") {
    throw new SigningKeyError(`${source}: must be a private Ed25519 JWK as JSON (kty "OKP", crv "Ed25519", x and d)`);
  }
  return jwk;
}

async function previousPublicKeys(text: string | undefined): Promise<PublicJwk[]> {
  if (!text) return [];
  const keys = parseJson(text, "CREDENTIAL_PREVIOUS_PUBLIC_KEYS");
  if (!Array.isArray(keys) || !keys.every(isEd25519)) {
    throw new SigningKeyError("CREDENTIAL_PREVIOUS_PUBLIC_KEYS: must be a JSON array of Ed25519 public JWKs");
  }
  return Promise.all(keys.map(toPublicJwk));
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SigningKeyError(`${source}: is not valid JSON`);
  }
}

/** Development and demo only: a key generated once and kept beside the embedded database. */
async function localPrivateJwk(dataDir: string): Promise<JWK> {
  const file = path.resolve(dataDir, KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside, then linked into place: link fails if another process got there first, and then
  // its key (complete, never half-written) is the one every process uses.
  const draft = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  fs.writeFileSync(draft, JSON.stringify(jwk), { mode: 0o600 });
  try {
    fs.linkSync(draft, file);
    return jwk;
  } catch (error) {
    const winner = (error as NodeJS.ErrnoException).code === "EEXIST" ? readKeyFile(file) : null;
    if (!winner) throw error;
    return winner;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

function readKeyFile(file: string): JWK | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return parsePrivateJwk(text, file);
}
