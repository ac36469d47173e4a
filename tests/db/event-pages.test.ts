// The town meeting's door, report and export pages on a real database (issue 18), PGlite and PostgreSQL:
// the check-in action's contract (`{ result }`, 200 for a check-in and for a refusal, 400 for a bad form,
// 403 for a viewer), a walk-in and its refusal naming the person already invited, the report's figures,
// the feedback survey sent only on a post confirming the count, and the CSV with formulas escaped.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { answerRsvp, changeEventStatus, checkIn, createEvent, inviteCustomers, inviteStakeholders, publishEvent, type EventFormInput } from "~/services/events.server";
import * as door from "~/routes/staff.events.$id.check-in";
import * as report from "~/routes/staff.events.$id.report";
import * as exportCsv from "~/routes/staff.events.$id.export[.]csv";
import { get, post, run, staffSession } from "../support/requests";
import { useTestDatabase } from "../setup/db";

const HOUR = 3_600_000;

function eventInput(overrides: Partial<EventFormInput> = {}): EventFormInput {
  const startsAt = new Date(Date.now() + 72 * HOUR);
  return {
    title: { ja: "春のタウンミーティング", en: "Spring town meeting" },
    description: { ja: "", en: "" },
    agenda: { ja: "", en: "" },
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * HOUR),
    timeZone: "Asia/Tokyo",
    venue: "渋谷店 2F",
    onlineUrl: null,
    capacity: 2,
    rsvpDeadline: null,
    companionsAllowed: 0,
    ...overrides,
  };
}

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
const withId = (handler: unknown, id: number) => (args: { request: Request; context: object }) => (handler as Handler)({ ...args, params: { id: String(id) } });

const DATA = "routes%2Fstaff.events.%24id.check-in";
const checkInPath = (id: number) => `/staff/events/${id}/check-in?_data=${DATA}`;

/** A published event with invitees who answered "attend" (the first `capacity` get tickets, the rest wait). */
async function eventWithTickets(people: { name: string; email: string; kind?: string; organisation?: string; notes?: string }[], overrides: Partial<EventFormInput> = {}) {
  const event = await createEvent(eventInput(overrides), null);
  const invited = await inviteStakeholders(
    event.id,
    people.map((p) => ({ name: p.name, email: p.email, kind: p.kind ?? "employee", organisation: p.organisation ?? "" })),
    "stakeholder",
    null,
  );
  expect(invited.ok).toBe(true);
  await publishEvent(event.id);
  const links = await queryRows<{ url: string; to_email: string }>(
    sql`select data->>'rsvpUrl' as url, to_email from outbox_messages where template = 'event-invitation' and idempotency_key like ${`event-invitation:${event.id}:%`} order by id`,
  );
  const answers = [];
  for (const p of people) {
    const link = links.find((l) => l.to_email === p.email)!;
    answers.push((await answerRsvp(link.url.split("/").pop()!, { attend: true, seats: 1, notes: p.notes ?? null })).invitee);
  }
  return { event, invitees: answers };
}

describe("event door, report and export pages", () => {
  useTestDatabase();

  it("checks a scanned ticket in once: ok, then 'already' with when, by whom and the door; refuses another event's ticket and a viewer", async () => {
    const staff = await staffSession("staff");
    const viewer = await staffSession("viewer");
    const { event, invitees } = await eventWithTickets([
      { name: "山田 花子", email: "hanako@example.com", organisation: "本社", notes: "車椅子を使います" },
      { name: "Tom", email: "tom@example.com" },
      { name: "待つ人", email: "wait@example.com" },
    ]);
    const code = invitees[0]!.ticketCode!;
    const scan = (fields: Record<string, string>, cookie = staff.cookie, id = event.id) => run(withId(door.action, id), post(checkInPath(id), fields, cookie));

    const first = await scan({ intent: "code", code, door: "A" });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as { result: Record<string, unknown> & { invitee: Record<string, unknown> } };
    expect(firstBody.result).toMatchObject({ ok: true, invitee: { name: "山田 花子", kind: "employee", organisation: "本社", seats: 1, notes: "車椅子を使います", checkedInDoor: "A" } });
    expect(firstBody.result.invitee).not.toHaveProperty("ticketCode");

    const second = await scan({ intent: "code", code, door: "B" });
    expect(second.status).toBe(200);
    const secondBody = (await second.json()) as { result: { ok: false; reason: string; at: string; by: string | null; door: string | null; invitee: { name: string } } };
    expect(secondBody.result).toMatchObject({ ok: false, reason: "already", by: "staff user", door: "A", invitee: { name: "山田 花子" } });
    expect(new Date(secondBody.result.at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // By name: the invitee's id; the waitlisted one is refused with their position.
    const byName = await scan({ intent: "invitee", inviteeId: String(invitees[1]!.id), door: "B" });
    expect(await byName.json()).toMatchObject({ result: { ok: true, invitee: { name: "Tom", checkedInDoor: "B" } } });
    const waiting = await scan({ intent: "invitee", inviteeId: String(invitees[2]!.id), door: "B" });
    expect(waiting.status).toBe(200);
    expect(await waiting.json()).toMatchObject({ result: { ok: false, reason: "not_confirmed", position: 1, invitee: { name: "待つ人", rsvpStatus: "waitlisted" } } });

    // Another event's ticket names that event; rubbish is "not a ticket"; a well-formed unknown code "unknown".
    const other = await createEvent(eventInput({ title: { ja: "別の会", en: "Another meeting" } }), null);
    await changeEventStatus(other.id, "publish");
    const wrong = await scan({ intent: "code", code: invitees[1]!.ticketCode!, door: "A" }, staff.cookie, other.id);
    expect(wrong.status).toBe(200);
    expect(await wrong.json()).toMatchObject({ result: { ok: false, reason: "other_event", eventTitle: { ja: "春のタウンミーティング", en: "Spring town meeting" } } });
    expect(await (await scan({ intent: "code", code: "hello world", door: "A" })).json()).toMatchObject({ result: { ok: false, reason: "not_a_ticket" } });
    expect(await (await scan({ intent: "code", code: "A".repeat(22), door: "A" })).json()).toMatchObject({ result: { ok: false, reason: "unknown_ticket" } });

    // A malformed form is a 400; a viewer may not check anyone in (403), and nothing changed.
    expect((await scan({ intent: "code", code: "", door: "A" })).status).toBe(400);
    expect((await scan({ intent: "dance" })).status).toBe(400);
    expect((await scan({ intent: "invitee", inviteeId: "abc" })).status).toBe(400);
    const refused = await scan({ intent: "code", code, door: "A" }, viewer.cookie);
    expect(refused.status).toBe(403);
    expect((await run(withId(door.loader, event.id), get(`/staff/events/${event.id}/check-in`, viewer.cookie))).status).toBe(403);
    const [row] = await queryRows<{ n: number }>(sql`select count(*)::int as n from event_invitees where event_id = ${event.id} and checked_in_at is not null`);
    expect(row!.n).toBe(2);

    // The page's counter and the search by name (confirmed and waitlisted only).
    const page = await run(withId(door.loader, event.id), get(`/staff/events/${event.id}/check-in?q=${encodeURIComponent("待つ")}`, staff.cookie));
    expect(await page.json()).toMatchObject({ counts: { checkedIn: 2, confirmed: 2 }, matches: [{ name: "待つ人", position: 1 }] });
  });

  it("adds a walk-in checked in, and refuses an address already invited naming that person", async () => {
    const staff = await staffSession("staff");
    const { event } = await eventWithTickets([{ name: "山田 花子", email: "hanako@example.com" }]);
    const walkIn = (fields: Record<string, string>) => run(withId(door.action, event.id), post(checkInPath(event.id), { intent: "walk_in", ...fields }, staff.cookie));

    const added = await walkIn({ name: "飛び入り 太郎", email: "walk@example.com", kind: "partner", organisation: "農園", notes: "ベジタリアン", door: "C" });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ walkIn: { name: "飛び入り 太郎", kind: "partner", walkIn: true, checkedInDoor: "C", notes: "ベジタリアン" } });

    const again = await walkIn({ name: "誰か", email: "HANAKO@example.com", kind: "customer", door: "C" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ walkInRefusal: { key: "walk_in_already_invited", details: { name: "山田 花子" } } });

    const bad = await walkIn({ name: "", email: "not-an-email", kind: "alien" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ walkInErrors: { name: "events.errors.required", email: "events.errors.invalid_email" } });
  });

  it("reports the figures, and sends the feedback survey only on a post confirming how many attendees it emails", async () => {
    const staff = await staffSession("staff");
    const viewer = await staffSession("viewer");
    const { event, invitees } = await eventWithTickets(
      [
        { name: "A", email: "a@example.com" },
        { name: "B", email: "b@example.com", kind: "supplier" },
        { name: "C", email: "c@example.com" },
      ],
      { capacity: 2 },
    );
    await checkIn(event.id, { code: invitees[0]!.ticketCode! }, { id: null, door: "A" });
    await changeEventStatus(event.id, "finish");
    const surveyId = await createSurvey(
      { layout: "all_on_one", linkDays: 30, reminderDays: null, intro: { ja: "", en: "" }, thanks: { ja: "", en: "" }, title: { ja: "感想", en: "Feedback" } },
      [{ key: "nps", type: "nps", label: { ja: "おすすめしますか", en: "Recommend?" }, required: true, construct: "recommend" }],
      null,
    );
    const page = (cookie: string) => run(withId(report.loader, event.id), get(`/staff/events/${event.id}/report`, cookie));
    const send = (fields: Record<string, string>, cookie = staff.cookie) => run(withId(report.action, event.id), post(`/staff/events/${event.id}/report`, { intent: "feedback", ...fields }, cookie));

    // A viewer reads the report but may not send.
    const read = await page(viewer.cookie);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      canSend: false,
      counts: { invited: 3, confirmed: 2, checkedIn: 1, noShows: 1, waitlisted: 1, declined: 0, walkIns: 0 },
      byKind: expect.arrayContaining([expect.objectContaining({ key: "employee", confirmed: 1, checkedIn: 1, noShow: 0, waitlisted: 1 }), expect.objectContaining({ key: "supplier", noShow: 1 })]),
      feedback: { phase: "ready", sentAt: null, reach: null, openSurveys: [] },
    });
    expect((await send({ surveyId: String(surveyId) }, viewer.cookie)).status).toBe(403);

    // A survey not open is refused before any count is confirmed.
    const closed = await send({ surveyId: String(surveyId) });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ error: "events.errors.survey_not_open" });
    await setSurveyStatus(surveyId, "open");
    expect(await (await page(staff.cookie)).json()).toMatchObject({ canSend: true, feedback: { reach: 1, openSurveys: [{ id: surveyId, title: "感想" }] } });

    // The first post states the count; a stale count asks again; only the right count sends.
    const first = await send({ surveyId: String(surveyId) });
    expect(await first.json()).toMatchObject({ confirm: { surveyId, count: 1 } });
    expect(await (await send({ surveyId: String(surveyId), confirmed: "5" })).json()).toMatchObject({ confirm: { count: 1 } });
    const [before] = await queryRows<{ n: number }>(sql`select count(*)::int as n from outbox_messages where template = 'event-thanks'`);
    expect(before!.n).toBe(0);
    const sent = await send({ surveyId: String(surveyId), confirmed: "1" });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`/staff/events/${event.id}/report?sent=1`);
    const thanks = await queryRows<{ to_email: string }>(sql`select to_email from outbox_messages where template = 'event-thanks'`);
    expect(thanks.map((m) => m.to_email)).toEqual(["a@example.com"]);
    expect(await (await page(viewer.cookie)).json()).toMatchObject({ feedback: { surveyId, surveyTitle: "感想", sentAt: expect.any(String) } });

    // A bad form is a 400 naming the field.
    expect(await (await send({ surveyId: "x" })).json()).toMatchObject({ fieldErrors: { surveyId: "events.errors.survey" } });
  });

  it("exports the invitees as CSV for a viewer, with formulas escaped and customers by their external id", async () => {
    const viewer = await staffSession("viewer");
    const [c] = await queryRows<{ id: number }>(
      sql`insert into customers (external_id, email, name, locale, marketing_consent) values ('C-77', 'amb@example.com', '=1+2', 'ja', true) returning id`,
    );
    await queryRows(sql`insert into programme_members (customer_id, display_name, contact_consent, referral_code) values (${c!.id}, '花子', true, 'ABCD2345') returning id`);
    const { event, invitees } = await eventWithTickets([{ name: "@SUM(A1)", email: "x@example.com", organisation: "=HYPERLINK(\"http://evil\")", notes: "+danger" }]);
    await inviteCustomers(event.id, { kind: "members" }, null);
    await checkIn(event.id, { code: invitees[0]!.ticketCode! }, { id: null, door: "North" });

    const response = await run(withId(exportCsv.loader, event.id), get(`/staff/events/${event.id}/export.csv`, viewer.cookie));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    expect(response.headers.get("Content-Disposition")).toContain(`event-${event.id}-`);
    const text = await response.text();
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe("invitee_id,kind,name,email,organisation,role,customer_id,cpm_segment,quadrant,rsvp_status,seats,waitlist_position,notes,answered_at,checked_in_at,checked_in_door,source");
    expect(lines).toHaveLength(3);
    const stakeholder = lines.find((l) => l.includes("x@example.com"))!;
    expect(stakeholder).toContain(",'@SUM(A1),");
    expect(stakeholder).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(stakeholder).toContain(",'+danger,");
    expect(stakeholder).toMatch(/,confirmed,1,,/);
    expect(stakeholder).toMatch(/,North,stakeholder$/);
    const member = lines.find((l) => l.includes("amb@example.com"))!;
    expect(member).toContain(",member,'=1+2,amb@example.com,");
    expect(member).toContain(",C-77,");
    expect(member).toMatch(/,none,,,/);

    expect((await run(withId(exportCsv.loader, 999_999), get("/staff/events/999999/export.csv", viewer.cookie))).status).toBe(404);
    expect((await run(withId(exportCsv.loader, event.id), get(`/staff/events/${event.id}/export.csv`))).status).not.toBe(200);
  });
});
