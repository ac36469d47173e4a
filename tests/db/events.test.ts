// Town meetings on a real database (issue 18), PGlite and PostgreSQL: 200 invitees answering at once for
// 50 seats get exactly 50 seats and 150 waitlist places in answer order; a cancellation moves the head of
// the waitlist up and emails them; a ticket checks in once however many doors scan it at once, credits an
// ambassador once, and is refused at another event; bad input changes nothing.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import {
  addWalkIn,
  answerRsvp,
  cancelRsvp,
  changeEventStatus,
  checkIn,
  createEvent,
  EventError,
  EventInputError,
  eventReport,
  inviteCustomers,
  inviteStakeholders,
  publishEvent,
  rsvpForPage,
  sendFeedback,
  updateEvent,
  type EventFormInput,
} from "~/services/events.server";
import { createSurvey, getSurvey, setSurveyStatus } from "~/models/surveys.server";
import { useTestDatabase } from "../setup/db";

const HOUR = 3_600_000;

function eventInput(overrides: Partial<EventFormInput> = {}): EventFormInput {
  const startsAt = new Date(Date.now() + 72 * HOUR);
  return {
    title: { ja: "春のタウンミーティング", en: "Spring town meeting" },
    description: { ja: "新メニューを一緒に考えます", en: "Let us design the new menu together" },
    agenda: { ja: "", en: "" },
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * HOUR),
    timeZone: "Asia/Tokyo",
    venue: "渋谷店 2F",
    onlineUrl: null,
    capacity: 50,
    rsvpDeadline: null,
    companionsAllowed: 0,
    ...overrides,
  };
}

const stakeholders = (n: number, prefix = "p") =>
  Array.from({ length: n }, (_, i) => ({ name: `Person ${i + 1}`, email: `${prefix}${i + 1}@example.com`, kind: "employee" }));

/** The RSVP tokens emailed with the invitations, in invitee order. */
async function rsvpTokens(eventId: number) {
  const rows = await queryRows<{ url: string; to_email: string }>(
    sql`select data->>'rsvpUrl' as url, to_email from outbox_messages where template = 'event-invitation' and idempotency_key like ${`event-invitation:${eventId}:%`} order by id`,
  );
  return rows.map((r) => ({ to: r.to_email, token: r.url.split("/").pop()! }));
}

const mails = (template: string) => queryRows<{ to_email: string; data: Record<string, unknown> }>(sql`select to_email, data from outbox_messages where template = ${template} order by id`);

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EventError) return error.key;
    if (error instanceof EventInputError) return error.issues.map((i) => `${i.field}:${i.problem}`).join(",");
    throw error;
  }
  return "accepted";
}

async function publishedEvent(invitees: number, overrides: Partial<EventFormInput> = {}) {
  const event = await createEvent(eventInput(overrides), null);
  const invited = await inviteStakeholders(event.id, stakeholders(invitees, `e${event.id}-`), "csv", null);
  expect(invited.ok).toBe(true);
  await publishEvent(event.id);
  return { event, tokens: await rsvpTokens(event.id) };
}

describe("town meetings", () => {
  useTestDatabase();

  it("gives 200 invitees answering at once exactly 50 seats and 150 waitlist places, in answer order", async () => {
    const { event, tokens } = await publishedEvent(200);
    expect(tokens).toHaveLength(200);
    const results = await Promise.all(tokens.map((t) => answerRsvp(t.token, { attend: true, seats: 1, notes: null })));
    const statuses = results.map((r) => r.invitee.rsvpStatus);
    expect(statuses.filter((s) => s === "confirmed")).toHaveLength(50);
    expect(statuses.filter((s) => s === "waitlisted")).toHaveLength(150);

    const rows = await queryRows<{ rsvp_status: string; seats: number; ticket_code: string | null }>(
      sql`select rsvp_status, seats, ticket_code from event_invitees where event_id = ${event.id} order by answer_seq`,
    );
    // Everyone confirmed answered before everyone waiting; every seat has a distinct ticket.
    expect(rows.slice(0, 50).every((r) => r.rsvp_status === "confirmed" && r.ticket_code)).toBe(true);
    expect(rows.slice(50).every((r) => r.rsvp_status === "waitlisted" && r.ticket_code === null)).toBe(true);
    expect(new Set(rows.slice(0, 50).map((r) => r.ticket_code)).size).toBe(50);
    expect((await mails("event-confirmation")).length).toBe(50);

    // The waitlist positions shown are 1..150 in answer order.
    const waiting = results.filter((r) => r.invitee.rsvpStatus === "waitlisted").sort((a, b) => a.invitee.answerSeq! - b.invitee.answerSeq!);
    const first = tokens.find((_, i) => results[i]!.invitee.id === waiting[0]!.invitee.id)!;
    const last = tokens.find((_, i) => results[i]!.invitee.id === waiting[149]!.invitee.id)!;
    expect((await rsvpForPage(first.token))!.position).toBe(1);
    expect((await rsvpForPage(last.token))!.position).toBe(150);
  });

  it("moves the head of the waitlist up when a seat frees or capacity grows, and emails them their ticket", async () => {
    const { event, tokens } = await publishedEvent(4, { capacity: 2 });
    for (const t of tokens) await answerRsvp(t.token, { attend: true, seats: 1, notes: t === tokens[2] ? "車椅子です" : null });
    expect((await rsvpForPage(tokens[2]!.token))!.position).toBe(1);
    expect((await rsvpForPage(tokens[3]!.token))!.position).toBe(2);

    const cancelled = await cancelRsvp(tokens[0]!.token);
    expect(cancelled.promoted).toBe(1);
    const promoted = (await rsvpForPage(tokens[2]!.token))!;
    expect(promoted.invitee.rsvpStatus).toBe("confirmed");
    expect(promoted.invitee.ticketCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(promoted.invitee.notes).toBe("車椅子です");
    expect((await rsvpForPage(tokens[3]!.token))!.position).toBe(1);
    const promotion = await mails("waitlist-promotion");
    expect(promotion.map((m) => m.to_email)).toEqual([tokens[2]!.to]);
    expect((await mails("event-confirmation")).map((m) => m.to_email)).toContain(tokens[2]!.to);

    // Capacity grows: the next in line moves up too.
    const grown = await updateEvent(event.id, eventInput({ capacity: 3, startsAt: event.startsAt, endsAt: event.endsAt }));
    expect(grown.promoted).toBe(1);
    expect((await rsvpForPage(tokens[3]!.token))!.invitee.rsvpStatus).toBe("confirmed");

    // Cancelling again after cancelling has nothing to cancel; the seat is gone with its ticket.
    expect(await refusal(cancelRsvp(tokens[0]!.token))).toBe("nothing_to_cancel");
  });

  it("keeps the queue strict: a bigger party at the head is not passed by a smaller one", async () => {
    const { tokens } = await publishedEvent(3, { capacity: 3, companionsAllowed: 2 });
    await answerRsvp(tokens[0]!.token, { attend: true, seats: 2, notes: null });
    const big = await answerRsvp(tokens[1]!.token, { attend: true, seats: 3, notes: null });
    expect(big.invitee.rsvpStatus).toBe("waitlisted");
    const small = await answerRsvp(tokens[2]!.token, { attend: true, seats: 1, notes: null });
    expect(small.invitee.rsvpStatus).toBe("waitlisted");
    expect(await refusal(answerRsvp(tokens[2]!.token, { attend: true, seats: 4, notes: null }))).toBe("seats_not_allowed");
  });

  it("refuses answers after the deadline, to a cancelled event and through a forged link, changing nothing", async () => {
    const { event, tokens } = await publishedEvent(3, { capacity: 5 });
    await answerRsvp(tokens[0]!.token, { attend: true, seats: 1, notes: null });
    expect(await refusal(answerRsvp("forged-token-that-is-long-enough-000000", { attend: true, seats: 1, notes: null }))).toBe("not_found");
    expect(await rsvpForPage("forged-token-that-is-long-enough-000000")).toBeNull();

    await queryRows(sql`update events set rsvp_deadline = now() - interval '1 minute', starts_at = now() + interval '1 hour', ends_at = now() + interval '3 hours' where id = ${event.id}`);
    expect(await refusal(answerRsvp(tokens[1]!.token, { attend: true, seats: 1, notes: null }))).toBe("deadline_passed");
    expect((await rsvpForPage(tokens[1]!.token))!.invitee.rsvpStatus).toBeNull();
    // After the deadline an invitee can still cancel.
    expect((await cancelRsvp(tokens[0]!.token)).invitee.rsvpStatus).toBe("cancelled");

    const { emailed } = await changeEventStatus(event.id, "cancel", { message: "台風のため" });
    expect(emailed).toBe(0);
    expect(await refusal(answerRsvp(tokens[2]!.token, { attend: true, seats: 1, notes: null }))).toBe("event_cancelled");
  });

  it("emails everyone holding or waiting for a seat when the event is cancelled", async () => {
    const { event, tokens } = await publishedEvent(3, { capacity: 1 });
    for (const t of tokens.slice(0, 2)) await answerRsvp(t.token, { attend: true, seats: 1, notes: null });
    const { emailed } = await changeEventStatus(event.id, "cancel", { message: null });
    expect(emailed).toBe(2);
    expect((await mails("event-cancelled")).map((m) => m.to_email).sort()).toEqual([tokens[0]!.to, tokens[1]!.to].sort());
  });

  it("refuses zero or negative capacity, an end before the start and a bad time zone, naming the field", async () => {
    expect(await refusal(createEvent(eventInput({ capacity: 0 }), null))).toBe("capacity:not_positive_integer");
    expect(await refusal(createEvent(eventInput({ capacity: -5 }), null))).toBe("capacity:not_positive_integer");
    const startsAt = new Date(Date.now() + HOUR);
    expect(await refusal(createEvent(eventInput({ startsAt, endsAt: new Date(startsAt.getTime() - 1) }), null))).toBe("endsAt:end_not_after_start");
    expect(await refusal(createEvent(eventInput({ timeZone: "Mars/Olympus" }), null))).toBe("timeZone:invalid_time_zone");
    expect(await refusal(createEvent(eventInput({ venue: null, onlineUrl: null }), null))).toBe("venue:required");
    expect(Number((await queryRows<{ n: number }>(sql`select count(*)::int as n from events`))[0]!.n)).toBe(0);
  });

  it("keeps no stakeholder of a file with a bad row, and names the row and field", async () => {
    const event = await createEvent(eventInput(), null);
    const result = await inviteStakeholders(
      event.id,
      [
        { name: "A", email: "a@example.com", kind: "supplier" },
        { name: "", email: "not-an-email", kind: "alien" },
      ],
      "csv",
      null,
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        { row: 2, field: "name", problem: "required" },
        { row: 2, field: "email", problem: "invalid_email" },
        { row: 2, field: "kind", problem: "unknown_kind" },
      ],
    });
    expect(Number((await queryRows<{ n: number }>(sql`select count(*)::int as n from event_invitees`))[0]!.n)).toBe(0);
  });

  it("checks a ticket in once at two doors at once, refuses another event's ticket, and credits an ambassador once", async () => {
    const [c] = await queryRows<{ id: number }>(
      sql`insert into customers (external_id, email, name, locale, marketing_consent) values ('C1', 'amb@example.com', '大使 花子', 'ja', true) returning id`,
    );
    const [m] = await queryRows<{ id: number }>(
      sql`insert into programme_members (customer_id, display_name, contact_consent, referral_code) values (${c!.id}, '花子', true, 'ABCD2345') returning id`,
    );
    const event = await createEvent(eventInput({ capacity: 10 }), null);
    const invited = await inviteCustomers(event.id, { kind: "members" }, null);
    expect(invited.invited).toBe(1);
    await publishEvent(event.id);
    const [{ token }] = await rsvpTokens(event.id);
    const { invitee } = await answerRsvp(token!, { attend: true, seats: 1, notes: "ベジタリアン" });
    expect(invitee.kind).toBe("member");
    const code = invitee.ticketCode!;

    const [a, b] = await Promise.all([checkIn(event.id, { code }, { id: null, door: "north" }), checkIn(event.id, { code }, { id: null, door: "south" })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const second = (a.ok ? b : a) as Extract<Awaited<ReturnType<typeof checkIn>>, { reason: "already" }>;
    expect(second.reason).toBe("already");
    expect(second.at).toBeInstanceOf(Date);
    expect(Number((await queryRows<{ n: number }>(sql`select count(*)::int as n from event_invitees where checked_in_at is not null`))[0]!.n)).toBe(1);

    const [activity] = await queryRows<{ n: number; points: number }>(
      sql`select count(*)::int as n, (select points from programme_members where id = ${m!.id}) as points from member_activity where member_id = ${m!.id} and kind = 'event_attended'`,
    );
    expect(activity!.n).toBe(1);
    expect(activity!.points).toBeGreaterThan(0);

    const other = await createEvent(eventInput({ title: { ja: "別の会", en: "Another meeting" } }), null);
    await changeEventStatus(other.id, "publish");
    const wrong = await checkIn(other.id, { code }, { id: null, door: null });
    expect(wrong).toMatchObject({ ok: false, reason: "other_event", eventTitle: { ja: "春のタウンミーティング" } });
    expect(await checkIn(event.id, { code: "not a ticket" }, { id: null, door: null })).toMatchObject({ ok: false, reason: "not_a_ticket" });

    // A walk-in is added confirmed and checked in; the same address again is refused with the name.
    const walkIn = await addWalkIn(event.id, { name: "飛び入り 太郎", email: "walk@example.com", kind: "partner", organisation: "農園", notes: null }, { id: null, door: "north" });
    expect(walkIn.checkedInAt).not.toBeNull();
    expect(await refusal(addWalkIn(event.id, { name: "x", email: "WALK@example.com", kind: "partner", organisation: null, notes: null }, { id: null, door: null }))).toBe(
      "walk_in_already_invited",
    );

    // After the event: the figures by type and segment, and the feedback survey to those who came.
    await changeEventStatus(event.id, "finish");
    const report = (await eventReport(event.id))!;
    expect(report.counts).toMatchObject({ confirmed: 2, checkedIn: 2, walkIns: 1 });
    expect(report.byKind.find((r) => r.key === "member")).toMatchObject({ invited: 1, checked_in: 1, no_show: 0 });
    expect(report.byKind.find((r) => r.key === "partner")).toMatchObject({ walk_ins: 1 });

    const surveyId = await createSurvey(
      { layout: "all_on_one", linkDays: 30, reminderDays: null, intro: { ja: "", en: "" }, thanks: { ja: "", en: "" }, title: { ja: "感想", en: "Feedback" } },
      [{ key: "nps", type: "nps", label: { ja: "おすすめしますか", en: "Recommend?" }, required: true, construct: "recommend" }],
      null,
    );
    await setSurveyStatus(surveyId, "open");
    const openToken = (await getSurvey(surveyId))!.openToken;
    const feedback = await sendFeedback(event.id, surveyId);
    expect(feedback.emailed).toBe(2);
    const thanks = await mails("event-thanks");
    expect(thanks.find((t) => t.to_email === "amb@example.com")!.data.feedbackUrl).toMatch(/\/s\/[A-Za-z0-9_-]{20,}$/);
    expect(String(thanks.find((t) => t.to_email === "walk@example.com")!.data.feedbackUrl).endsWith(`/s/o/${openToken}`)).toBe(true);
    expect((await sendFeedback(event.id, surveyId)).emailed).toBe(0);
  });
});
