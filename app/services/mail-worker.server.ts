// The mail worker: claim a send → render its messages → wait for a rate slot → hand it to the
// transport → record the outcome. Each step leaves the database in a state another worker can carry
// on from: a worker that dies holding a send loses its lease, and the send is retried with the same
// idempotency key, so the provider delivers it once.
import crypto from "node:crypto";
import { getDb, type Db } from "../../db/client.server";
import { renderEmail, type EmailTemplateName } from "../../emails";
import {
  claimSend,
  recordDelivered,
  recordRejected,
  recordRetry,
  reserveRateSlot,
  type ClaimedMessage,
  type ClaimedSend,
} from "../models/outbox.server";
import { getBrandSettings } from "../models/settings.server";
import { transportFromEnv, type EmailTransport, type RenderedMessage, type SendOutcome } from "../utils/email-transport.server";
import { getEnv } from "../utils/env.server";
import { unsubscribeUrl } from "../utils/unsubscribe.server";
import { logError } from "../utils/log.server";

export interface MailWorkerOptions {
  db?: Db;
  transport?: EmailTransport;
  workerId?: string;
  /** How long a claimed send is held; a worker that dies frees it after this. */
  leaseMs?: number;
  /** Attempts before a send that keeps failing (5xx, network) is given up; 429s do not count. */
  maxAttempts?: number;
  /** Back-off: base × 2^(attempt−1), capped, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Pause between polls when nothing is due. */
  pollMs?: number;
  /** Sends in flight at once in this process. */
  concurrency?: number;
  random?: () => number;
}

type Resolved = Required<Omit<MailWorkerOptions, "db">> & { db: Db };

function resolve(options: MailWorkerOptions): Resolved {
  return {
    db: options.db ?? getDb(),
    transport: options.transport ?? transportFromEnv(),
    workerId: options.workerId ?? `worker-${process.pid}-${crypto.randomBytes(3).toString("hex")}`,
    leaseMs: options.leaseMs ?? 120_000,
    maxAttempts: options.maxAttempts ?? 10,
    baseDelayMs: options.baseDelayMs ?? 10_000,
    maxDelayMs: options.maxDelayMs ?? 3_600_000,
    pollMs: options.pollMs ?? 1_000,
    concurrency: options.concurrency ?? 2,
    random: options.random ?? Math.random,
  };
}

/** Exponential back-off with "equal jitter": half the delay fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return delay / 2 + random() * (delay / 2);
}

export function claim(options: MailWorkerOptions = {}) {
  const o = resolve(options);
  return claimSend({ workerId: o.workerId, leaseMs: o.leaseMs, batchSize: o.transport.maxBatch }, o.db);
}

/** Renders the send's messages and hands them to the transport (after the shared rate limit allows). */
export async function deliver(send: ClaimedSend, options: MailWorkerOptions = {}): Promise<SendOutcome> {
  const o = resolve(options);
  let messages: RenderedMessage[];
  try {
    messages = await renderSend(send, o.db);
  } catch (error) {
    // A template that cannot render this data will not render it next time either.
    return { kind: "rejected", reason: `could not render: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (o.transport.requestsPerSecond) {
    const wait = await reserveRateSlot(o.transport.requestsPerSecond, o.db);
    if (wait > 0) await sleep(wait);
  }
  try {
    return await o.transport.send(messages, send.idempotencyKey, o.db);
  } catch (error) {
    return { kind: "retry", reason: `transport error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function record(send: ClaimedSend, outcome: SendOutcome, options: MailWorkerOptions = {}) {
  const o = resolve(options);
  switch (outcome.kind) {
    case "accepted":
      return recordDelivered(send.id, outcome.results, o.db, { scrubLinks: o.transport.name !== "local" });
    case "rejected":
      return recordRejected(send.id, outcome.reason, o.db);
    case "retry": {
      if (!outcome.rateLimited && send.attempts >= o.maxAttempts) {
        return recordRejected(send.id, `gave up after ${send.attempts} attempts: ${outcome.reason}`, o.db);
      }
      const delay = outcome.retryAfterMs ?? backoffDelay(send.attempts, o.baseDelayMs, o.maxDelayMs, o.random);
      return recordRetry(send.id, outcome.reason, delay, o.db);
    }
  }
}

/** One claim → deliver → record. False when nothing was due. */
export async function processOne(options: MailWorkerOptions = {}): Promise<boolean> {
  const send = await claim(options);
  if (!send) return false;
  await record(send, await deliver(send, options), options);
  return true;
}

/** Sends until nothing is due (tests, the CLI's one-shot mode). Returns the number of sends made. */
export async function drainOutbox(options: MailWorkerOptions = {}): Promise<number> {
  const o = resolve(options);
  let sends = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (await processOne(o)) sends++;
    }),
  );
  return sends;
}

export interface MailWorker {
  stop(): Promise<void>;
}

/** Runs until stopped: `concurrency` loops, each polling when idle. Errors are logged, never fatal. */
export function startMailWorker(options: MailWorkerOptions = {}): MailWorker {
  const o = resolve(options);
  let running = true;
  const sleepers = new Set<() => void>();
  const loop = async () => {
    while (running) {
      try {
        if (await processOne(o)) continue;
      } catch (error) {
        logError("mail worker", error);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, o.pollMs);
        sleepers.add(wake);
      });
    }
  };
  const loops = Array.from({ length: o.concurrency }, loop);
  return {
    async stop() {
      running = false;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
  };
}

async function renderSend(send: ClaimedSend, db: Db): Promise<RenderedMessage[]> {
  const sender = await senderFor(db);
  return Promise.all(send.messages.map((message) => renderMessage(message, sender)));
}

type Sender = { brand: { name: string; color: string; timeZone: string }; from: string };

async function senderFor(db: Db): Promise<Sender> {
  const settings = await getBrandSettings(db);
  return {
    brand: { name: settings.brandName, color: settings.primaryColor, timeZone: settings.timeZone },
    from: `${settings.brandName.replace(/["<>]/g, "")} <${getEnv().MAIL_FROM}>`,
  };
}

/** One message as the recipient gets it: both parts, the unsubscribe link and headers, attachments. */
async function renderMessage(message: ClaimedMessage, { brand, from }: Sender): Promise<RenderedMessage> {
  const link = message.customerId ? await unsubscribeUrl(message.customerId) : null;
  const email = await renderEmail(message.template as EmailTemplateName, message.data as never, {
    brand,
    locale: message.locale,
    unsubscribeUrl: link,
  });
  const headers: Record<string, string> =
    message.category === "marketing" && link
      ? { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
      : {};
  return { messageId: message.id, from, to: message.toEmail, subject: email.subject, html: email.html, text: email.text, headers, attachments: email.attachments };
}

/** The mailbox's view of a message the local transport did not keep (sent through Resend, or not yet sent). */
export async function previewMessage(message: ClaimedMessage, db: Db = getDb()): Promise<RenderedMessage> {
  return renderMessage(message, await senderFor(db));
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
