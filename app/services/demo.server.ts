// `npm run demo`: an empty database gets the demo admin and demo data; an existing one is reused.
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "../../db/client.server";
import { customers } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import { countStaff, insertStaff } from "~/models/staff.server";
import { refreshMetrics } from "~/models/metrics.server";
import { consentOf } from "~/models/outbox.server";
import crypto from "node:crypto";
import { mulberry32 } from "../../db/seed/demo";
import { demoAnswers } from "../../db/seed/survey-demo";
import type { CpmSegment } from "~/domain/cpm";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { scoreResponse } from "~/domain/survey/scoring";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { inviteRecipients } from "~/services/survey-distribution.server";
import { hashPassword } from "~/utils/crypto.server";
import { passwordProblem } from "~/schemas/password";
import { resources } from "~/i18n";
import { bigintArray } from "../../db/sql-arrays";
import type { Env } from "~/utils/env.server";

export async function prepareDemo(env: Env) {
  const db = getDb();
  const lines: string[] = [];
  let createdAdmin = false;
  if ((await countStaff()) === 0) {
    const weak = await passwordProblem(env.DEMO_ADMIN_PASSWORD, [env.DEMO_ADMIN_EMAIL]);
    if (weak) {
      const english = (key: string) =>
        String(key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources.en.common) ?? key);
      const reasons = weak.split("\n").map(english);
      throw new Error(`DEMO_ADMIN_PASSWORD: too easy to guess. ${reasons.join(" ")}`);
    }
    await insertStaff({
      name: "Demo Admin",
      email: env.DEMO_ADMIN_EMAIL,
      passwordHash: await hashPassword(env.DEMO_ADMIN_PASSWORD),
      role: "admin",
      isFounder: true,
    });
    createdAdmin = true;
  }
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(customers);
  if (n === 0) {
    const started = Date.now();
    const counts = await seedDemo(db, { seed: 42, customers: 5000, asOf: new Date() });
    await refreshMetrics();
    lines.push(`Demo data loaded: ${counts.customers} customers, ${counts.purchases} purchases (${Date.now() - started} ms).`);
  } else {
    lines.push(`Existing data reused (${n} customers); nothing reseeded.`);
  }
  const survey = await seedDemoSurvey();
  if (survey) {
    lines.push(`Demo survey: "${survey.title}" with ${survey.responses} responses.`);
    const { invited } = await inviteDemoCustomers(survey.id);
    lines.push(`Demo invitations: ${invited} customers invited to answer it; the mail worker delivers their emails, each with a personal link, to the staff mailbox.`);
  }
  const signIn = createdAdmin
    ? `Staff sign-in: ${env.DEMO_ADMIN_EMAIL} / ${env.DEMO_ADMIN_PASSWORD}  →  http://localhost:${env.PORT}/login`
    : `Staff sign-in: the accounts already in this database (demo admin: ${env.DEMO_ADMIN_EMAIL}, password as set when it was created)  →  http://localhost:${env.PORT}/login`;
  return { message: lines.join("\n"), signIn };
}

const DEMO_INVITATIONS = 40;

/**
 * Invites a few dozen customers not yet invited to the demo survey, through the same send staff use,
 * so the mail worker delivers real invitations to the mailbox: a newcomer opens one, follows its
 * personal link (on this portal's address), answers, and sees the survey's counts move.
 */
async function inviteDemoCustomers(surveyId: number) {
  const recipients = await queryRows<{ externalId: string }>(
    sql`select c.external_id as "externalId" from customers c
        where coalesce(c.email, '') <> '' and ${consentOf(sql`c`)}
          and not exists (select 1 from survey_invitations i where i.survey_id = ${surveyId} and i.customer_id = c.id)
        order by c.id limit ${DEMO_INVITATIONS}`,
  );
  return inviteRecipients(surveyId, { kind: "list", externalIds: recipients.map((r) => r.externalId) });
}

/**
 * The loyalty survey with about 1,500 answers from invited customers across the segments (spread over
 * the last six months) and some anonymous ones from the open link, scored like any other response.
 * Only on a database without surveys.
 */
async function seedDemoSurvey() {
  const [existing] = await queryRows<{ n: number }>(sql`select count(*)::int as n from surveys`);
  if (existing!.n > 0) return null;
  const template = loyaltyTemplate();
  const id = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: 7 }, template.questions, null);
  await setSurveyStatus(id, "open");
  const rng = mulberry32(7);
  const invited = await queryRows<{ id: number; segment: CpmSegment | null; locale: string | null }>(
    sql`select c.id, m.cpm_segment as segment, c.locale from customers c left join customer_metrics m on m.customer_id = c.id
        where c.email is not null and c.marketing_consent order by md5(c.id::text) limit 2200`,
  );
  const now = Date.now();
  const responses = invited.flatMap((customer, i) => {
    // Loyal customers answer more often: the reaction rate of DESIGN §2.
    const rate = customer.segment?.startsWith("loyal") ? 0.85 : customer.segment?.endsWith("lapsed") ? 0.55 : 0.7;
    if (rng() > rate) return [];
    const answers = demoAnswers(customer.segment, rng);
    const at = new Date(now - Math.floor(rng() * 180) * 86_400_000 - i * 1000).toISOString();
    return [{ customer_id: Number(customer.id), locale: customer.locale === "en" ? "en" : "ja", answers, at, ...scoreResponse(template.questions, answers) }];
  });
  const open = Array.from({ length: 80 }, (_, i) => {
    const answers = demoAnswers(null, rng);
    return { customer_id: null, locale: "ja", answers, at: new Date(now - Math.floor(rng() * 60) * 86_400_000 - i * 1000).toISOString(), ...scoreResponse(template.questions, answers) };
  });
  await getDb().transaction(async (tx) => {
    await tx.execute(
      sql`insert into survey_invitations (survey_id, customer_id, created_at, opened_at)
          select ${id}, x, now() - interval '190 days', null from unnest(${bigintArray(invited.map((c) => c.id))}) as x`,
    );
    const rows = [...responses, ...open].map((r) => ({
      customer_id: r.customer_id,
      locale: r.locale,
      answers: r.answers,
      at: r.at,
      psych: r.psychScore,
      nps: r.npsScore,
      category: r.npsCategory,
      constructs: r.constructScores,
      items: r.alphaScores,
      channel: r.customer_id ? "link" : "open",
      submission: r.customer_id ? null : crypto.randomUUID(),
    }));
    await tx.execute(
      sql`insert into survey_responses (survey_id, channel, invitation_id, customer_id, submission_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
          select ${id}, x.channel, i.id, x.customer_id, x.submission, x.locale, x.answers, x.psych, x.nps, x.category, x.constructs,
                 (select array_agg(e.v::float8 order by e.n) from jsonb_array_elements_text(x.items) with ordinality as e(v, n)), x.at
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer_id bigint, locale text, answers jsonb, at timestamptz, psych numeric,
               nps smallint, category text, constructs jsonb, channel text, submission uuid, items jsonb)
          left join survey_invitations i on i.survey_id = ${id} and i.customer_id = x.customer_id`,
    );
    await tx.execute(
      sql`update survey_invitations i set answered_at = r.submitted_at, opened_at = r.submitted_at from survey_responses r where r.invitation_id = i.id and i.survey_id = ${id}`,
    );
    // Some opened the link without answering.
    await tx.execute(sql`update survey_invitations set opened_at = created_at + interval '2 days' where survey_id = ${id} and opened_at is null and id % 4 = 0`);
  });
  return { id, title: template.title.en, responses: responses.length + open.length };
}
