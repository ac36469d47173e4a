// The outbox's reads and writes (DESIGN §7). Enqueueing happens inside the caller's transaction, so
// an invitation row and its email commit together or not at all; the idempotency key's unique index
// keeps one row per logical email however often the caller retries.
import crypto from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { col } from "../../db/columns";
import { customers, emailRateLimit, outboxMessages, outboxSends } from "../../db/schema";
import { emailTemplates, type EmailLocale, type EmailTemplateName } from "../../emails";
import type { z } from "zod";
import { HIDDEN_TOKEN, outboxStatuses, personalLinkPatterns, type OutboxStatus } from "../domain/mail";
import { getBrandSettings } from "./settings.server";
import { getLocalMail } from "./mailbox.server";

type DataOf<N extends EmailTemplateName> = z.input<(typeof emailTemplates)[N]["data"]>;

export interface OutgoingEmail<N extends EmailTemplateName = EmailTemplateName> {
  template: N;
  /** The logical email, e.g. `survey-invitation:<survey>:<customer>`; the same key is never queued twice. */
  idempotencyKey: string;
  to: string;
  customerId: number | null;
  locale: EmailLocale;
  data: DataOf<N>;
  /** Not before this moment (reminders); default now. */
  sendAfter?: Date;
}

export interface EnqueueResult {
  queued: number;
  /** Already in the outbox under the same idempotency key: nothing new written. */
  duplicates: number;
  /** Marketing mail to someone without consent (or who unsubscribed): recorded, never sent. */
  suppressed: number;
}

const NO_CONSENT = "no marketing consent: not sent";
const CHUNK = 1000;

/**
 * Queues emails in the caller's transaction (pass `tx`). Template data is validated here, so a bad
 * message fails the caller's change instead of failing later in the worker.
 */
export async function enqueueEmails(emails: OutgoingEmail[], db: Db = getDb()): Promise<EnqueueResult> {
  const result: EnqueueResult = { queued: 0, duplicates: 0, suppressed: 0 };
  if (emails.length === 0) return result;
  const settings = await getBrandSettings(db);
  const brand = { name: settings.brandName, color: settings.primaryColor, timeZone: settings.timeZone };
  const rows = emails.map((email, ord) => {
    const template = emailTemplates[email.template];
    if (!template) throw new Error(`unknown email template: ${email.template}`);
    const data = template.data.parse(email.data);
    const context = { brand, locale: email.locale, unsubscribeUrl: null };
    return {
      idempotency_key: email.idempotencyKey,
      template: email.template,
      category: template.category,
      locale: email.locale,
      customer_id: email.customerId,
      to_email: email.to,
      subject: template.subject(data as never, context),
      data,
      batchable: !template.attachments,
      next_attempt_at: (email.sendAfter ?? new Date()).toISOString(),
      ord,
    };
  });
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    // An insert from a CTE over the incoming JSON: no builder form, so the row type is the schema's.
    const inserted = await queryRows<Pick<typeof outboxMessages.$inferSelect, "status">>(
      sql`with incoming as (
            select * from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(
              idempotency_key text, template text, category text, locale text, customer_id bigint,
              to_email text, subject text, data jsonb, batchable boolean, next_attempt_at timestamptz, ord bigint)
          ), decided as (
            select i.*, ${refusedSql(sql`i.category`, sql`i.customer_id`, sql`c`)} as refused
            from incoming i left join customers c on c.id = i.customer_id
          )
          insert into outbox_messages (idempotency_key, template, category, locale, customer_id, to_email,
                                       subject, data, batchable, next_attempt_at, status, last_error)
          select idempotency_key, template, category, locale, customer_id, to_email, subject, data, batchable,
                 next_attempt_at, case when refused then 'suppressed' else 'queued' end,
                 case when refused then ${NO_CONSENT} end
          from decided
          order by ord
          on conflict (idempotency_key) do nothing
          returning status`,
      db,
    );
    for (const row of inserted) row.status === "suppressed" ? result.suppressed++ : result.queued++;
    result.duplicates += chunk.length - inserted.length;
  }
  return result;
}

export async function enqueueEmail<N extends EmailTemplateName>(email: OutgoingEmail<N>, db: Db = getDb()) {
  return enqueueEmails([email as OutgoingEmail], db);
}

/** Marketing consent, in one place: opted in by the brand's data and not unsubscribed since. */
/**
 * Marketing mail is refused to a customer without consent (or unsubscribed). Mail to someone who is not
 * a customer (an event's employees, franchisees, suppliers and partners, invited as business contacts)
 * has no consent record and is not refused.
 */
function refusedSql(category: ReturnType<typeof sql>, customerId: ReturnType<typeof sql>, customer: ReturnType<typeof sql>) {
  return sql`(${category} = 'marketing' and ${customerId} is not null and not coalesce(${consentOf(customer)}, false))`;
}

export function consentOf(customer: ReturnType<typeof sql>) {
  return sql`(${customer}.marketing_consent and ${customer}.unsubscribed_at is null)`;
}

/** The unsubscribe link's effect: consent off for good (a later import cannot turn it back on). */
export async function unsubscribeCustomer(customerId: number, db: Db = getDb()): Promise<boolean> {
  const rows = await db
    .update(customers)
    .set({ marketingConsent: false, unsubscribedAt: sql`coalesce(unsubscribed_at, now())` })
    .where(eq(customers.id, customerId))
    .returning({ id: customers.id });
  return rows.length > 0;
}

export async function getCustomerContact(customerId: number, db: Db = getDb()) {
  const [row] = await db
    .select({ email: customers.email, name: customers.name, locale: customers.locale, subscribed: sql<boolean>`${consentOf(sql`customers`)}` })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// The worker's side: claiming sends, recording outcomes, and the shared rate limit.

export interface ClaimedMessage {
  id: number;
  idempotencyKey: string;
  template: EmailTemplateName;
  category: "marketing" | "transactional";
  locale: EmailLocale;
  customerId: number | null;
  toEmail: string;
  data: unknown;
}

export interface ClaimedSend {
  id: number;
  idempotencyKey: string;
  /** This claim's attempt number for the send (1 on the first try). */
  attempts: number;
  messages: ClaimedMessage[];
}

interface ClaimOptions {
  workerId: string;
  leaseMs: number;
  batchSize: number;
}

/** A claimed message as the worker reads it (the template, category and locale as the outbox wrote them). */
const messageColumns = {
  id: outboxMessages.id,
  idempotencyKey: outboxMessages.idempotencyKey,
  template: sql<EmailTemplateName>`${outboxMessages.template}`,
  category: sql<ClaimedMessage["category"]>`${outboxMessages.category}`,
  locale: sql<EmailLocale>`${outboxMessages.locale}`,
  customerId: outboxMessages.customerId,
  toEmail: outboxMessages.toEmail,
  data: outboxMessages.data,
};

/**
 * Takes one send to work on: first a send whose lease ran out or whose retry is due (same members,
 * same idempotency key), otherwise a new one formed from due messages. Rows another worker holds are
 * skipped (FOR UPDATE SKIP LOCKED), so any number of workers can run.
 */
export async function claimSend(options: ClaimOptions, db: Db = getDb()): Promise<ClaimedSend | null> {
  return (await reclaimSend(options, db)) ?? (await formSend(options, db));
}

async function reclaimSend({ workerId, leaseMs }: ClaimOptions, db: Db): Promise<ClaimedSend | null> {
  return db.transaction(async (tx) => {
    const [send] = await tx
      .update(outboxSends)
      .set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`, worker: workerId, attempts: sql`attempts + 1` })
      .where(
        sql`id = (select id from outbox_sends
                  where status = 'open' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
                  order by next_attempt_at, id limit 1 for update skip locked)`,
      )
      .returning({ id: outboxSends.id, idempotencyKey: outboxSends.idempotencyKey, attempts: outboxSends.attempts });
    if (!send) return null;
    const messages = await tx
      .update(outboxMessages)
      .set({ attempts: sql`attempts + 1`, updatedAt: sql`now()` })
      .where(and(eq(outboxMessages.sendId, send.id), eq(outboxMessages.status, "sending")))
      .returning(messageColumns);
    return { ...send, messages: messages.sort((a, b) => a.id - b.id) };
  });
}

async function formSend({ workerId, leaseMs, batchSize }: ClaimOptions, db: Db): Promise<ClaimedSend | null> {
  return db.transaction(async (tx) => {
    // Due marketing mail to someone who unsubscribed after it was queued is never sent.
    const due = await tx
      .select({
        id: outboxMessages.id,
        idempotency_key: outboxMessages.idempotencyKey,
        batchable: outboxMessages.batchable,
        refused: sql<boolean>`${refusedSql(sql`${outboxMessages.category}`, sql`${outboxMessages.customerId}`, sql`customers`)}`,
      })
      .from(outboxMessages)
      .leftJoin(customers, eq(customers.id, outboxMessages.customerId))
      .where(sql`${outboxMessages.status} = 'queued' and ${outboxMessages.nextAttemptAt} <= now()`)
      .orderBy(outboxMessages.nextAttemptAt, outboxMessages.id)
      .limit(batchSize)
      .for("update", { of: outboxMessages, skipLocked: true });
    const refused = due.filter((m) => m.refused).map((m) => m.id);
    if (refused.length > 0) {
      await tx.execute(
        sql`update outbox_messages set status = 'suppressed', last_error = ${NO_CONSENT}, updated_at = now()
            where id in (${sql.join(refused.map((id) => sql`${id}`), sql`, `)})`,
      );
    }
    const sendable = due.filter((m) => !m.refused);
    if (sendable.length === 0) return refused.length > 0 ? formSend({ workerId, leaseMs, batchSize }, db) : null;
    // A message with attachments goes alone; the others go together in one batch request.
    const members = sendable[0]!.batchable ? sendable.filter((m) => m.batchable) : [sendable[0]!];
    const idempotencyKey = sendKey(members.map((m) => m.idempotency_key));
    const [send] = await tx
      .insert(outboxSends)
      .values({ idempotencyKey, attempts: 1, leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`, worker: workerId })
      .returning({ id: outboxSends.id, attempts: outboxSends.attempts });
    const messages = await tx
      .update(outboxMessages)
      .set({ status: "sending", sendId: send!.id, attempts: sql`attempts + 1`, updatedAt: sql`now()` })
      .where(inArray(outboxMessages.id, members.map((m) => m.id)))
      .returning(messageColumns);
    return { id: send!.id, idempotencyKey, attempts: send!.attempts, messages: messages.sort((a, b) => a.id - b.id) };
  });
}

/**
 * The Idempotency-Key for a send: a lone message uses its own key (so a retried single message,
 * even after an admin's retry, is the same request to the provider); a batch uses a digest of its
 * members' keys. Resend allows at most 256 characters.
 */
export function sendKey(messageKeys: string[]): string {
  if (messageKeys.length === 1 && messageKeys[0]!.length <= 256) return messageKeys[0]!;
  const digest = crypto.createHash("sha256").update([...messageKeys].sort().join("\n")).digest("base64url");
  return messageKeys.length === 1 ? `msg-${digest}` : `batch-${messageKeys.length}-${digest}`;
}

export interface DeliveredMessage {
  messageId: number;
  providerId?: string;
  /** The provider refused this one message (the rest of its batch went out). */
  error?: string;
}

/** The provider accepted the send: each member is sent, or failed with the provider's reason. */
export async function recordDelivered(sendId: number, outcomes: DeliveredMessage[], db: Db = getDb(), options: { scrubLinks?: boolean } = {}) {
  // Once the provider has a message, its personal links (tokens that act as the customer) need not
  // stay readable in the outbox: they are blanked as hidePersonalLinks does. Not for the local
  // transport, whose mailbox is the demo's inbox.
  const { path, namedParam, longParam } = personalLinkPatterns;
  const scrubbed = sql`regexp_replace(regexp_replace(regexp_replace(m.data::text,
      ${path}::text, ${`/${HIDDEN_TOKEN}`}::text, 'g'),
      ${namedParam}::text, ${`\\1\\2=${HIDDEN_TOKEN}`}::text, 'gi'),
      ${longParam}::text, ${`\\1\\2=${HIDDEN_TOKEN}`}::text, 'g')::jsonb`;
  const data = options.scrubLinks ? sql`case when o.error is null then ${scrubbed} else m.data end` : sql`m.data`;
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update outbox_messages m
          set data = ${data},
              status = case when o.error is null then 'sent' else 'failed' end,
              provider_id = o.provider_id, last_error = o.error,
              sent_at = case when o.error is null then now() end, updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(
            outcomes.map((o) => ({ id: o.messageId, provider_id: o.providerId ?? null, error: o.error ?? null })),
          )}::jsonb) as o(id bigint, provider_id text, error text)
          where m.id = o.id and m.send_id = ${sendId} and m.status = 'sending'`,
    );
    await finishSend(sendId, null, tx);
  });
}

/** The provider refused the whole send for good (a 4xx other than 429): every member fails with the reason. */
export async function recordRejected(sendId: number, reason: string, db: Db = getDb()) {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update outbox_messages set status = 'failed', last_error = ${reason}, updated_at = now()
          where send_id = ${sendId} and status = 'sending'`,
    );
    await finishSend(sendId, reason, tx);
  });
}

/** Try the same send again later, with the same members and idempotency key. */
export async function recordRetry(sendId: number, reason: string, delayMs: number, db: Db = getDb()) {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update outbox_sends
          set next_attempt_at = now() + ${Math.max(0, Math.round(delayMs))} * interval '1 millisecond',
              lease_until = null, worker = null, last_error = ${reason}
          where id = ${sendId} and status = 'open'`,
    );
    await tx.execute(
      sql`update outbox_messages set last_error = ${reason}, updated_at = now()
          where send_id = ${sendId} and status = 'sending'`,
    );
  });
}

async function finishSend(sendId: number, reason: string | null, db: Db) {
  await db.execute(
    sql`update outbox_sends set status = 'done', finished_at = now(), lease_until = null, last_error = ${reason}
        where id = ${sendId}`,
  );
}

/**
 * Reserves the next request slot under a requests-per-second limit shared by every worker (one row,
 * one atomic update) and returns how long to wait before using it.
 */
export async function reserveRateSlot(requestsPerSecond: number, db: Db = getDb()): Promise<number> {
  // 3 % under the limit: requests spaced exactly at it arrive a little early or late and draw 429s.
  const spacingMs = (1000 / requestsPerSecond) * 1.03;
  const [row] = await db
    .update(emailRateLimit)
    .set({ nextSlotAt: sql`greatest(next_slot_at, clock_timestamp()) + ${spacingMs} * interval '1 millisecond'` })
    .where(eq(emailRateLimit.id, 1))
    .returning({ wait_ms: sql<number>`(extract(epoch from (next_slot_at - clock_timestamp())) * 1000 - ${spacingMs})::float8` });
  return Math.max(0, row?.wait_ms ?? 0);
}

// ---------------------------------------------------------------------------------------------
// The staff mailbox.

export { outboxStatuses, type OutboxStatus };

// The list reads `m` the message and `s` its open send (a retry's next attempt is the send's). Both
// have an id, a status, attempts...: col() writes each column with its alias ("m"."status").
const listFrom = sql`outbox_messages m left join outbox_sends s on s.id = m.send_id and s.status = 'open'`;

const om = alias(outboxMessages, "m");
const listColumns = {
  id: col(om.id),
  template: col(om.template),
  category: col(om.category),
  toEmail: col(om.toEmail),
  subject: col(om.subject),
  status: sql<OutboxStatus>`m.status`,
  attempts: col(om.attempts),
  lastError: col(om.lastError),
  createdAt: sql<string>`m.created_at::text`,
  sentAt: sql<string | null>`m.sent_at::text`,
  nextAttemptAt: sql<string>`coalesce(s.next_attempt_at, m.next_attempt_at)::text`,
};

export type OutboxListItem = { [K in keyof typeof listColumns]: (typeof listColumns)[K]["_"]["type"] };

export async function listOutbox(
  filter: { status?: OutboxStatus; template?: string; q?: string; before?: number; limit?: number },
  db: Db = getDb(),
): Promise<{ items: OutboxListItem[]; nextBefore: number | null }> {
  const limit = filter.limit ?? 50;
  const conditions = [sql`true`];
  if (filter.status) conditions.push(sql`m.status = ${filter.status}`);
  if (filter.template) conditions.push(sql`m.template = ${filter.template}`);
  if (filter.q) conditions.push(sql`lower(m.to_email) like ${`%${filter.q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`}`);
  if (filter.before) conditions.push(sql`m.id < ${filter.before}`);
  const items = await db
    .select(listColumns)
    .from(listFrom)
    .where(sql.join(conditions, sql` and `))
    .orderBy(sql`m.id desc`)
    .limit(limit + 1);
  const more = items.length > limit;
  return { items: items.slice(0, limit), nextBefore: more ? items[limit - 1]!.id : null };
}

export async function countOutbox(db: Db = getDb()): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .select({ status: sql<OutboxStatus>`${outboxMessages.status}`, n: sql<number>`count(*)::int` })
    .from(outboxMessages)
    .groupBy(outboxMessages.status);
  const counts = Object.fromEntries(outboxStatuses.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export async function getOutboxMessage(id: number, db: Db = getDb()) {
  const [row] = await db
    .select({
      ...listColumns,
      idempotencyKey: col(om.idempotencyKey),
      locale: sql<EmailLocale>`m.locale`,
      customerId: col(om.customerId),
      data: col(om.data),
      providerId: col(om.providerId),
    })
    .from(listFrom)
    .where(sql`m.id = ${id}`);
  if (!row) return null;
  // What the local transport delivered, as rendered (null: none was kept, or a provider sent it).
  return { ...row, delivered: await getLocalMail(id, db) };
}

/** An admin's retry of a failed message: queued again now, as a new send. */
export async function retryOutboxMessage(id: number, db: Db = getDb()): Promise<boolean> {
  const rows = await db
    .update(outboxMessages)
    .set({ status: "queued", sendId: null, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, "failed")))
    .returning({ id: outboxMessages.id });
  return rows.length > 0;
}
