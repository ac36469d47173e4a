// A fake Resend API on 127.0.0.1 for tests and the email benchmark: the two send endpoints, with
// Resend's idempotency (same key + same body replays the first answer and delivers nothing new),
// its rate limit (429 with Retry-After), batch validation (strict or permissive) and scripted
// failures. It records every request and every delivered message.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  path: string;
  idempotencyKey: string | null;
  batchValidation: string | null;
  status: number;
  body: unknown;
}

export interface FakeDelivery {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: string; content_type?: string }[];
}

interface ScriptedFailure {
  status: number;
  name: string;
  message?: string;
  headers?: Record<string, string>;
}

export interface FakeResendOptions {
  /** Requests per second before 429s (default: no limit). */
  rateLimit?: number;
  /** Keep delivered bodies (off in the benchmark, to measure the server rather than its memory). */
  keepBodies?: boolean;
}

export interface FakeResend {
  url: string;
  requests: FakeRequest[];
  delivered: FakeDelivery[];
  /** The next requests fail like this, in order. */
  failNext(...failures: ScriptedFailure[]): void;
  close(): Promise<void>;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const requests: FakeRequest[] = [];
  const delivered: FakeDelivery[] = [];
  const scripted: ScriptedFailure[] = [];
  const answered = new Map<string, { bodyHash: string; status: number; payload: unknown }>();
  const inFlight = new Set<string>();
  const windowStarts: number[] = [];
  const keepBodies = options.keepBodies ?? true;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const key = header(req, "idempotency-key");
      const batchValidation = header(req, "x-batch-validation");
      const path = (req.url ?? "").split("?")[0]!;
      const reply = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
        requests.push({ path, idempotencyKey: key, batchValidation, status, body: keepBodies ? safeJson(raw) : null });
        res.writeHead(status, { "content-type": "application/json", ...extra });
        res.end(JSON.stringify(payload));
      };
      const error = (status: number, name: string, message: string, extra?: Record<string, string>) =>
        reply(status, { statusCode: status, name, message }, extra);

      if (req.method === "GET" && path === "/_stats") {
        // Not Resend's: lets a benchmark in another process check that each message arrived once.
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            requests: requests.length,
            rateLimited: requests.filter((r) => r.status === 429).length,
            delivered: delivered.length,
            recipients: new Set(delivered.map((d) => d.to.join(","))).size,
          }),
        );
      }
      if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
        return error(404, "not_found", "The requested endpoint does not exist.");
      }
      if (!/^Bearer re_\w+/.test(header(req, "authorization") ?? "")) {
        return error(401, "missing_api_key", "Missing API key in the authorization header.");
      }
      if (options.rateLimit) {
        const now = Date.now();
        while (windowStarts.length > 0 && windowStarts[0]! <= now - 1000) windowStarts.shift();
        if (windowStarts.length >= options.rateLimit) {
          const retryAfter = Math.max(1, Math.ceil((windowStarts[0]! + 1000 - now) / 1000));
          return error(429, "rate_limit_exceeded", "Too many requests.", { "retry-after": String(retryAfter) });
        }
        windowStarts.push(now);
      }
      const failure = scripted.shift();
      if (failure) return error(failure.status, failure.name, failure.message ?? failure.name, failure.headers);

      const bodyHash = crypto.createHash("sha256").update(raw).digest("hex");
      if (key) {
        const previous = answered.get(key);
        if (previous) {
          if (previous.bodyHash !== bodyHash) {
            return error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
          }
          return reply(previous.status, previous.payload);
        }
        if (inFlight.has(key)) return error(409, "concurrent_idempotent_requests", "Same idempotency key used while the original request is still in progress.");
        inFlight.add(key);
      }
      const outcome = handle(path, safeJson(raw), batchValidation ?? "strict");
      if (key) {
        inFlight.delete(key);
        if (outcome.status < 400) answered.set(key, { bodyHash, ...outcome });
      }
      for (const email of outcome.accepted) delivered.push({ ...email, idempotencyKey: key });
      reply(outcome.status, outcome.payload);
    });
  });

  function handle(path: string, body: unknown, validation: string) {
    const accepted: Omit<FakeDelivery, "idempotencyKey">[] = [];
    const invalid = (status: number, message: string) => ({
      status,
      payload: { statusCode: status, name: "validation_error", message },
      accepted,
    });
    const deliver = (email: Record<string, unknown>) => {
      const id = crypto.randomUUID();
      accepted.push(
        keepBodies
          ? { id, ...(email as unknown as Omit<FakeDelivery, "id" | "idempotencyKey">) }
          : { id, from: String(email.from), to: toList(email.to), subject: String(email.subject) },
      );
      return id;
    };
    if (path === "/emails") {
      const problem = check(body);
      if (problem) return invalid(422, problem);
      return { status: 200, payload: { id: deliver(body as Record<string, unknown>) }, accepted };
    }
    if (!Array.isArray(body)) return invalid(422, "The request body must be an array of emails.");
    if (body.length > 100) return invalid(422, "Too many emails in the batch: 100 at most.");
    const problems = body.map(check);
    if (validation === "strict") {
      const index = problems.findIndex(Boolean);
      if (index >= 0) return invalid(422, `emails[${index}]: ${problems[index]}`);
    }
    const data: { id: string }[] = [];
    const errors: { index: number; message: string }[] = [];
    body.forEach((email, index) => {
      if (problems[index]) errors.push({ index, message: problems[index]! });
      else data.push({ id: deliver(email as Record<string, unknown>) });
    });
    return { status: 200, payload: validation === "permissive" ? { data, errors } : { data }, accepted };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    failNext: (...failures) => void scripted.push(...failures),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function check(email: unknown): string | null {
  if (!email || typeof email !== "object") return "An email must be an object.";
  const e = email as Record<string, unknown>;
  if (typeof e.from !== "string" || !e.from) return "Missing `from` field.";
  if (typeof e.subject !== "string" || !e.subject) return "Missing `subject` field.";
  const to = toList(e.to);
  if (to.length === 0) return "Missing `to` field.";
  const bad = to.find((address) => !EMAIL.test(address));
  if (bad) return `Invalid \`to\` field: ${bad}`;
  if (typeof e.html !== "string" && typeof e.text !== "string") return "Missing `html` or `text` field.";
  return null;
}

function toList(value: unknown): string[] {
  return (Array.isArray(value) ? value : value == null ? [] : [value]).map(String);
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
