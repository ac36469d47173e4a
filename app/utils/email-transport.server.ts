// Where rendered mail goes: Resend (its official SDK) when RESEND_API_KEY is set, otherwise the
// local transport, which keeps each message for the staff mailbox so the demo works offline.
// A transport only reports what happened; the worker decides what to do about it.
import crypto from "node:crypto";
import { Resend } from "resend";
import type { Db } from "../../db/client.server";
import type { EmailAttachment } from "../../emails";
import type { DeliveredMessage } from "../models/outbox.server";
import { storeLocalMail } from "../models/mailbox.server";
import { getEnv } from "./env.server";

export interface RenderedMessage {
  messageId: number;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  attachments: EmailAttachment[];
}

export type SendOutcome =
  /** The provider took the request; some members may still be refused one by one. */
  | { kind: "accepted"; results: DeliveredMessage[] }
  /** Not taken, or not known to be taken: try the same request again later (same idempotency key). */
  | { kind: "retry"; reason: string; retryAfterMs?: number; rateLimited?: boolean }
  /** Refused for good (a 4xx other than 429). */
  | { kind: "rejected"; reason: string };

export interface EmailTransport {
  name: "resend" | "local";
  /** Requests per second the provider allows (null: no limit). */
  requestsPerSecond: number | null;
  /** The most messages one request may carry. */
  maxBatch: number;
  send(messages: RenderedMessage[], idempotencyKey: string, db?: Db): Promise<SendOutcome>;
}

export function resendTransport(options: { apiKey: string; baseUrl?: string; requestsPerSecond: number }): EmailTransport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/$/, "") } : undefined);
  return {
    name: "resend",
    requestsPerSecond: options.requestsPerSecond,
    maxBatch: 100,
    async send(messages, idempotencyKey) {
      const payloads = messages.map(toResendPayload);
      if (messages.length === 1) {
        const response = await resend.emails.send(payloads[0]!, { idempotencyKey });
        if (response.error) return failure(response.error, response.headers);
        return { kind: "accepted", results: [{ messageId: messages[0]!.messageId, providerId: response.data.id }] };
      }
      // Permissive: one bad address fails alone instead of failing the other 99.
      const response = await resend.batch.send(payloads, { idempotencyKey, batchValidation: "permissive" });
      if (response.error) return failure(response.error, response.headers);
      const refused = new Map((response.data.errors ?? []).map((e) => [e.index, e.message]));
      const ids = response.data.data.map((d) => d.id);
      let next = 0;
      return {
        kind: "accepted",
        results: messages.map((message, index) =>
          refused.has(index)
            ? { messageId: message.messageId, error: `refused by Resend: ${refused.get(index)}` }
            : { messageId: message.messageId, providerId: ids[next++] },
        ),
      };
    },
  };
}

function toResendPayload(message: RenderedMessage) {
  return {
    from: message.from,
    to: [message.to],
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers: Object.keys(message.headers).length > 0 ? message.headers : undefined,
    attachments:
      message.attachments.length > 0
        ? message.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content).toString("base64"), contentType: a.contentType }))
        : undefined,
  };
}

interface ProviderError {
  message: string;
  statusCode: number | null;
  name: string;
}

/** Maps Resend's error to what the worker should do. No status (a network failure): outcome unknown, retry. */
export function failure(error: ProviderError, headers: Record<string, string> | null): SendOutcome {
  const status = error.statusCode;
  const reason = `${status ?? "no response"} ${error.name}: ${error.message}`;
  if (status === 429) {
    return { kind: "retry", reason, rateLimited: true, retryAfterMs: retryAfterMs(headers?.["retry-after"]) };
  }
  // 409 concurrent_idempotent_requests: the same key is still being processed; ask again later.
  if (status === null || status >= 500 || error.name === "concurrent_idempotent_requests") {
    return { kind: "retry", reason };
  }
  return { kind: "rejected", reason };
}

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Keeps what would have been sent; the mailbox page shows it. Delivering a message twice keeps one copy. */
export const localTransport: EmailTransport = {
  name: "local",
  requestsPerSecond: null,
  maxBatch: 100,
  async send(messages, _idempotencyKey, db) {
    const stored = await storeLocalMail(
      messages.map((m) => ({
        messageId: m.messageId,
        providerId: `local-${crypto.randomUUID()}`,
        fromAddress: m.from,
        toAddress: m.to,
        subject: m.subject,
        html: m.html,
        text: m.text,
        headers: m.headers,
        attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: Buffer.byteLength(a.content) })),
      })),
      db,
    );
    return { kind: "accepted", results: stored.map((s) => ({ messageId: s.messageId, providerId: s.providerId })) };
  },
};

export function transportFromEnv(): EmailTransport {
  const env = getEnv();
  if (!env.RESEND_API_KEY) return localTransport;
  return resendTransport({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, requestsPerSecond: env.RESEND_RATE_LIMIT });
}
