// The demo's data (`npm run demo`, app/services/demo.server.ts): what it reads to decide what to seed,
// and the bulk insert of the demo survey's answers. Only the demo uses these.
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { col, nullableCol } from "../../db/columns";
import { customerMetrics, customers, surveys } from "../../db/schema";
import { bigintArray } from "../../db/sql-arrays";
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
