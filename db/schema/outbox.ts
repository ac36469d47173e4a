// The email outbox (DESIGN §7): a message is a row written in the same transaction as the change
// that causes it; workers send it. A "send" is one request to the provider (one message, or a batch
// of up to 100) with its own idempotency key: once formed it is retried as a unit with the same key,
// so a crash between sending and recording never delivers twice.
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { customers } from "./customers";

export const outboxSends = pgTable(
  "outbox_sends",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // Sent as the Idempotency-Key header: the message's own key for a single send, a hash of the
    // members' keys for a batch.
    idempotencyKey: text("idempotency_key").notNull(),
    // open: waiting for (another) attempt; done: every member reached sent or failed.
    status: text("status").notNull().default("open"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    // A worker holds the send until then; after it, another worker may take it over.
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    worker: text("worker"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("outbox_sends_status", sql`${t.status} in ('open', 'done')`),
    index("outbox_sends_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'open'`),
  ],
);

export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // The logical email, e.g. `survey-invitation:12:3456`: enqueueing it twice keeps one row.
    idempotencyKey: text("idempotency_key").notNull(),
    template: text("template").notNull(),
    category: text("category").notNull(),
    locale: text("locale").notNull(),
    customerId: bigint("customer_id", { mode: "number" }).references(() => customers.id, { onDelete: "set null" }),
    toEmail: text("to_email").notNull(),
    subject: text("subject").notNull(),
    data: jsonb("data").notNull(),
    // false when the message has attachments: the provider's batch endpoint does not take them.
    batchable: boolean("batchable").notNull().default(true),
    // queued → sending → sent | failed; suppressed: refused at enqueue or before sending (no consent).
    status: text("status").notNull().default("queued"),
    sendId: bigint("send_id", { mode: "number" }).references(() => outboxSends.id),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("outbox_messages_idempotency_key").on(t.idempotencyKey),
    check("outbox_messages_status", sql`${t.status} in ('queued', 'sending', 'sent', 'failed', 'suppressed')`),
    check("outbox_messages_category", sql`${t.category} in ('marketing', 'transactional')`),
    index("outbox_messages_due_idx").on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'queued'`),
    index("outbox_messages_send_idx").on(t.sendId),
    index("outbox_messages_status_idx").on(t.status, t.id),
    index("outbox_messages_customer_idx").on(t.customerId),
  ],
);

/** The local transport's "delivered" mail, as rendered; the staff mailbox reads it. */
export const localMail = pgTable("local_mail", {
  messageId: bigint("message_id", { mode: "number" })
    .primaryKey()
    .references(() => outboxMessages.id, { onDelete: "cascade" }),
  providerId: text("provider_id").notNull(),
  fromAddress: text("from_address").notNull(),
  toAddress: text("to_address").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  headers: jsonb("headers").notNull().$type<Record<string, string>>(),
  attachments: jsonb("attachments").notNull().$type<{ filename: string; contentType: string; size: number }[]>(),
  deliveredAt: timestamp("delivered_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One row: the next moment a provider request may start, shared by every worker process. */
export const emailRateLimit = pgTable(
  "email_rate_limit",
  {
    id: integer("id").primaryKey().default(1),
    nextSlotAt: timestamp("next_slot_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("email_rate_limit_single_row", sql`${t.id} = 1`)],
);
