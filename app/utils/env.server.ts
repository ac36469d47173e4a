// The environment, parsed once at start-up: a bad value stops the process with the variable named.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // 0 picks a free port (tests); the server prints the one it got.
  PORT: z.coerce
    .number({ invalid_type_error: "must be a port number (0–65535)" })
    .int("must be a port number (0–65535)")
    .min(0, "must be a port number (0–65535)")
    .max(65535, "must be a port number (0–65535)")
    .default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Set by `npm run demo`: a local demo may generate its own session secret.
  PORTAL_DEMO: z.enum(["0", "1"]).optional(),
  DEMO_ADMIN_EMAIL: z.string().email().default("admin@example.com"),
  // Also checked for strength (as any new staff password) when the demo creates the account.
  DEMO_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").default("demo-loyalty-portal"),
  // The address links in emails point to (unsubscribe, surveys); default http://localhost:PORT.
  PUBLIC_URL: z.string().url("must be an absolute URL, e.g. https://loyalty.example.com").optional(),
  // Email (DESIGN §7): Resend when a key is set, otherwise the local transport (the staff mailbox).
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url("must be an absolute URL").optional(),
  // Requests per second to Resend, shared by every worker (Resend's default team limit is 5).
  RESEND_RATE_LIMIT: z.coerce.number().positive("must be a positive number of requests per second").default(5),
  MAIL_FROM: z.string().email("must be an email address").default("noreply@example.com"),
  // `serve` runs a mail worker in the same process unless this is 0 (e.g. when `npm run worker` runs apart).
  MAIL_WORKER: z.enum(["0", "1"]).default("1"),
});

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string };

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n  ${problems.join("\n  ")}`);
  }
  const env = result.data;
  let secret = env.SESSION_SECRET;
  if (!secret) {
    if (env.NODE_ENV === "production" && env.PORTAL_DEMO !== "1") {
      throw new EnvError(
        "SESSION_SECRET: required in production (at least 32 random characters, " +
          "e.g. `openssl rand -hex 32`). The server refuses to start without it.",
      );
    }
    secret = localSecret(env.DATA_DIR);
  }
  return { ...env, SESSION_SECRET: secret };
}

/** Development and demo only: a random secret kept beside the embedded database. */
function localSecret(dataDir: string) {
  const file = path.join(dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString("hex");
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

const envKey = Symbol.for("loyalty-portal.env");
type GlobalWithEnv = typeof globalThis & { [envKey]?: Env };

export function getEnv(): Env {
  const g = globalThis as GlobalWithEnv;
  return (g[envKey] ??= parseEnv());
}

/**
 * The port the server actually listens on, kept in the environment once it does: with PORT=0 the system
 * picks one, and the links the portal writes (emails, QR codes) must name that one.
 */
export function setListeningPort(port: number) {
  (globalThis as GlobalWithEnv)[envKey] = { ...getEnv(), PORT: port };
}

export function resetEnvForTests() {
  delete (globalThis as GlobalWithEnv)[envKey];
}
