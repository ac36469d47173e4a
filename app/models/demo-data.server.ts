// The demo's data (`npm run demo`, app/services/demo.server.ts): what it reads to decide what to seed,
// and the bulk insert of the demo survey's answers. Only the demo uses these.
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { col, nullableCol } from "../../db/columns";
import { customerMetrics, customers, events, surveys } from "../../db/schema";
import { bigintArray, textArray } from "../../db/sql-arrays";
import { consentOf } from "./outbox.server";

const c = alias(customers, "c");
const m = alias(customerMetrics, "m");

export async function countAllCustomers(db: Db = getDb()): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(customers);
  return n;
}

export async function countSurveys(db: Db = getDb()): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(surveys);
  return n;
}

/** Up to `limit` customers with an address and consent, not yet invited to the survey, in id order. */
export async function uninvitedCustomers(surveyId: number, limit: number, db: Db = getDb()) {
  return db
    .select({ externalId: col(c.externalId) })
    .from(sql`customers c`)
    .where(
      sql`coalesce(c.email, '') <> '' and ${consentOf(sql`c`)}
          and not exists (select 1 from survey_invitations i where i.survey_id = ${surveyId} and i.customer_id = c.id)`,
    )
    .orderBy(sql`c.id`)
    .limit(limit);
}

/** A fixed pseudo-random panel of up to `limit` customers with an address and consent, with their segment. */
export async function demoPanel(limit: number, db: Db = getDb()) {
  return db
    .select({ id: col(c.id), segment: nullableCol(m.cpmSegment), locale: col(c.locale) })
    .from(sql`customers c left join customer_metrics m on m.customer_id = c.id`)
    .where(sql`c.email is not null and c.marketing_consent`)
    .orderBy(sql`md5(c.id::text)`)
    .limit(limit);
}

/** One demo answer, as jsonb_to_recordset reads it (scores as the survey's scoring gave them). */
export interface DemoResponse {
  customer_id: number | null;
  locale: string;
  answers: unknown;
  at: string;
  psych: number | null;
  nps: number | null;
  category: string | null;
  constructs: unknown;
  items: unknown;
  channel: "link" | "open";
  submission: string | null;
}

/**
 * In one transaction: invitations (sent 190 days ago) for the panel, the responses (those of panel
 * customers linked to their invitation), the invitations marked answered, and a quarter of the
 * unanswered ones marked opened.
 */
export async function insertDemoResponses(surveyId: number, invitedIds: number[], rows: DemoResponse[], db: Db = getDb()) {
  await db.transaction(async (tx) => {
    await tx.execute(
      // Each records the customer's segment when invited (their current one: the demo's history is made
      // up); nobody had a loyalty score yet, so no quadrant.
      sql`insert into survey_invitations (survey_id, customer_id, created_at, opened_at, segment)
          select ${surveyId}, x, now() - interval '190 days', null, m.cpm_segment
            from unnest(${bigintArray(invitedIds)}) as x left join customer_metrics m on m.customer_id = x`,
    );
    await tx.execute(
      sql`insert into survey_responses (survey_id, channel, invitation_id, customer_id, submission_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
          select ${surveyId}, x.channel, i.id, x.customer_id, x.submission, x.locale, x.answers, x.psych, x.nps, x.category, x.constructs,
                 (select array_agg(e.v::float8 order by e.n) from jsonb_array_elements_text(x.items) with ordinality as e(v, n)), x.at
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer_id bigint, locale text, answers jsonb, at timestamptz, psych numeric,
               nps smallint, category text, constructs jsonb, channel text, submission uuid, items jsonb)
          left join survey_invitations i on i.survey_id = ${surveyId} and i.customer_id = x.customer_id`,
    );
    await tx.execute(
      sql`update survey_invitations i set answered_at = r.submitted_at, opened_at = r.submitted_at from survey_responses r where r.invitation_id = i.id and i.survey_id = ${surveyId}`,
    );
    // Some opened the link without answering.
    await tx.execute(sql`update survey_invitations set opened_at = created_at + interval '2 days' where survey_id = ${surveyId} and opened_at is null and id % 4 = 0`);
  });
}

// ---- The demo programme (issue 17) ----------------------------------------------------------------

/** Whether the programme has anyone yet (the demo seeds it once). */
export async function countProgrammeMembers(db: Db = getDb()): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(sql`programme_members`);
  return row?.n ?? 0;
}

/**
 * Spreads the demo members over the past: each member's joining, invitation, certificate issue (and
 * expiry, `months` later, so some have expired) `daysAgo` days back.
 */
export async function backdateMembers(rows: { memberId: number; daysAgo: number; months: number }[], db: Db = getDb()) {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => ({ member_id: r.memberId, days_ago: r.daysAgo, months: r.months })));
  await db.execute(sql`
    with d as (select * from jsonb_to_recordset(${json}::jsonb) as x(member_id bigint, days_ago int, months int)),
    m as (
      update programme_members pm set joined_at = now() - make_interval(days => d.days_ago), status_changed_at = now() - make_interval(days => d.days_ago)
        from d where pm.id = d.member_id returning pm.id, pm.invitation_id, d.days_ago, d.months
    ),
    i as (
      update programme_invitations pi set sent_at = now() - make_interval(days => m.days_ago + 3), answered_at = now() - make_interval(days => m.days_ago),
             expires_at = now() - make_interval(days => m.days_ago - 11)
        from m where pi.id = m.invitation_id returning pi.id
    )
    update certificates c set issued_at = now() - make_interval(days => m.days_ago),
           expires_at = now() - make_interval(days => m.days_ago) + make_interval(months => m.months)
      from m where c.member_id = m.id and c.revoked_at is null`);
}

/**
 * Gives a sample of other customers' purchases one of the members' referral codes (as a till would
 * record them), chosen by a fixed hash so the demo is the same every time; returns how many.
 */
export async function tagReferralPurchases(codes: string[], perCode: number, db: Db = getDb()) {
  if (codes.length === 0) return 0;
  const rows = await db.execute(sql`
    with codes as (select code, row_number() over () as n from unnest(${textArray(codes)}) as code),
    picked as (
      select p.customer_id, p.dedupe_key, (abs(hashtext(p.dedupe_key::text)) % ${codes.length}) + 1 as n
        from purchases p
       where not exists (select 1 from programme_members m where m.customer_id = p.customer_id)
         and p.amount > 0 and p.purchased_at > now() - interval '300 days'
       order by md5(p.dedupe_key::text)
       limit ${codes.length * perCode}
    )
    update purchases p set referral_code = codes.code
      from picked join codes on codes.n = picked.n
     where p.customer_id = picked.customer_id and p.dedupe_key = picked.dedupe_key
    returning 1`);
  return (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows).length;
}

/** Puts some open invitations past their expiry (the hourly job then expires them). */
export async function lapseInvitations(customerIds: number[], db: Db = getDb()) {
  if (customerIds.length === 0) return;
  await db.execute(sql`update programme_invitations set expires_at = now() - interval '1 day', sent_at = now() - interval '15 days'
                        where status = 'invited' and customer_id = any(${bigintArray(customerIds)})`);
}

// ---- The demo town meetings (issue 18) ------------------------------------------------------------

export async function countEvents(db: Db = getDb()): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(events);
  return n;
}

/** The first staff account (the demo admin), who "checked people in" at the demo's past meeting. */
export async function firstStaffId(db: Db = getDb()): Promise<number | null> {
  const rows = await queryRows<{ id: number }>(sql`select id::int as id from staff_users order by id limit 1`, db);
  return rows[0]?.id ?? null;
}

/** Reachable loyal customers who are not ambassadors (external ids), for the demo meetings' customer seats. */
export async function demoLoyalCustomers(limit: number, db: Db = getDb()) {
  const rows = await queryRows<{ external_id: string }>(
    sql`select c.external_id from customers c join customer_metrics m on m.customer_id = c.id
         where c.email is not null and c.marketing_consent and c.unsubscribed_at is null and m.cpm_segment like 'loyal%'
           and not exists (select 1 from programme_members pm where pm.customer_id = c.id)
         order by md5(c.id::text) desc limit ${limit}`,
    db,
  );
  return rows.map((r) => r.external_id);
}

/** Reachable customers for the demo meetings: active ambassadors first, then loyal customers; external ids. */
export async function demoEventGuests(limit: number, offset: number, db: Db = getDb()) {
  const rows = await db
    .select({ externalId: col(c.externalId) })
    .from(sql`customers c left join customer_metrics m on m.customer_id = c.id left join programme_members pm on pm.customer_id = c.id and pm.status = 'active'`)
    .where(sql`c.email is not null and c.marketing_consent and c.unsubscribed_at is null and (pm.id is not null or m.cpm_segment like 'loyal%')`)
    .orderBy(sql`pm.id is null`, sql`md5(c.id::text)`)
    .limit(limit)
    .offset(offset);
  return rows.map((r) => r.externalId);
}

/**
 * Moves a meeting held "now" back by `ms` milliseconds: the event's times, its invitees' answers and check-ins,
 * the attendance points it credited; and drops the confirmation emails it queued (they went out at the
 * time, not today).
 */
export async function backdateEvent(eventId: number, ms: number, db: Db = getDb()) {
  const shift = sql`make_interval(secs => ${ms / 1000}::float8)`;
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update events set starts_at = starts_at - ${shift}, ends_at = ends_at - ${shift}, rsvp_deadline = rsvp_deadline - ${shift},
                            created_at = created_at - ${shift} - interval '30 days', published_at = published_at - ${shift} - interval '28 days'
           where id = ${eventId}`,
    );
    // Arrivals over the half hour around the start (the demo checked everyone in within a second), walk-ins
    // a little after; an ambassador's attendance points when they came.
    await tx.execute(
      sql`update event_invitees i set invited_at = invited_at - ${shift} - interval '28 days', answered_at = answered_at - ${shift} - interval '20 days',
                                    confirmed_at = confirmed_at - ${shift} - interval '20 days',
                                    checked_in_at = case when i.checked_in_at is null then null
                                                         when i.source = 'walk_in' then e.starts_at + make_interval(mins => 20 + (i.id % 3)::int * 7)
                                                         else e.starts_at - make_interval(mins => 25) + make_interval(secs => ((i.id * 97) % 2400)::int) end
            from events e where e.id = i.event_id and i.event_id = ${eventId}`,
    );
    await tx.execute(
      sql`update member_activity a set occurred_at = i.checked_in_at
            from event_invitees i join programme_members pm on pm.customer_id = i.customer_id
           where i.event_id = ${eventId} and i.checked_in_at is not null and a.source_key = ${`event:${eventId}:member:`} || pm.id::text`,
    );
    await tx.execute(
      sql`delete from outbox_messages where status = 'queued' and (idempotency_key like ${`event-confirmation:${eventId}:%`} or idempotency_key like ${`waitlist-promotion:${eventId}:%`})`,
    );
  });
}

/**
 * The past meeting's close and feedback as they happened: finished when it ended, its survey made and the
 * thanks sent (with the survey's personal invitations) at `sentAt`, the day after; not today.
 */
export async function backdateFeedback(eventId: number, surveyId: number, sentAt: Date, db: Db = getDb()) {
  const at = sentAt.toISOString();
  await db.transaction(async (tx) => {
    await tx.execute(sql`update events set finished_at = ends_at + interval '30 minutes', feedback_sent_at = ${at}::timestamptz where id = ${eventId}`);
    await tx.execute(sql`update surveys set created_at = ${at}::timestamptz - interval '1 hour', opened_at = ${at}::timestamptz - interval '30 minutes' where id = ${surveyId}`);
    await tx.execute(sql`update survey_invitations set created_at = ${at}::timestamptz where survey_id = ${surveyId}`);
  });
}
