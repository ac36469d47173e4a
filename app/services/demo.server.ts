// `npm run demo`: an empty database gets the demo admin and demo data; an existing one is reused.
import { getDb } from "../../db/client.server";
import { seedDemo } from "../../db/seed/demo";
import { countStaff, insertStaff } from "~/models/staff.server";
import { refreshBehaviour } from "./behaviour.server";
import { countAllCustomers, countSurveys, demoPanel, insertDemoResponses, uninvitedCustomers, type DemoResponse } from "~/models/demo-data.server";
import crypto from "node:crypto";
import { mulberry32 } from "../../db/seed/demo";
import { demoAnswers } from "../../db/seed/survey-demo";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { seedDemoEvents } from "./demo-events.server";
import { scoreResponse } from "~/domain/survey/scoring";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { inviteRecipients } from "~/services/survey-distribution.server";
import { seedDemoProgramme } from "~/services/demo-programme.server";
import { hashPassword } from "~/utils/crypto.server";
import { passwordProblem } from "~/schemas/password";
import { resources } from "~/i18n";
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
  const n = await countAllCustomers(db);
  if (n === 0) {
    const started = Date.now();
    const counts = await seedDemo(db, { seed: 42, customers: 5000, asOf: new Date() });
    await refreshBehaviour();
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
  const programme = await seedDemoProgramme();
  if (programme) {
    lines.push(
      `Demo ambassador programme: ${programme.members} members (active, paused and alumni; certificates valid, expired and revoked), ` +
        `${programme.credited} referral purchases credited, ${programme.open} open invitations (in the mailbox), ${programme.expired} expired, ${programme.declined} declined.`,
    );
  }
  const meetings = await seedDemoEvents();
  if (meetings) {
    lines.push(
      `Demo town meetings: a past one (${meetings.past.checkedIn} checked in of ${meetings.past.invited} invited, ${meetings.past.responses} feedback answers) ` +
        `and an upcoming one (${meetings.upcoming.invited} invited, ${meetings.upcoming.waitlisted} on the waitlist). ` +
        `RSVP links: confirmed ${meetings.links.confirmed ?? "-"}  waitlisted ${meetings.links.waitlisted ?? "-"}`,
    );
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
  const recipients = await uninvitedCustomers(surveyId, DEMO_INVITATIONS);
  return inviteRecipients(surveyId, { kind: "list", externalIds: recipients.map((r) => r.externalId) });
}

/**
 * The loyalty survey with about 1,500 answers from invited customers across the segments (spread over
 * the last six months) and some anonymous ones from the open link, scored like any other response.
 * Only on a database without surveys.
 */
async function seedDemoSurvey() {
  if ((await countSurveys()) > 0) return null;
  const template = loyaltyTemplate();
  const id = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: 7 }, template.questions, null);
  await setSurveyStatus(id, "open");
  const rng = mulberry32(7);
  const invited = await demoPanel(2200);
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
  const rows: DemoResponse[] = [...responses, ...open].map((r) => ({
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
  await insertDemoResponses(id, invited.map((c) => c.id), rows);
  return { id, title: template.title.en, responses: responses.length + open.length };
}
