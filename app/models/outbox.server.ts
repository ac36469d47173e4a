// The outbox's reads and writes (DESIGN §7). Enqueueing happens inside the caller's transaction, so
// an invitation row and its email commit together or not at all; the idempotency key's unique index
// keeps one row per logical email however often the caller retries.
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { emailTemplates, type EmailLocale, type EmailTemplateName } from "../../emails";
import type { z } from "zod";
import { HIDDEN_TOKEN, outboxStatuses, personalLinkPatterns, type OutboxStatus } from "../domain/mail";
import { getBrandSettings } from "./settings.server";

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
    const inserted = await queryRows<{ status: string }>(
      sql`with incoming as (
            select * from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(
              idempotency_key text, template text, category text, locale text, customer_id bigint,
              to_email text, subject text, data jsonb, batchable boolean, next_attempt_at timestamptz, ord bigint)
          ), decided as (
            select i.*, i.category = 'marketing' and not coalesce(${consentOf(sql`c`)}, false) as refused
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
export function consentOf(customer: ReturnType<typeof sql>) {
  return sql`(${customer}.marketing_consent and ${customer}.unsubscribed_at is null)`;
}

/** The unsubscribe link's effect: consent off for good (a later import cannot turn it back on). */
export async function unsubscribeCustomer(customerId: number, db: Db = getDb()): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    sql`update customers set marketing_consent = false, unsubscribed_at = coalesce(unsubscribed_at, now())
        where id = ${customerId} returning id`,
    db,
  );
  return rows.length > 0;
}

export async function getCustomerContact(customerId: number, db: Db = getDb()) {
  const [row] = await queryRows<{ email: string | null; name: string | null; locale: string | null; subscribed: boolean }>(
    sql`select c.email, c.name, c.locale, ${consentOf(sql`c`)} as subscribed from customers c where c.id = ${customerId}`,
    db,
  );
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

const messageColumns = sql`m.id, m.idempotency_key as "idempotencyKey", m.template, m.category, m.locale,
  m.customer_id as "customerId", m.to_email as "toEmail", m.data`;

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
    const [send] = await queryRows<{ id: number; idempotencyKey: string; attempts: number }>(
      sql`update outbox_sends s
          set lease_until = now() + ${leaseMs} * interval '1 millisecond', worker = ${workerId}, attempts = attempts + 1
          where id = (select id from outbox_sends
                      where status = 'open' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
                      order by next_attempt_at, id limit 1 for update skip locked)
          returning s.id, s.idempotency_key as "idempotencyKey", s.attempts`,
      tx,
    );
    if (!send) return null;
    const messages = await queryRows<ClaimedMessage>(
      sql`update outbox_messages m set attempts = attempts + 1, updated_at = now()
          where m.send_id = ${send.id} and m.status = 'sending'
          returning ${messageColumns}`,
      tx,
    );
    return { ...send, messages: messages.sort((a, b) => a.id - b.id) };
  });
}

async function formSend({ workerId, leaseMs, batchSize }: ClaimOptions, db: Db): Promise<ClaimedSend | null> {
  return db.transaction(async (tx) => {
    // Due marketing mail to someone who unsubscribed after it was queued is never sent.
    const due = await queryRows<{ id: number; idempotency_key: string; batchable: boolean; refused: boolean }>(
      sql`select m.id, m.idempotency_key, m.batchable,
                 m.category = 'marketing' and not coalesce(${consentOf(sql`c`)}, false) as refused
          from outbox_messages m left join customers c on c.id = m.customer_id
          where m.status = 'queued' and m.next_attempt_at <= now()
          order by m.next_attempt_at, m.id
          limit ${batchSize}
          for update of m skip locked`,
      tx,
    );
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
    const [send] = await queryRows<{ id: number; attempts: number }>(
      sql`insert into outbox_sends (idempotency_key, attempts, lease_until, worker)
          values (${idempotencyKey}, 1, now() + ${leaseMs} * interval '1 millisecond', ${workerId})
          returning id, attempts`,
      tx,
    );
    const messages = await queryRows<ClaimedMessage>(
      sql`update outbox_messages m set status = 'sending', send_id = ${send!.id}, attempts = attempts + 1, updated_at = now()
          where m.id in (${sql.join(members.map((m) => sql`${m.id}`), sql`, `)})
          returning ${messageColumns}`,
      tx,
    );
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
  const [row] = await queryRows<{ wait_ms: number }>(
    sql`update email_rate_limit
        set next_slot_at = greatest(next_slot_at, clock_timestamp()) + ${spacingMs} * interval '1 millisecond'
        where id = 1
        returning (extract(epoch from (next_slot_at - clock_timestamp())) * 1000 - ${spacingMs})::float8 as wait_ms`,
    db,
  );
  return Math.max(0, row?.wait_ms ?? 0);
}

// ---------------------------------------------------------------------------------------------
// The staff mailbox.

export { outboxStatuses, type OutboxStatus };

export interface OutboxListItem {
  id: number;
  template: string;
  category: string;
  toEmail: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
}

const listColumns = sql`m.id, m.template, m.category, m.to_email as "toEmail", m.subject, m.status, m.attempts,
  m.last_error as "lastError", m.created_at as "createdAt", m.sent_at as "sentAt",
  coalesce(s.next_attempt_at, m.next_attempt_at) as "nextAttemptAt"`;

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
  const items = await queryRows<OutboxListItem>(
    sql`select ${listColumns} from outbox_messages m left join outbox_sends s on s.id = m.send_id and s.status = 'open'
        where ${sql.join(conditions, sql` and `)} order by m.id desc limit ${limit + 1}`,
    db,
  );
  const more = items.length > limit;
  return { items: items.slice(0, limit), nextBefore: more ? items[limit - 1]!.id : null };
}

export async function countOutbox(db: Db = getDb()): Promise<Record<OutboxStatus, number>> {
  const rows = await queryRows<{ status: OutboxStatus; n: number }>(
    sql`select status, count(*)::int as n from outbox_messages group by status`,
    db,
  );
  const counts = Object.fromEntries(outboxStatuses.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export async function getOutboxMessage(id: number, db: Db = getDb()) {
  const [row] = await queryRows<
    OutboxListItem & {
      idempotencyKey: string;
      locale: EmailLocale;
      customerId: number | null;
      data: unknown;
      providerId: string | null;
      delivered: null | { html: string; text: string; headers: Record<string, string>; attachments: { filename: string; contentType: string; size: number }[]; fromAddress: string };
    }
  >(
    sql`select ${listColumns}, m.idempotency_key as "idempotencyKey", m.locale, m.customer_id as "customerId",
               m.data, m.provider_id as "providerId",
               case when l.message_id is null then null else json_build_object(
                 'html', l.html, 'text', l.text, 'headers', l.headers, 'attachments', l.attachments,
                 'fromAddress', l.from_address) end as delivered
        from outbox_messages m
        left join outbox_sends s on s.id = m.send_id and s.status = 'open'
        left join local_mail l on l.message_id = m.id
        where m.id = ${id}`,
    db,
  );
  return row ?? null;
}

/** An admin's retry of a failed message: queued again now, as a new send. */
export async function retryOutboxMessage(id: number, db: Db = getDb()): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    sql`update outbox_messages set status = 'queued', send_id = null, next_attempt_at = now(), updated_at = now()
        where id = ${id} and status = 'failed' returning id`,
    db,
  );
  return rows.length > 0;
}
