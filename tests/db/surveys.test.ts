// Surveys end to end on a real database: invitations through the outbox, personal links, answers in
// progress, exactly one response per link under concurrent submits, expiry, and bad input refused.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { describe, expect, it, onTestFinished } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey, replaceQuestions, setSurveyStatus } from "~/models/surveys.server";
import * as personal from "~/routes/s.$token";
import { answerRoute, handleAnswerRequest } from "~/services/answer-endpoint.server";
import { inviteRecipients, previewRecipients, responseCounts, sendDueReminders, sendProgress, startInvitations } from "~/services/survey-distribution.server";
import { drainJobs } from "~/services/jobs/runner.server";
import { openPersonalLink, saveDraft, submitByLink, submitOpen } from "~/services/survey-responses.server";
import { structureOf } from "~/schemas/survey";
import { hashToken } from "~/utils/crypto.server";
import { useTestDatabase } from "../setup/db";
import { BASE } from "../support/requests";

const goodAnswers = {
  attach1: 5, attach2: 4, pref1: 4, pref2: 2, cont1: 5, cont2: 4, trust1: 5, trust2: 4,
  nps: 9, wallet: "almost_all", ambassador: "yes", cocreation: "maybe", comment: "<script>alert(1)</script> 美味しい",
};

async function setup(customers = 3) {
  await getDb().execute(
    sql`insert into customers (external_id, email, name, locale, marketing_consent)
        select 'C' || g, 'c' || g || '@example.com', 'Customer ' || g, case when g % 2 = 0 then 'en' else 'ja' end, g <> 3
        from generate_series(1, ${customers}) g`,
  );
  await getDb().execute(sql`insert into customers (external_id, email, marketing_consent) values ('NOMAIL', null, true)`);
  const template = loyaltyTemplate();
  const id = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: 7 }, template.questions, null);
  await setSurveyStatus(id, "open");
  return id;
}

/** The tokens exist only in the emails: read them back from the outbox as the customer's inbox would. */
async function tokens() {
  const rows = await queryRows<{ customer: string; url: string; template: string }>(
    sql`select c.external_id as customer, m.data->>'surveyUrl' as url, m.template from outbox_messages m join customers c on c.id = m.customer_id order by m.id`,
  );
  return rows.map((r) => ({ customer: r.customer, template: r.template, token: r.url.split("/s/")[1]! }));
}

describe("survey links and answers", () => {
  useTestDatabase();

  it("invites eligible customers once, through the outbox, with links stored only as hashes", async () => {
    const id = await setup(4);
    expect(await previewRecipients(id, { kind: "all" })).toMatchObject({ selected: 5, eligible: 3, noEmail: 1, noConsent: 1, alreadyInvited: 0 });
    expect(await inviteRecipients(id, { kind: "all" })).toEqual({ invited: 3, suppressed: 0 });
    expect(await inviteRecipients(id, { kind: "all" })).toEqual({ invited: 0, suppressed: 0 });
    const sent = await tokens();
    expect(sent.map((s) => s.customer)).toEqual(["C1", "C2", "C4"]);
    for (const { token } of sent) {
      expect(token).toMatch(/^[\w-]{43}$/); // 256 random bits
      const [stored] = await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_links where token_hash = ${hashToken(token)}`);
      expect(stored!.n).toBe(1);
    }
    const [plain] = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from survey_links where token_hash = any(${`{${sent.map((s) => s.token).join(",")}}`}::text[])`,
    );
    expect(plain!.n).toBe(0);
    expect((await previewRecipients(id, { kind: "list", externalIds: ["C1", "C9", "NOPE"] })).unknownIds).toEqual(["C9", "NOPE"]);
  });

  it("sends as a job with its progress in the row, and a second start while it is queued or runs is the same send", async () => {
    const id = await setup(5);
    const job = await startInvitations(id, { kind: "all" });
    expect(job).toMatchObject({ status: "running", total: 4, invited: 0 });
    expect((await startInvitations(id, { kind: "all" })).jobId).toBe(job.jobId);
    await drainJobs();
    expect(await sendProgress(id)).toMatchObject({ status: "done", total: 4, invited: 4, suppressed: 0, jobId: job.jobId });
    const [count] = await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_invitations where survey_id = ${id}`);
    expect(count!.n).toBe(4);
  });

  it("records exactly one response when one link is submitted 50 times at once", async () => {
    const id = await setup(1);
    await inviteRecipients(id, { kind: "all" });
    const [{ token }] = await tokens();
    const results = await Promise.all(Array.from({ length: 50 }, () => submitByLink(token!, goodAnswers, "ja")));
    expect(results.filter((r) => r.kind === "recorded")).toHaveLength(1);
    expect(results.filter((r) => r.kind !== "recorded").every((r) => r.kind === "already_answered")).toBe(true);
    const responses = await queryRows<{ psych_score: number; nps_category: string; answers: Record<string, unknown> }>(
      sql`select psych_score, nps_category, answers from survey_responses where survey_id = ${id}`,
    );
    expect(responses).toHaveLength(1);
    expect(responses[0]!.nps_category).toBe("promoter");
    expect(Number(responses[0]!.psych_score)).toBeGreaterThan(70);
    expect(responses[0]!.answers.comment).toBe("<script>alert(1)</script> 美味しい");
    expect((await openPersonalLink(token!)).state).toBe("answered");
    const counts = await responseCounts(id);
    expect(counts.overall).toMatchObject({ invited: 1, opened: 0, answered: 1 });
  });

  it("keeps answers in progress, so a closed tab resumes where it stopped, and shows no one else's", async () => {
    const id = await setup(2);
    await inviteRecipients(id, { kind: "all" });
    const [first, second] = await tokens();
    expect(await saveDraft(first!.token, { attach1: "5", attach2: "4" }, 2)).toBe(true);
    const resumed = await openPersonalLink(first!.token);
    expect(resumed).toMatchObject({ state: "ok", draft: { answers: { attach1: 5, attach2: 4 }, step: 2 }, customerLocale: "ja" });
    expect((await openPersonalLink(second!.token)).draft).toBeNull();
    // An invalid draft is not kept.
    expect(await saveDraft(first!.token, { attach1: 99 }, 3)).toBe(false);
    expect((await openPersonalLink(first!.token)).draft?.step).toBe(2);
    expect((await responseCounts(id)).overall.opened).toBe(2);
  });

  it("refuses bad answers with a message per field and stores nothing", async () => {
    const id = await setup(1);
    await inviteRecipients(id, { kind: "all" });
    const [{ token }] = await tokens();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...goodAnswers, nps: 11 }, "nps", "survey.errors.outOfRange"],
      [{ ...goodAnswers, wallet: "everything" }, "wallet", "survey.errors.notOffered"],
      [{ ...goodAnswers, trust1: undefined }, "trust1", "survey.errors.required"],
      [{ ...goodAnswers, comment: "あ".repeat(2001) }, "comment", "survey.errors.tooLong"],
      [{ ...goodAnswers, q_other_survey: 3 }, "_form", "survey.errors.unknownQuestion"],
    ];
    for (const [answers, field, message] of cases) {
      const result = await submitByLink(token!, answers, "ja");
      expect(result, field).toEqual({ kind: "invalid", fieldErrors: expect.objectContaining({ [field]: message }) });
    }
    const [count] = await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_responses`);
    expect(count!.n).toBe(0);
  });

  it("gives expired, unknown, tampered and closed links a friendly state, never an error", async () => {
    const id = await setup(2);
    await inviteRecipients(id, { kind: "all" });
    const [first, second] = await tokens();
    await getDb().execute(sql`update survey_links set expires_at = now() - interval '1 minute' where token_hash = ${hashToken(first!.token)}`);
    expect((await openPersonalLink(first!.token)).state).toBe("expired");
    expect(await submitByLink(first!.token, goodAnswers, "ja")).toEqual({ kind: "unavailable", state: "expired" });
    const tampered = second!.token.slice(0, -1) + (second!.token.endsWith("A") ? "B" : "A");
    expect((await openPersonalLink(tampered)).state).toBe("unknown");
    expect((await openPersonalLink("../../etc/passwd")).state).toBe("unknown");

    const page = (await personal.loader({ request: new Request(`${BASE}/s/${tampered}`), params: { token: tampered }, context: {} })) as unknown as {
      init: { status: number };
      data: { state: string; survey: unknown };
    };
    expect(page.init.status).toBe(404);
    expect(page.data).toMatchObject({ state: "unknown", survey: null });

    await setSurveyStatus(id, "closed");
    expect((await openPersonalLink(second!.token)).state).toBe("closed");
    expect(await submitByLink(second!.token, goodAnswers, "ja")).toEqual({ kind: "unavailable", state: "closed" });
  });

  it("records an open-link answer once per submission id, anonymously", async () => {
    const id = await setup(1);
    const submission = "4b0c3e0e-2a8f-4a4e-9d5b-2f1f6f1d9a10";
    const twice = await Promise.all([submitOpen(id, submission, goodAnswers, "en"), submitOpen(id, submission, goodAnswers, "en")]);
    expect(twice.map((r) => r.kind).sort()).toEqual(["already_answered", "recorded"]);
    expect(await submitOpen(id, "not-a-uuid", goodAnswers, "en")).toMatchObject({ kind: "invalid" });
    const [row] = await queryRows<{ customer_id: number | null; channel: string }>(sql`select customer_id, channel from survey_responses`);
    expect(row).toEqual({ customer_id: null, channel: "open" });
  });

  it("gives each of many answers arriving together its own outcome (they are written in shared batches)", async () => {
    const id = await setup(4);
    await inviteRecipients(id, { kind: "all" });
    const links = (await tokens()).map((t) => t.token);
    const template = loyaltyTemplate();
    const closed = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: null }, template.questions, null);
    await setSurveyStatus(closed, "open");
    await submitOpen(closed, "9c1b8c9e-6f0a-4d8e-b7a1-0d3c2e1f4a50", goodAnswers, "ja"); // warms its cached rules
    await setSurveyStatus(closed, "closed");
    const ids = Array.from({ length: 12 }, (_, i) => `3f1e2d4c-5b6a-4978-8a9b-${String(i).padStart(12, "0")}`);
    const results = await Promise.all([
      ...links.flatMap((token) => [submitByLink(token, goodAnswers, "en"), submitByLink(token, { ...goodAnswers, nps: 3 }, "en")]),
      ...ids.map((submission) => submitOpen(id, submission, goodAnswers, "en")),
      submitOpen(id, ids[0]!.toUpperCase(), goodAnswers, "en"), // the same submission again, as another client spelled it
      submitOpen(closed, "9c1b8c9e-6f0a-4d8e-b7a1-0d3c2e1f4a51", goodAnswers, "en"),
      submitOpen(id, "5d2c7a10-0000-4000-8000-000000000001", { ...goodAnswers, nps: 11 }, "en"),
    ]);
    const kinds = results.map((r) => r.kind);
    const perLink = links.map((_, i) => kinds.slice(2 * i, 2 * i + 2).sort());
    expect(perLink).toEqual(links.map(() => ["already_answered", "recorded"]));
    const open = kinds.slice(2 * links.length);
    // The same submission twice: one of the two is recorded, whichever reached the database first.
    expect([open[0], open[12]].sort()).toEqual(["already_answered", "recorded"]);
    expect(open.slice(1, 12)).toEqual(ids.slice(1).map(() => "recorded"));
    expect(open.slice(13)).toEqual(["unavailable", "invalid"]);
    const recorded = results.flatMap((r) => (r.kind === "recorded" ? [r.responseId] : []));
    expect(new Set(recorded).size).toBe(recorded.length);
    const [counts] = await queryRows<{ responses: number; answered: number; surveyId: number }>(
      sql`select (select count(*)::int from survey_responses where survey_id = ${id}) as responses,
                 (select count(*)::int from survey_invitations where survey_id = ${id} and answered_at is not null) as answered`,
    );
    expect(counts).toMatchObject({ responses: links.length + ids.length, answered: links.length });
  });

  it("fails only the answer the database refuses when it shares a batch: the others are still recorded", async () => {
    const id = await setup(1);
    // Something the checks before the insert cannot foresee (here a trigger) refuses one row: the
    // shared statement fails, and each of its rows is tried again on its own.
    const poison = "7e57a000-0000-4000-8000-00000000dead";
    await getDb().execute(
      sql.raw(`create function refuse_one() returns trigger language plpgsql as $$
                 begin
                   if new.submission_id = '${poison}'::uuid then raise exception 'refused for the test'; end if;
                   return new;
                 end $$`),
    );
    await getDb().execute(sql.raw(`create trigger refuse_one before insert on survey_responses for each row execute function refuse_one()`));
    try {
      const good = ["0", "1", "2", "3"].map((n) => `7e57a000-0000-4000-8000-00000000000${n}`);
      // One answer first, so the survey's rules are cached and the next four reach the queue in the same turn.
      expect(await submitOpen(id, good[3]!, goodAnswers, "en")).toMatchObject({ kind: "recorded" });
      const settled = await Promise.allSettled([
        submitOpen(id, good[0]!, goodAnswers, "en"),
        submitOpen(id, poison, goodAnswers, "en"),
        submitOpen(id, good[1]!, goodAnswers, "en"),
        submitOpen(id, good[2]!, goodAnswers, "ja"),
      ]);
      expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
      expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/refused for the test/);
      expect(settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.kind] : []))).toEqual(["recorded", "recorded", "recorded"]);
      const rows = await queryRows<{ submission_id: string }>(sql`select submission_id::text from survey_responses order by submission_id`);
      expect(rows.map((r) => r.submission_id)).toEqual(good);
    } finally {
      await getDb().execute(sql.raw(`drop trigger if exists refuse_one on survey_responses`));
      await getDb().execute(sql.raw(`drop function if exists refuse_one()`));
    }
  });

  it("reminds once those who have not answered after the set number of days, with a new link that works", async () => {
    const id = await setup(2);
    await inviteRecipients(id, { kind: "all" });
    const [first] = await tokens();
    await submitByLink(first!.token, goodAnswers, "ja");
    expect(await sendDueReminders()).toBe(0); // not yet due
    await getDb().execute(sql`update survey_invitations set created_at = now() - interval '8 days'`);
    expect(await sendDueReminders()).toBe(1);
    expect(await sendDueReminders()).toBe(0);
    const reminder = (await tokens()).find((t) => t.template === "survey-reminder")!;
    expect(reminder.customer).toBe("C2");
    expect((await openPersonalLink(reminder.token)).state).toBe("ok");
    expect(id).toBeGreaterThan(0);
  });

  it("never records an answer checked against questions replaced in the meantime (the answer path caches them)", async () => {
    const template = loyaltyTemplate();
    const id = await setup(1);
    // An incomplete answer: refused, and the survey's questions are now cached by the answer path.
    expect((await submitOpen(id, "4b0c3e0e-2a8f-4a4e-9d5b-2f1f6f1d9a20", { nps: 9 }, "ja")).kind).toBe("invalid");
    const extra = { key: "visit", type: "single" as const, label: { ja: "来店頻度", en: "Visits" }, required: true, options: [{ value: "often", label: { ja: "よく", en: "Often" } }, { value: "rarely", label: { ja: "たまに", en: "Rarely" } }] };
    expect(await replaceQuestions(id, [...template.questions, extra], structureOf)).toEqual({ ok: true });
    // Valid for the old questions but not the new ones: refused, not recorded.
    expect(await submitOpen(id, "4b0c3e0e-2a8f-4a4e-9d5b-2f1f6f1d9a21", goodAnswers, "ja")).toEqual({
      kind: "invalid",
      fieldErrors: { visit: "survey.errors.required" },
    });
    expect((await submitOpen(id, "4b0c3e0e-2a8f-4a4e-9d5b-2f1f6f1d9a22", { ...goodAnswers, visit: "often" }, "ja")).kind).toBe("recorded");
    const [count] = await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_responses`);
    expect(count!.n).toBe(1);
  });

  it("lets wording change after answers exist, but not what answers depend on", async () => {
    const template = loyaltyTemplate();
    const id = await setup(1);
    await submitOpen(id, "4b0c3e0e-2a8f-4a4e-9d5b-2f1f6f1d9a11", goodAnswers, "ja");
    const reworded = template.questions.map((q) => (q.key === "attach1" ? { ...q, label: { ja: "このブランドが大好きだ", en: "I love this brand" } } : q));
    expect(await replaceQuestions(id, reworded, structureOf)).toEqual({ ok: true });
    const rescaled = template.questions.map((q) => (q.key === "attach1" ? { ...q, points: 7 } : q));
    expect(await replaceQuestions(id, rescaled, structureOf)).toEqual({ ok: false, reason: "answered" });
  });
});

describe("the answer endpoint over HTTP (what the answer page posts)", () => {
  useTestDatabase();

  /** A real node:http server with the portal's answer handler, on 127.0.0.1. */
  async function answerServer() {
    const server = http.createServer((req, res) => {
      const route = answerRoute(req.url);
      if (route) void handleAnswerRequest(req, res, route);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const responses = async () => (await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_responses`))[0]!.n;

  it("records a personal link's answer once, keeps drafts, and tells the page what happened", async () => {
    const origin = await answerServer();
    const id = await setup(1);
    await inviteRecipients(id, { kind: "all" });
    const [{ token }] = await tokens();
    const url = `${origin}/s/${token}/answers`;

    const draft = await postJson(url, { intent: "draft", answers: { attach1: 4 }, step: 1 });
    expect([draft.status, await draft.json()]).toEqual([200, { saved: true }]);
    expect((await openPersonalLink(token)).draft).toEqual({ answers: { attach1: 4 }, step: 1 });

    const invalid = await postJson(url, { intent: "submit", answers: { ...goodAnswers, nps: 42, wallet: "everything" } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ fieldErrors: { nps: "survey.errors.outOfRange", wallet: "survey.errors.notOffered" } });
    expect(await responses()).toBe(0);

    const [first, second] = await Promise.all([postJson(url, { intent: "submit", answers: goodAnswers }), postJson(url, { intent: "submit", answers: goodAnswers })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([await first.json(), await second.json()]).toEqual(expect.arrayContaining([{ done: true }, { already: true }]));
    expect(await responses()).toBe(1);
    // Stored in the customer's language (C1 is Japanese), not the browser's.
    const [stored] = await queryRows<{ locale: string; comment: string }>(sql`select locale, answers->>'comment' as comment from survey_responses`);
    expect(stored).toEqual({ locale: "ja", comment: goodAnswers.comment });

    const unknown = await postJson(`${origin}/s/${"x".repeat(43)}/answers`, { intent: "submit", answers: goodAnswers });
    expect([unknown.status, await unknown.json()]).toEqual([404, { state: "unknown" }]);
  });

  it("records an open-link answer once per submission id, in the browser's language", async () => {
    const origin = await answerServer();
    const id = await setup(1);
    const [{ token }] = await queryRows<{ token: string }>(sql`select open_token as token from surveys where id = ${id}`);
    const url = `${origin}/s/o/${token}/answers`;
    const body = { intent: "submit", answers: goodAnswers, submissionId: "0b6f5c7e-3c1d-4f57-9a55-8a3f0f2b6d11" };
    expect(await (await postJson(url, body, { "Accept-Language": "en-GB,en;q=0.9" })).json()).toEqual({ done: true });
    expect(await (await postJson(url, body)).json()).toEqual({ already: true });
    const bad = await postJson(url, { ...body, submissionId: "not-a-uuid" });
    expect([bad.status, await bad.json()]).toEqual([400, { fieldErrors: { submissionId: "survey.errors.invalid" } }]);
    const drafts = await postJson(url, { intent: "draft", answers: { attach1: 4 }, step: 1 });
    expect(await drafts.json()).toEqual({ saved: false });
    const [stored] = await queryRows<{ locale: string; customer: number | null; n: number }>(
      sql`select min(locale) as locale, min(customer_id) as customer, count(*)::int as n from survey_responses`,
    );
    expect(stored).toEqual({ locale: "en", customer: null, n: 1 });
    await setSurveyStatus(id, "closed");
    const closed = await postJson(url, { ...body, submissionId: "7d0d1d5e-0a52-4b8e-8f7e-1c6f7b2a9e01" });
    expect([closed.status, await closed.json()]).toEqual([410, { state: "closed" }]);
  });

  it("refuses crafted requests with a 4xx and stores nothing", async () => {
    const origin = await answerServer();
    const id = await setup(1);
    await inviteRecipients(id, { kind: "all" });
    const [{ token }] = await tokens();
    const url = `${origin}/s/${token}/answers`;
    const status = async (init: RequestInit) => (await fetch(url, init)).status;
    // A form on another site can post urlencoded or multipart without asking first: refused.
    expect(await status({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=submit&answers=%7B%7D" })).toBe(415);
    expect(await status({ method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ intent: "submit", answers: goodAnswers }) })).toBe(415);
    expect(await status({ method: "GET" })).toBe(405);
    expect((await postJson(url, "not json")).status).toBe(400);
    expect((await postJson(url, { intent: "destroy", answers: {} })).status).toBe(400);
    expect((await postJson(url, { intent: "submit", answers: [1, 2] })).status).toBe(400);
    expect((await postJson(url, { intent: "submit", answers: { ...goodAnswers, comment: "x".repeat(300_000) } })).status).toBe(413);
    expect((await postJson(url, { intent: "submit", answers: { ...goodAnswers, attach1: 9 } })).status).toBe(400);
    expect((await postJson(url, { intent: "submit", answers: { ...goodAnswers, otherSurveysKey: 1 } })).status).toBe(400);
    expect(await responses()).toBe(0);
    expect((await postJson(url, { intent: "submit", answers: goodAnswers })).status).toBe(200);
    expect(await responses()).toBe(1);
  });
});
