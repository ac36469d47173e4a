// The staff mailbox with the local transport: what was "sent" is kept and shown; only an admin
// may send a failed message again.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { enqueueEmail } from "~/models/outbox.server";
import * as list from "~/routes/staff.mailbox._index";
import * as message from "~/routes/staff.mailbox.$id";
import * as templates from "~/routes/staff.mailbox.templates";
import { drainOutbox } from "~/services/mail-worker.server";
import { localTransport } from "~/utils/email-transport.server";
import { useTestDatabase } from "../setup/db";
import { get, post, staffSession } from "../support/requests";

function call(handler: unknown, request: Request, id?: number) {
  return (handler as (args: unknown) => Promise<unknown>)({ request, params: { id: String(id) }, context: {} }).catch((e: unknown) => e);
}

async function queueSignIn(n: number) {
  await enqueueEmail({
    template: "magic-link",
    idempotencyKey: `magic-link:${n}`,
    to: `member${n}@example.com`,
    customerId: null,
    locale: "en",
    data: { signInUrl: `https://portal.example/m/${n}`, expiresInMinutes: 15 },
  });
  const [row] = await queryRows<{ id: number }>(sql`select id from outbox_messages where idempotency_key = ${`magic-link:${n}`}`);
  return Number(row!.id);
}

describe("the mailbox", () => {
  useTestDatabase();

  it("lists messages by status and shows one as delivered by the local transport", async () => {
    const { cookie } = await staffSession("viewer");
    const id = await queueSignIn(1);
    await queueSignIn(2);
    await drainOutbox({ transport: localTransport });

    const page = (await call(list.loader, get("/staff/mailbox?status=sent", cookie))) as Awaited<ReturnType<typeof list.loader>>;
    expect(page.transport).toBe("local");
    expect(page.counts).toMatchObject({ sent: 2, queued: 0, failed: 0 });
    expect(page.items.map((m) => m.toEmail)).toEqual(["member2@example.com", "member1@example.com"]);
    const none = (await call(list.loader, get("/staff/mailbox?status=failed", cookie))) as typeof page;
    expect(none.items).toEqual([]);

    const view = (await call(message.loader, get(`/staff/mailbox/${id}`, cookie), id)) as Awaited<ReturnType<typeof message.loader>>;
    expect(view.kept).toBe(true);
    expect(view.message.status).toBe("sent");
    expect(view.mail.html).toContain("https://portal.example/m/1");
    expect(view.mail.text).toContain("https://portal.example/m/1");
    expect(view.canRetry).toBe(false);
  });

  it("hides personal links from everyone but admins", async () => {
    const viewer = await staffSession("viewer");
    const admin = await staffSession("admin");
    await enqueueEmail({
      template: "magic-link",
      idempotencyKey: "magic-link:secret",
      to: "member@example.com",
      customerId: null,
      locale: "en",
      data: { signInUrl: "https://portal.example/m/sign-in/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg", expiresInMinutes: 15 },
    });
    await drainOutbox({ transport: localTransport });
    const [row] = await queryRows<{ id: number }>(sql`select id from outbox_messages where idempotency_key = 'magic-link:secret'`);
    const id = Number(row!.id);
    const seen = (await call(message.loader, get(`/staff/mailbox/${id}`, viewer.cookie), id)) as Awaited<ReturnType<typeof message.loader>>;
    expect(seen.redacted).toBe(true);
    expect(seen.mail.html).not.toContain("AbCdEfGhIjKlMnOpQrStUvWxYz");
    expect(seen.mail.text).not.toContain("AbCdEfGhIjKlMnOpQrStUvWxYz");
    expect(seen.mail.html).toContain("https://portal.example/m/sign-in/••••••");
    const full = (await call(message.loader, get(`/staff/mailbox/${id}`, admin.cookie), id)) as typeof seen;
    expect(full.redacted).toBe(false);
    expect(full.mail.html).toContain("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg");
  });

  it("hides a token in a link's query string too, in the message, its headers and the list", async () => {
    const viewer = await staffSession("viewer");
    const admin = await staffSession("admin");
    const secret = "q7Rr-short-but-secret";
    await enqueueEmail({
      template: "magic-link",
      idempotencyKey: "magic-link:query",
      to: "member@example.com",
      customerId: null,
      locale: "en",
      data: { signInUrl: `https://portal.example/m/sign-in?lang=en&token=${secret}`, expiresInMinutes: 15 },
    });
    await drainOutbox({ transport: localTransport });
    const [row] = await queryRows<{ id: number }>(sql`select id from outbox_messages where idempotency_key = 'magic-link:query'`);
    const id = Number(row!.id);
    // A provider's error that quotes the link is stored mail as well.
    await queryRows(sql`update outbox_messages set last_error = ${`422: bad link https://portal.example/m/sign-in?token=${secret}`} where id = ${id}`);
    const seen = (await call(message.loader, get(`/staff/mailbox/${id}`, viewer.cookie), id)) as Awaited<ReturnType<typeof message.loader>>;
    const shown = JSON.stringify(seen);
    expect(shown).not.toContain(secret);
    expect(seen.mail.html).toContain("https://portal.example/m/sign-in?lang=en&amp;token=••••••");
    expect(seen.mail.text).toContain("https://portal.example/m/sign-in?lang=en&token=••••••");
    expect(seen.message.lastError).toBe("422: bad link https://portal.example/m/sign-in?token=••••••");
    const listed = await call(list.loader, get("/staff/mailbox", viewer.cookie));
    expect(JSON.stringify(listed)).not.toContain(secret);
    const full = (await call(message.loader, get(`/staff/mailbox/${id}`, admin.cookie), id)) as typeof seen;
    expect(full.mail.text).toContain(`token=${secret}`);
    expect(JSON.stringify(await call(list.loader, get("/staff/mailbox", admin.cookie)))).toContain(secret);
  });

  it("lets only an admin retry a failed message", async () => {
    const viewer = await staffSession("viewer");
    const staff = await staffSession("staff");
    const admin = await staffSession("admin");
    const id = await queueSignIn(1);
    await queryRows(sql`update outbox_messages set status = 'failed', last_error = '422 validation_error: bad' where id = ${id}`);

    for (const who of [viewer, staff]) {
      const denied = (await call(message.action, post(`/staff/mailbox/${id}`, {}, who.cookie), id)) as Response;
      expect(denied.status).toBe(403);
    }
    const view = (await call(message.loader, get(`/staff/mailbox/${id}`, admin.cookie), id)) as Awaited<ReturnType<typeof message.loader>>;
    expect(view.canRetry).toBe(true);
    expect(view.kept).toBe(false);
    expect(view.mail.html).toContain("https://portal.example/m/1");

    expect(await call(message.action, post(`/staff/mailbox/${id}`, {}, admin.cookie), id)).toEqual({ retried: true });
    const [row] = await queryRows<{ status: string }>(sql`select status from outbox_messages where id = ${id}`);
    expect(row!.status).toBe("queued");
    const again = (await call(message.action, post(`/staff/mailbox/${id}`, {}, admin.cookie), id)) as { init: { status: number } };
    expect(again.init.status).toBe(409);
  });

  it("previews every template in both languages with the brand's settings", async () => {
    const { cookie } = await staffSession("viewer");
    const ja = (await call(templates.loader, get("/staff/mailbox/templates?template=event-confirmation&locale=ja", cookie))) as Awaited<ReturnType<typeof templates.loader>>;
    const en = (await call(templates.loader, get("/staff/mailbox/templates?template=event-confirmation&locale=en", cookie))) as typeof ja;
    expect(ja.html).toContain('lang="ja"');
    expect(en.html).toContain('lang="en"');
    expect(ja.subject).not.toBe(en.subject);
    expect(ja.html).toContain("Loyalty Portal");
    expect(ja.attachments[0]?.content).toContain("BEGIN:VCALENDAR");
    expect(ja.html).toContain("http://localhost:3000/u/sample");
  });
});
