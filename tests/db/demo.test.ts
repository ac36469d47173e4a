import { describe, expect, it } from "vitest";
import { customers, outboxMessages, purchases, staffUsers } from "../../db/schema";
import { prepareDemo } from "~/services/demo.server";
import { drainOutbox } from "~/services/mail-worker.server";
import { openPersonalLink } from "~/services/survey-responses.server";
import { signIn } from "~/utils/auth.server";
import { localTransport } from "~/utils/email-transport.server";
import { parseEnv, resetEnvForTests, setListeningPort } from "~/utils/env.server";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client.server";
import { listEvents } from "~/models/events.server";
import { rsvpForPage } from "~/services/events.server";
import { useTestDatabase } from "../setup/db";
import { get } from "../support/requests";

// Each test seeds the full demo (5,000 customers, about 43,000 purchases): tens of seconds on a busy machine.
const DEMO_SEED_MS = 120_000;

describe("npm run demo on a database", () => {
  const database = useTestDatabase();

  it("creates the demo admin from DEMO_ADMIN_* and loads the data once; a second start reuses it", async () => {
    const env = parseEnv({ DEMO_ADMIN_EMAIL: "owner@example.jp", DEMO_ADMIN_PASSWORD: "omotenashi-2026", PORT: "3999", SESSION_SECRET: "s".repeat(40) });
    const first = await prepareDemo(env);
    expect(first.message).toMatch(/^Demo data loaded: 5000 customers, \d+ purchases/);
    expect(first.signIn).toContain("owner@example.jp / omotenashi-2026");
    expect(first.message).toContain("Demo invitations: 40 customers invited");
    // The loyalty survey: about 1,500 answers that follow behaviour, with spread and some quiet fans.
    expect(first.message).toMatch(/Demo survey: ".+" with 1[45]\d\d responses/);
    const bySegment = await queryRows<{ kind: string; score: number; sd: number }>(
      sql`select split_part(coalesce(m.cpm_segment, 'none'), '_', 1) as kind, avg(r.psych_score)::float8 as score, stddev(r.psych_score)::float8 as sd
          from survey_responses r left join customer_metrics m on m.customer_id = r.customer_id group by 1`,
    );
    const score = Object.fromEntries(bySegment.map((r) => [r.kind, r]));
    expect(score.loyal!.score).toBeGreaterThan(score.first!.score + 15);
    expect(score.loyal!.sd).toBeGreaterThan(8);
    const [quiet] = await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_responses where psych_score >= 70 and nps_score <= 6`);
    expect(quiet!.n).toBeGreaterThan(10);
    const outbox = await database.current.db.select().from(outboxMessages);
    expect(outbox.filter((m) => m.template === "survey-invitation")).toHaveLength(40);
    // The ambassador programme (issue 17): its members' welcome emails and the open invitations.
    // ... and the town meetings (issue 18): the upcoming one's invitations and confirmations, the past
    // one's thanks with its feedback survey (its confirmations went out at the time, not today).
    expect(new Set(outbox.map((m) => m.template))).toEqual(
      new Set(["survey-invitation", "welcome-certificate", "ambassador-invitation", "event-invitation", "event-confirmation", "event-thanks"]),
    );
    expect(first.message).toMatch(/Demo town meetings: a past one \(\d+ checked in of \d+ invited, [1-9]\d* feedback answers\) and an upcoming one \(\d+ invited, [1-9]\d* on the waitlist\)/);
    const meetings = await queryRows<{ id: number; invited: number; status: string; past: boolean; capacity: number; seats: number; waitlisted: number; checked_in: number; walk_ins: number; no_shows: number; kinds: number; out_of_order: number }>(
      sql`select e.id::int as id, count(*)::int as invited, e.status, e.ends_at < now() as past, e.capacity,
                 coalesce(sum(i.seats) filter (where i.rsvp_status = 'confirmed'), 0)::int as seats,
                 count(*) filter (where i.rsvp_status = 'waitlisted')::int as waitlisted,
                 count(*) filter (where i.checked_in_at is not null)::int as checked_in,
                 count(*) filter (where i.source = 'walk_in')::int as walk_ins,
                 count(*) filter (where i.rsvp_status = 'confirmed' and i.checked_in_at is null)::int as no_shows,
                 count(distinct i.kind)::int as kinds,
                 (select count(*)::int from event_invitees a join event_invitees b on a.event_id = b.event_id
                   where a.event_id = e.id and a.rsvp_status = 'confirmed' and b.rsvp_status = 'waitlisted' and a.answer_seq > b.answer_seq) as out_of_order
            from events e join event_invitees i on i.event_id = e.id group by e.id order by e.starts_at`,
    );
    expect(meetings).toHaveLength(2);
    const [held, upcoming] = meetings as [(typeof meetings)[number], (typeof meetings)[number]];
    expect(held).toMatchObject({ status: "done", past: true, walk_ins: 2 });
    expect(held.checked_in).toBeGreaterThan(20);
    expect(held.no_shows).toBeGreaterThan(0);
    expect(held.kinds).toBeGreaterThanOrEqual(5);
    expect(upcoming).toMatchObject({ status: "published", past: false, checked_in: 0, out_of_order: 0 });
    expect(upcoming.seats).toBeLessThanOrEqual(upcoming.capacity);
    expect(upcoming.waitlisted).toBeGreaterThan(0);
    // The past meeting: check-ins at two doors; each ambassador who came credited once, for this meeting;
    // its feedback survey sent to those who came, with answers; declines and no-answers besides.
    const [after] = await queryRows<{ doors: number; declined: number; unanswered: number; members_came: number; credited: number; survey: string | null; sent: boolean; thanked: number; responses: number }>(
      sql`select (select count(distinct i.checked_in_door)::int from event_invitees i where i.event_id = e.id and i.checked_in_at is not null) as doors,
                 (select count(*)::int from event_invitees i where i.event_id = e.id and i.rsvp_status = 'declined') as declined,
                 (select count(*)::int from event_invitees i where i.event_id = e.id and i.rsvp_status is null) as unanswered,
                 (select count(*)::int from event_invitees i join programme_members pm on pm.customer_id = i.customer_id
                   where i.event_id = e.id and i.checked_in_at is not null) as members_came,
                 (select count(*)::int from member_activity a where a.kind = 'event_attended' and a.source_key like 'event:' || e.id || ':%') as credited,
                 s.title->>'en' as survey, e.feedback_sent_at is not null as sent,
                 (select count(*)::int from outbox_messages o where o.template = 'event-thanks' and o.idempotency_key like 'event-thanks:' || e.id || ':%') as thanked,
                 (select count(*)::int from survey_responses r where r.survey_id = e.feedback_survey_id) as responses
            from events e left join surveys s on s.id = e.feedback_survey_id where e.id = ${held.id}`,
    );
    expect(after).toMatchObject({ doors: 2, survey: expect.stringMatching(/town meeting/i), sent: true });
    expect(after!.declined).toBeGreaterThan(0);
    expect(after!.members_came).toBeGreaterThan(0);
    expect(after!.credited).toBe(after!.members_came);
    expect(after!.thanked).toBeGreaterThan(20);
    expect(after!.responses).toBeGreaterThan(4);
    // Held as it would have been: arrivals around the start, points when they came, the feedback sent the
    // day after (not today) and answered after it was sent, no invitation opened in the future.
    const [timeline] = await queryRows<{ early: number; late: number; points_off: number; before_sent: number; invitations_off: number; days_since_sent: number }>(
      sql`select (select count(*)::int from event_invitees i where i.event_id = e.id and i.checked_in_at < e.starts_at - interval '1 hour') as early,
                 (select count(*)::int from event_invitees i where i.event_id = e.id and i.checked_in_at > e.ends_at) as late,
                 (select count(*)::int from member_activity a where a.source_key like 'event:' || e.id || ':%'
                     and (a.occurred_at < e.starts_at - interval '1 hour' or a.occurred_at > e.ends_at)) as points_off,
                 (select count(*)::int from survey_responses r where r.survey_id = e.feedback_survey_id and r.submitted_at < e.feedback_sent_at) as before_sent,
                 (select count(*)::int from survey_invitations v where v.survey_id = e.feedback_survey_id and (v.created_at < e.ends_at or v.opened_at > now())) as invitations_off,
                 extract(day from now() - e.feedback_sent_at)::int as days_since_sent
            from events e where e.id = ${held.id}`,
    );
    expect(timeline).toMatchObject({ early: 0, late: 0, points_off: 0, before_sent: 0, invitations_off: 0 });
    expect(timeline!.days_since_sent).toBeGreaterThanOrEqual(14);
    // Checked in by the demo admin; plain customers came as well as ambassadors.
    const [door] = await queryRows<{ unsigned: number; customers: number }>(
      sql`select count(*) filter (where checked_in_at is not null and checked_in_by is null)::int as unsigned,
                 count(*) filter (where kind = 'customer' and source <> 'walk_in')::int as customers
            from event_invitees where event_id = ${held.id}`,
    );
    expect(door).toMatchObject({ unsigned: 0 });
    expect(door!.customers).toBeGreaterThan(0);
    // The upcoming one: the seats given in answer order until the next in line no longer fits, the rest
    // waiting in answer order; some declined, some not answered yet, some with notes for the staff.
    const queue = await queryRows<{ status: string; seats: number; seq: number }>(
      sql`select rsvp_status as status, seats, answer_seq::int as seq from event_invitees
           where event_id = ${upcoming.id} and rsvp_status in ('confirmed', 'waitlisted') order by answer_seq`,
    );
    const firstWaiting = queue.findIndex((q) => q.status === "waitlisted");
    expect(queue.slice(0, firstWaiting).every((q) => q.status === "confirmed")).toBe(true);
    expect(queue.slice(firstWaiting).every((q) => q.status === "waitlisted")).toBe(true);
    expect(upcoming.capacity - upcoming.seats).toBeLessThan(queue[firstWaiting]!.seats);
    expect(upcoming.waitlisted).toBeGreaterThanOrEqual(4);
    const [answers] = await queryRows<{ declined: number; unanswered: number; notes: number }>(
      sql`select count(*) filter (where rsvp_status = 'declined')::int as declined, count(*) filter (where rsvp_status is null)::int as unanswered,
                 count(notes)::int as notes from event_invitees where event_id = ${upcoming.id}`,
    );
    expect(answers!.declined).toBeGreaterThan(0);
    expect(answers!.unanswered).toBeGreaterThan(0);
    expect(answers!.notes).toBeGreaterThan(0);
    const [needs] = await queryRows<{ wheelchair: number; vegetarian: number }>(
      sql`select count(*) filter (where notes like '%車いす%' or notes ilike '%wheelchair%')::int as wheelchair,
                 count(*) filter (where notes like '%ベジタリアン%' or notes ilike '%vegetarian%')::int as vegetarian
            from event_invitees where event_id = ${upcoming.id}`,
    );
    expect(needs!.wheelchair).toBeGreaterThan(0);
    expect(needs!.vegetarian).toBeGreaterThan(0);
    // The two RSVP links the demo prints open the upcoming meeting: a confirmed seat, and the head of the waitlist.
    const printed = Object.fromEntries([...first.message.matchAll(/(confirmed|waitlisted) (http:\/\/\S+\/e\/([\w-]+))/g)].map((m) => [m[1], m[3]!]));
    const confirmedPage = await rsvpForPage(printed.confirmed!);
    expect(confirmedPage).toMatchObject({ state: "ok", event: { id: upcoming.id }, invitee: { rsvpStatus: "confirmed", ticketCode: expect.any(String) } });
    const waitingPage = await rsvpForPage(printed.waitlisted!);
    expect(waitingPage).toMatchObject({ state: "ok", event: { id: upcoming.id }, invitee: { rsvpStatus: "waitlisted" }, position: 1 });
    // The staff list counts each event's own invitees: upcoming first.
    const listed = await listEvents();
    expect(listed.map((r) => [r.event.id, r.invited, r.seatsTaken, r.waitlisted, r.checkedIn])).toEqual(
      [upcoming, held].map((m) => [m.id, m.invited, m.seats, m.waitlisted, m.checked_in]),
    );
    const [points] = await queryRows<{ n: number }>(sql`select count(*)::int as n from member_activity where kind = 'event_attended'`);
    expect(points!.n).toBeGreaterThan(0);
    expect(first.message).toMatch(/Demo ambassador programme: 60 members .*, [1-9]\d* referral purchases credited/);
    const lifecycle = await queryRows<{ statuses: string[]; certificates: string[] }>(
      sql`select (select array_agg(distinct status order by status) from programme_members) as statuses,
                 (select array_agg(distinct s order by s) from (
                    select case when revoked_at is not null then 'revoked' when expires_at <= now() then 'expired' else 'valid' end as s
                      from certificates) c) as certificates`,
    );
    expect(lifecycle[0]).toEqual({ statuses: ["active", "alumni", "paused"], certificates: ["expired", "revoked", "valid"] });
    expect(first.signIn).toContain("http://localhost:3999/login");
    expect((await signIn(get("/login"), "owner@example.jp", "omotenashi-2026")).ok).toBe(true);

    const db = database.current.db;
    const counts = async () => [(await db.select().from(customers)).length, (await db.select().from(purchases)).length];
    const before = await counts();
    expect(before[0]).toBe(5000);
    expect(before[1]).toBeGreaterThan(36_000);

    const second = await prepareDemo(env);
    expect(second.message).toBe("Existing data reused (5000 customers); nothing reseeded.");
    expect(second.signIn).not.toContain("omotenashi-2026");
    expect(await counts()).toEqual(before);
    expect(await database.current.db.select().from(outboxMessages)).toHaveLength(outbox.length);
    expect(await db.select().from(staffUsers)).toHaveLength(1);
  }, DEMO_SEED_MS);

  it("sends real invitations to its survey, delivered to the mailbox with personal links on the portal's own address", async () => {
    // `npm run demo` on PORT=0: the server listens first, on a port the system picks, and the demo's mail names it.
    process.env.PORT = "0";
    resetEnvForTests();
    setListeningPort(43210);
    try {
      await prepareDemo(parseEnv({ PORT: "0", SESSION_SECRET: "s".repeat(40) }));
    } finally {
      process.env.PORT = "3000";
      resetEnvForTests();
    }
    const [survey] = await queryRows<{ id: number }>(sql`select id from surveys`);
    expect(await drainOutbox({ transport: localTransport })).toBeGreaterThan(0);
    const mail = await queryRows<{ customerId: number; html: string; locale: string; email: string | null; consent: boolean; status: string }>(
      sql`select m.customer_id as "customerId", l.html, m.locale, c.email, c.marketing_consent as consent, m.status
          from outbox_messages m join local_mail l on l.message_id = m.id join customers c on c.id = m.customer_id
          where m.template = 'survey-invitation'`,
    );
    expect(mail).toHaveLength(40);
    expect(new Set(mail.map((m) => m.locale))).toEqual(new Set(["ja", "en"]));
    for (const message of mail) {
      expect(message).toMatchObject({ status: "sent", consent: true, email: expect.stringContaining("@") });
      const links = [...message.html.matchAll(/href="([^"]*\/s\/[^"]*)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(link).toMatch(/^http:\/\/localhost:43210\/s\/[\w-]{43}$/);
        const opened = await openPersonalLink(link.split("/s/")[1]!);
        expect(opened.state).toBe("ok");
        expect(opened.survey!.id).toBe(Number(survey!.id));
        const [invitation] = await queryRows<{ customerId: number }>(
          sql`select customer_id as "customerId" from survey_invitations where id = ${opened.invitationId}`,
        );
        expect(Number(invitation!.customerId)).toBe(Number(message.customerId));
      }
    }
    expect(mail.some((m) => m.html.includes("portal.example.com"))).toBe(false);
  }, DEMO_SEED_MS);
});
