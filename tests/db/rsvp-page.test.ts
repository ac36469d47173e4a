// The RSVP page /e/<token> as an invitee uses it (issue 18), on PGlite and PostgreSQL: the emailed link
// answers "attend" (303 back to the page, which then shows the ticket and its QR code, and the .ics
// follows); a forged token is 404 on the page, its answer and its calendar, never 500; a link of an event
// over for 30 days is 410; an answer after the deadline is refused with its reason and changes nothing;
// a member opens only their own invitation from the member page.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import * as page from "~/routes/e.$token";
import * as calendar from "~/routes/e.$token.calendar[.]ics";
import { createEvent, inviteStakeholders, memberRsvpLink, publishEvent, type EventFormInput } from "~/services/events.server";
import { get, post, run } from "../support/requests";
import { useTestDatabase } from "../setup/db";

const HOUR = 3_600_000;
type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
const at = (handler: unknown, token: string) => (args: { request: Request; context: object }) => (handler as Handler)({ ...args, params: { token } });

function input(overrides: Partial<EventFormInput> = {}): EventFormInput {
  const startsAt = new Date(Date.now() + 48 * HOUR);
  return {
    title: { ja: "冬のタウンミーティング", en: "Winter town meeting" },
    description: { ja: "", en: "" },
    agenda: { ja: "", en: "" },
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * HOUR),
    timeZone: "Asia/Tokyo",
    venue: "渋谷",
    onlineUrl: null,
    capacity: 1,
    rsvpDeadline: null,
    companionsAllowed: 0,
    ...overrides,
  };
}

async function emailedTokens(overrides: Partial<EventFormInput> = {}) {
  const event = await createEvent(input(overrides), null);
  await inviteStakeholders(
    event.id,
    [
      { name: "Aiko", email: "aiko@example.com", kind: "partner", locale: "en" },
      { name: "Ben", email: "ben@example.com", kind: "supplier", locale: "ja" },
    ],
    "stakeholder",
    null,
  );
  await publishEvent(event.id);
  const rows = await queryRows<{ url: string }>(sql`select data->>'rsvpUrl' as url from outbox_messages where template = 'event-invitation' order by to_email`);
  return { event, tokens: rows.map((r) => r.url.split("/e/")[1]!) };
}

describe("the RSVP page", () => {
  useTestDatabase();

  it("answers from the emailed link, shows the ticket and its calendar file; a second invitee is waitlisted", async () => {
    const { tokens } = await emailedTokens();
    const [aiko, ben] = tokens as [string, string];
    const answer = await run(at(page.action, aiko), post(`/e/${aiko}`, { intent: "attend", seats: "1", notes: "Vegetarian" }));
    expect(answer.status).toBe(303);
    expect(answer.headers.get("Location")).toBe(`/e/${aiko}`);
    const shown = (await (await run(at(page.loader, aiko), get(`/e/${aiko}`))).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ state: "ok", rsvp: "confirmed", notes: "Vegetarian", locale: "en" });
    expect(String(shown.ticketQr)).toMatch(/^data:image\/svg\+xml;base64,/);
    const ics = await run(at(calendar.loader, aiko), get(`/e/${aiko}/calendar.ics`));
    expect(ics.status).toBe(200);
    expect(ics.headers.get("Content-Type")).toMatch(/^text\/calendar/);
    expect(await ics.text()).toMatch(/DTSTART:\d{8}T\d{6}Z/);

    expect((await run(at(page.action, ben), post(`/e/${ben}`, { intent: "attend", seats: "1" }))).status).toBe(303);
    const waiting = (await (await run(at(page.loader, ben), get(`/e/${ben}`))).json()) as Record<string, unknown>;
    expect(waiting).toMatchObject({ rsvp: "waitlisted", position: 1, ticketQr: null });
    // No calendar file without a seat.
    expect((await run(at(calendar.loader, ben), get(`/e/${ben}/calendar.ics`))).status).toBe(404);
    // Seats beyond what the event allows: refused by the same schema, nothing changed.
    const tooMany = await run(at(page.action, ben), post(`/e/${ben}`, { intent: "attend", seats: "99" }));
    expect(tooMany.status).toBe(400);
  });

  it("answers a forged token 404 on the page, its answer and its calendar, and an old event's link 410", async () => {
    const forged = "A".repeat(43);
    expect((await run(at(page.loader, forged), get(`/e/${forged}`))).status).toBe(404);
    expect((await run(at(page.action, forged), post(`/e/${forged}`, { intent: "attend", seats: "1" }))).status).toBe(404);
    expect((await run(at(page.action, "short"), post(`/e/short`, { intent: "cancel" }))).status).toBe(404);
    expect((await run(at(calendar.loader, forged), get(`/e/${forged}/calendar.ics`))).status).toBe(404);

    const { event, tokens } = await emailedTokens();
    await queryRows(sql`update events set starts_at = now() - interval '41 days', ends_at = now() - interval '40 days', rsvp_deadline = null where id = ${event.id}`);
    expect((await run(at(page.loader, tokens[0]!), get(`/e/${tokens[0]}`))).status).toBe(410);
    expect((await run(at(page.action, tokens[0]!), post(`/e/${tokens[0]}`, { intent: "attend", seats: "1" }))).status).toBe(410);
  });

  it("refuses an answer after the deadline with its reason, and changes nothing", async () => {
    const { event, tokens } = await emailedTokens();
    await queryRows(sql`update events set rsvp_deadline = now() - interval '1 minute' where id = ${event.id}`);
    const refused = await run(at(page.action, tokens[0]!), post(`/e/${tokens[0]}`, { intent: "attend", seats: "1" }));
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: "deadline_passed" });
    const [row] = await queryRows<{ n: number }>(sql`select count(*)::int as n from event_invitees where rsvp_status is not null`);
    expect(row!.n).toBe(0);
  });

  it("gives a member a link to their own invitation only", async () => {
    const { event } = await emailedTokens();
    const [customer] = await queryRows<{ id: number }>(
      sql`insert into customers (external_id, email, name, locale, marketing_consent) values ('M1', 'm1@example.com', 'Member', 'ja', true) returning id::int as id`,
    );
    const [other] = await queryRows<{ id: number }>(
      sql`insert into event_invitees (event_id, kind, customer_id, name, email, locale, source) values (${event.id}, 'customer', ${customer!.id}, 'Member', 'm1@example.com', 'ja', 'list') returning id::int as id`,
    );
    const token = await memberRsvpLink(customer!.id, other!.id);
    expect((await run(at(page.loader, token), get(`/e/${token}`))).status).toBe(200);
    const [stranger] = await queryRows<{ id: number }>(sql`select id::int as id from event_invitees where customer_id is null order by id limit 1`);
    await expect(memberRsvpLink(customer!.id, stranger!.id)).rejects.toMatchObject({ key: "not_found", status: 404 });
  });
});
