// The outbox and its worker against a fake Resend server on 127.0.0.1 (the real SDK, pointed at it
// through RESEND_BASE_URL), on PGlite and on PostgreSQL.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { enqueueEmail, enqueueEmails, unsubscribeCustomer, type OutgoingEmail } from "~/models/outbox.server";
import { claim, deliver, drainOutbox, processOne, type MailWorkerOptions } from "~/services/mail-worker.server";
import { transportFromEnv } from "~/utils/email-transport.server";
import { resetEnvForTests } from "~/utils/env.server";
import { useTestDatabase } from "../setup/db";
import { startFakeResend, type FakeResend } from "../../bench/fake-resend";

let fake: FakeResend;
let worker: MailWorkerOptions;

async function addCustomer(externalId: string, consent: boolean, email = `${externalId}@example.com`) {
  const [row] = await queryRows<{ id: number }>(
    sql`insert into customers (external_id, email, name, marketing_consent) values (${externalId}, ${email}, ${`Name ${externalId}`}, ${consent}) returning id`,
  );
  return Number(row!.id);
}

function signInMail(n: number, to = `member${n}@example.com`): OutgoingEmail<"magic-link"> {
  return {
    template: "magic-link",
    idempotencyKey: `magic-link:${n}`,
    to,
    customerId: null,
    locale: n % 2 ? "en" : "ja",
    data: { signInUrl: `https://portal.example/m/sign-in/${n}`, expiresInMinutes: 15 },
  };
}

function surveyInvitation(customerId: number, key = `survey-invitation:1:${customerId}`): OutgoingEmail<"survey-invitation"> {
  return {
    template: "survey-invitation",
    idempotencyKey: key,
    to: `c${customerId}@example.com`,
    customerId,
    locale: "ja",
    data: {
      customerName: "山田 花子",
      surveyTitle: "ご愛顧アンケート",
      surveyUrl: "https://portal.example/s/abc",
      expiresAt: null,
      estimatedMinutes: 3,
    },
  };
}

async function messages() {
  return queryRows<{ idempotency_key: string; status: string; attempts: number; provider_id: string | null; last_error: string | null }>(
    sql`select idempotency_key, status, attempts, provider_id, last_error from outbox_messages order by id`,
  );
}

/** Lets the clock "pass" for a scheduled retry without sleeping through it. */
async function makeRetriesDue() {
  await getDb().execute(sql`update outbox_sends set next_attempt_at = now() where status = 'open'`);
}

describe("outbox and worker", () => {
  useTestDatabase();

  beforeEach(async () => {
    fake = await startFakeResend();
    process.env.RESEND_API_KEY = "re_test_key";
    process.env.RESEND_BASE_URL = fake.url;
    resetEnvForTests();
    worker = { transport: transportFromEnv(), workerId: "w1", baseDelayMs: 1_000, random: () => 0.5 };
  });

  afterEach(async () => {
    delete process.env.RESEND_API_KEY;
    delete process.env.RESEND_BASE_URL;
    resetEnvForTests();
    await fake.close();
  });

  it("sends one message through the SDK with its idempotency key, unsubscribe headers and both parts", async () => {
    const customerId = await addCustomer("C1", true);
    await enqueueEmail(surveyInvitation(customerId));
    expect(await processOne(worker)).toBe(true);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ path: "/emails", idempotencyKey: `survey-invitation:1:${customerId}`, status: 200 });
    const body = request!.body as Record<string, unknown>;
    expect(body).toMatchObject({ from: "Loyalty Portal <noreply@example.com>", to: [`c${customerId}@example.com`] });
    expect(body.subject).toEqual(expect.stringContaining("ご愛顧アンケート"));
    expect(body.html).toEqual(expect.stringContaining("https://portal.example/s/abc"));
    expect(body.text).toEqual(expect.stringContaining("https://portal.example/s/abc"));
    expect(body.text).not.toMatch(/<[a-z]/i);
    const headers = body.headers as Record<string, string>;
    expect(headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:\d+\/u\/[\w.-]+>$/);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(body.html).toEqual(expect.stringContaining(headers["List-Unsubscribe"]!.slice(1, -1)));

    const [row] = await messages();
    expect(row).toMatchObject({ status: "sent", attempts: 1, provider_id: fake.delivered[0]!.id, last_error: null });
  });

  it("keeps no readable personal link in the outbox once the provider has the message", async () => {
    const token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg";
    await enqueueEmail({ ...signInMail(1), data: { signInUrl: `https://portal.example/m/sign-in/${token}`, expiresInMinutes: 15 } });
    const [queued] = await queryRows<{ data: string }>(sql`select data::text as data from outbox_messages`);
    expect(queued!.data).toContain(token); // needed until it is sent (rendering, retries)
    await processOne(worker);
    expect(JSON.stringify(fake.requests[0]!.body)).toContain(token);
    const [sent] = await queryRows<{ data: { signInUrl: string; expiresInMinutes: number } }>(sql`select data from outbox_messages`);
    expect(sent!.data).toEqual({ signInUrl: "https://portal.example/m/sign-in/••••••", expiresInMinutes: 15 });
  });

  it("blanks a token in a link's query string as well once the message is sent", async () => {
    await enqueueEmail({ ...signInMail(1), data: { signInUrl: "https://portal.example/m/sign-in?lang=ja&token=q7Rr-short-but-secret", expiresInMinutes: 15 } });
    await processOne(worker);
    expect(JSON.stringify(fake.requests[0]!.body)).toContain("token=q7Rr-short-but-secret");
    const [sent] = await queryRows<{ data: { signInUrl: string } }>(sql`select data from outbox_messages`);
    expect(sent!.data.signInUrl).toBe("https://portal.example/m/sign-in?lang=ja&token=••••••");
  });

  it("batches up to 100 messages a request and sends each once", async () => {
    await enqueueEmails(Array.from({ length: 250 }, (_, n) => signInMail(n)));
    await drainOutbox(worker);

    const batchSizes = fake.requests.map((r) => (r.body as unknown[]).length).sort((a, b) => b - a);
    expect(fake.requests.every((r) => r.path === "/emails/batch" && r.batchValidation === "permissive")).toBe(true);
    expect(batchSizes).toEqual([100, 100, 50]);
    expect(new Set(fake.requests.map((r) => r.idempotencyKey)).size).toBe(3);
    expect(fake.delivered).toHaveLength(250);
    expect(new Set(fake.delivered.map((d) => d.to[0])).size).toBe(250);
    const rows = await messages();
    expect(rows.every((r) => r.status === "sent" && r.provider_id)).toBe(true);
    expect(new Set(rows.map((r) => r.provider_id)).size).toBe(250);
  });

  it("waits as long as a 429's Retry-After says, then sends with the same key", async () => {
    await enqueueEmail(signInMail(1));
    fake.failNext({ status: 429, name: "rate_limit_exceeded", headers: { "retry-after": "30" } });
    await processOne(worker);

    const [send] = await queryRows<{ wait_s: number; last_error: string }>(
      sql`select extract(epoch from next_attempt_at - now())::float8 as wait_s, last_error from outbox_sends`,
    );
    expect(send!.wait_s).toBeGreaterThan(28);
    expect(send!.wait_s).toBeLessThanOrEqual(30);
    expect(send!.last_error).toContain("429 rate_limit_exceeded");
    expect(await processOne(worker)).toBe(false); // not due yet
    expect((await messages())[0]!.status).toBe("sending");

    await makeRetriesDue();
    expect(await processOne(worker)).toBe(true);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(fake.requests[0]!.idempotencyKey).toBe(fake.requests[1]!.idempotencyKey);
    expect((await messages())[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("retries a 500 after an exponential back-off with jitter, then succeeds", async () => {
    await enqueueEmail(signInMail(1));
    fake.failNext({ status: 500, name: "internal_server_error" }, { status: 500, name: "internal_server_error" });
    await processOne(worker);
    const delay = async () =>
      (await queryRows<{ ms: number }>(sql`select extract(epoch from next_attempt_at - now())::float8 * 1000 as ms from outbox_sends`))[0]!.ms;
    // attempt 1: base 1 s → between 0.5 s and 1 s; with random() = 0.5: 0.75 s.
    expect(await delay()).toBeGreaterThan(600);
    expect(await delay()).toBeLessThanOrEqual(750);
    await makeRetriesDue();
    await processOne(worker);
    // attempt 2: 2 s → 1.5 s.
    expect(await delay()).toBeGreaterThan(1_350);
    expect(await delay()).toBeLessThanOrEqual(1_500);
    await makeRetriesDue();
    await processOne(worker);

    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(fake.requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(fake.delivered).toHaveLength(1);
    expect((await messages())[0]).toMatchObject({ status: "sent", attempts: 3, last_error: null });
  });

  it("stops at a permanent 422 and shows the reason; in a batch only the refused address fails", async () => {
    await enqueueEmail(signInMail(1));
    fake.failNext({ status: 422, name: "validation_error", message: "The `from` domain is not verified." });
    await processOne(worker);
    await makeRetriesDue();
    expect(await processOne(worker)).toBe(false);
    expect((await messages())[0]).toMatchObject({
      status: "failed",
      last_error: "422 validation_error: The `from` domain is not verified.",
    });

    await enqueueEmails([signInMail(2), signInMail(3, "not-an-address"), signInMail(4)]);
    await drainOutbox(worker);
    const rows = await messages();
    expect(rows.slice(1).map((r) => r.status)).toEqual(["sent", "failed", "sent"]);
    expect(rows[2]!.last_error).toContain("not-an-address");
    expect(fake.delivered.map((d) => d.to[0])).toEqual(["member2@example.com", "member4@example.com"]);
  });

  it("gives up after the last attempt and says why", async () => {
    await enqueueEmail(signInMail(1));
    fake.failNext(...Array.from({ length: 3 }, () => ({ status: 503, name: "application_error" })));
    for (let i = 0; i < 3; i++) {
      await processOne({ ...worker, maxAttempts: 3 });
      await makeRetriesDue();
    }
    expect((await messages())[0]).toMatchObject({ status: "failed", attempts: 3 });
    expect((await messages())[0]!.last_error).toMatch(/^gave up after 3 attempts: 503/);
  });

  it("a worker killed between claim and send: the message goes out once, after the lease", async () => {
    await enqueueEmail(signInMail(1));
    const claimed = await claim({ ...worker, workerId: "dies", leaseMs: 300 });
    expect(claimed?.messages).toHaveLength(1);
    // ...the worker dies here. Another one finds nothing it may take while the lease holds.
    expect(await processOne({ ...worker, workerId: "survivor" })).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await processOne({ ...worker, workerId: "survivor" })).toBe(true);

    expect(fake.delivered).toHaveLength(1);
    expect((await messages())[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("a worker killed after sending but before recording: the retry carries the same key and delivers nothing new", async () => {
    await enqueueEmails([signInMail(1), signInMail(2)]);
    const claimed = await claim({ ...worker, workerId: "dies", leaseMs: 300 });
    expect(await deliver(claimed!, worker)).toMatchObject({ kind: "accepted" });
    // ...the worker dies before recording: the provider has the mail, the outbox does not know.
    expect(fake.delivered).toHaveLength(2);
    expect((await messages()).map((m) => m.status)).toEqual(["sending", "sending"]);

    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await processOne({ ...worker, workerId: "survivor" })).toBe(true);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.idempotencyKey).toBe(fake.requests[0]!.idempotencyKey);
    expect(fake.delivered).toHaveLength(2);
    const rows = await messages();
    expect(rows.map((m) => m.status)).toEqual(["sent", "sent"]);
    expect(rows.map((m) => m.provider_id).sort()).toEqual(fake.delivered.map((d) => d.id).sort());
  });

  it("two workers racing over 1,000 messages send each exactly once", async () => {
    await enqueueEmails(Array.from({ length: 1000 }, (_, n) => signInMail(n)));
    const [a, b] = await Promise.all([
      drainOutbox({ ...worker, workerId: "a", concurrency: 2 }),
      drainOutbox({ ...worker, workerId: "b", concurrency: 2 }),
    ]);
    expect(a + b).toBeGreaterThanOrEqual(10);
    expect(fake.delivered).toHaveLength(1000);
    expect(new Set(fake.delivered.map((d) => d.to[0])).size).toBe(1000);
    const workers = await queryRows<{ worker: string; n: number }>(
      sql`select worker, count(*)::int as n from outbox_sends group by worker order by worker`,
    );
    expect(workers.map((w) => w.worker)).toEqual(["a", "b"]);
    expect((await messages()).every((m) => m.status === "sent" && m.attempts === 1)).toBe(true);
  });

  it("keeps an outbox row only if its transaction commits, and one row per idempotency key", async () => {
    const customerId = await addCustomer("C1", true);
    await expect(
      getDb().transaction(async (tx) => {
        await tx.execute(sql`update customers set name = 'changed' where id = ${customerId}`);
        await enqueueEmail(surveyInvitation(customerId), tx);
        throw new Error("the invitation failed");
      }),
    ).rejects.toThrow("the invitation failed");
    expect(await messages()).toEqual([]);

    expect(await enqueueEmail(surveyInvitation(customerId))).toEqual({ queued: 1, duplicates: 0, suppressed: 0 });
    expect(await enqueueEmail(surveyInvitation(customerId))).toEqual({ queued: 0, duplicates: 1, suppressed: 0 });
    expect(await messages()).toHaveLength(1);
  });

  it("refuses marketing mail without consent and counts it; transactional mail still goes out", async () => {
    const consenting = await addCustomer("C1", true);
    const refusing = await addCustomer("C2", false);
    expect(await enqueueEmails([surveyInvitation(consenting), surveyInvitation(refusing)])).toEqual({
      queued: 1,
      duplicates: 0,
      suppressed: 1,
    });

    // Unsubscribing after the mail was queued still stops it.
    await enqueueEmail(surveyInvitation(consenting, "survey-reminder-like:1"));
    await unsubscribeCustomer(consenting);
    await enqueueEmail({ ...signInMail(1, `c${consenting}@example.com`), customerId: consenting });
    await drainOutbox(worker);

    const rows = await messages();
    expect(rows.map((r) => [r.idempotency_key, r.status])).toEqual([
      [`survey-invitation:1:${consenting}`, "suppressed"],
      [`survey-invitation:1:${refusing}`, "suppressed"],
      ["survey-reminder-like:1", "suppressed"],
      ["magic-link:1", "sent"],
    ]);
    expect(fake.delivered.map((d) => d.subject)).toHaveLength(1);
    // A later import saying "consent: yes" does not undo an unsubscribe.
    await getDb().execute(sql`update customers set marketing_consent = true where id = ${consenting}`);
    expect((await enqueueEmail(surveyInvitation(consenting, "again"))).suppressed).toBe(1);
  });
});
