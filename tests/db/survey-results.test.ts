// Survey results and the staff survey pages on a real database: SQL aggregates agree with the domain's
// formulas, the segment filter narrows everything, exports escape formulas, and roles are enforced.
import { sql } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { itemScore, scoreResponse } from "~/domain/survey/scoring";
import { cronbachAlpha, npsWithInterval } from "~/domain/survey/stats";
import type { Answers } from "~/domain/survey/types";
import { refreshMetrics } from "~/models/metrics.server";
import { getSurveyResults } from "~/models/survey-results.server";
import { constructItems } from "~/domain/survey/results";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import * as list from "~/routes/staff.surveys._index";
import * as overview from "~/routes/staff.surveys.$id._index";
import * as builder from "~/routes/staff.surveys.$id.edit";
import * as csv from "~/routes/staff.surveys.$id.responses[.]csv";
import * as settings from "~/routes/staff.settings";
import { sendProgress } from "~/services/survey-distribution.server";
import { drainJobs } from "~/services/jobs/runner.server";
import { submitOpen } from "~/services/survey-responses.server";
import { useTestDatabase } from "../setup/db";
import { get, post, staffSession } from "../support/requests";

const template = loyaltyTemplate();

function answersFor(i: number): Answers {
  const v = (k: number) => 1 + ((i * 7 + k * 3) % 5);
  return {
    attach1: v(1), attach2: v(2), pref1: v(3), pref2: v(4), cont1: v(1), cont2: v(5), trust1: v(2), trust2: v(1),
    nps: (i * 3) % 11, wallet: "about_half", ambassador: i % 2 ? "yes" : "no", cocreation: "maybe",
    ...(i % 4 === 0 ? { comment: i === 0 ? "=HYPERLINK(\"http://evil\")" : `コメント ${i}` } : {}),
  };
}

async function openSurvey() {
  const id = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
  await setSurveyStatus(id, "open");
  return id;
}

function call(handler: unknown, request: Request, id?: number) {
  return (handler as (args: unknown) => Promise<unknown>)({ request, params: { id: String(id) }, context: {} }).catch((e: unknown) => e);
}

describe("survey results", () => {
  useTestDatabase();

  it("computes NPS, its interval and Cronbach's alpha in SQL exactly as the domain formulas do", async () => {
    const id = await openSurvey();
    const all = Array.from({ length: 40 }, (_, i) => answersFor(i));
    for (const [i, answers] of all.entries()) {
      const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      expect((await submitOpen(id, uuid, answers, "ja")).kind).toBe("recorded");
    }
    const results = await getSurveyResults(id, null);
    const categories = all.map((a) => scoreResponse(template.questions, a).npsCategory);
    const counts = {
      promoters: categories.filter((c) => c === "promoter").length,
      passives: categories.filter((c) => c === "passive").length,
      detractors: categories.filter((c) => c === "detractor").length,
    };
    expect(results.counts).toEqual(counts);
    expect(results.nps).toEqual(npsWithInterval(counts));
    expect(results.distribution.reduce((a, b) => a + b, 0)).toBe(40);
    // Alpha per construct, never over mixed constructs: each two-item construct against the domain formula.
    for (const [construct, items] of constructItems(template.questions)) {
      const figure = results.constructs[construct]!;
      expect(figure.items).toBe(items.length);
      if (items.length < 2) {
        expect(figure.alpha).toBeNull();
        continue;
      }
      const expected = cronbachAlpha(all.map((a) => items.map((q) => itemScore(q, a[q.key])!)));
      expect(figure.alpha).toBeCloseTo(expected!, 3);
      expect(figure.complete).toBe(40);
    }
    expect(Object.keys(results.constructs).sort()).toEqual(["attachment", "continuity", "preference", "recommend", "trust"]);
    expect(results.psychMean).toBeCloseTo(all.reduce((s, a) => s + scoreResponse(template.questions, a).psychScore!, 0) / 40, 1);
  });

  it("narrows every figure to one CPM segment", async () => {
    const id = await openSurvey();
    await getDb().execute(sql`insert into customers (external_id, email) values ('A', 'a@example.com'), ('B', 'b@example.com')`);
    await getDb().execute(
      sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
          select c.id, x.at::timestamptz, 1000, md5(c.external_id || x.at)::uuid from customers c
          join (values ('A', '2026-10-01'), ('B', '2024-01-01'), ('B', '2024-02-01')) as x(customer, at) on x.customer = c.external_id`,
    );
    await refreshMetrics({ asOf: "2026-11-01" });
    const customers = await queryRows<{ id: number; external_id: string; segment: string }>(
      sql`select c.id, c.external_id, m.cpm_segment as segment from customers c join customer_metrics m on m.customer_id = c.id order by c.external_id`,
    );
    for (const [i, c] of customers.entries()) {
      await getDb().execute(
        sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores)
            values (${id}, 'import', ${c.id}, 'ja', ${JSON.stringify(answersFor(i))}::jsonb, ${50 + i * 10}, ${i === 0 ? 10 : 2}, ${i === 0 ? "promoter" : "detractor"}, '{}')`,
      );
    }
    const segmentA = customers[0]!.segment as "first_active";
    const narrowed = await getSurveyResults(id, segmentA);
    expect(narrowed.responses).toBe(1);
    expect(narrowed.nps.nps).toBe(100);
    expect((await getSurveyResults(id, null)).responses).toBe(2);
    expect(narrowed.bySegment.map((s) => s.segment).sort()).toEqual(customers.map((c) => c.segment).sort());
  });
});

describe("construct weights", () => {
  useTestDatabase();

  it("rescores every stored response when an admin changes the weights, as the domain scores a new one", async () => {
    const id = await openSurvey();
    const all = Array.from({ length: 12 }, (_, i) => answersFor(i));
    for (const [i, answers] of all.entries()) await submitOpen(id, `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, answers, "ja");
    const weights = { attachment: 1, preference: 0, continuity: 1, trust: 1, recommend: 2 };
    const before = (await getSurveyResults(id, null)).psychMean;
    const viewer = await staffSession("viewer");
    const admin = await staffSession("admin");
    const fields = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, String(v)]));
    const denied = (await call(settings.action, post("/staff/settings", { intent: "weights", ...fields }, viewer.cookie))) as Response;
    expect(denied.status).toBe(403);
    const bad = (await call(settings.action, post("/staff/settings", { intent: "weights", ...fields, trust: "11" }, admin.cookie))) as { init: { status: number } };
    expect(bad.init.status).toBe(400);
    expect(await call(settings.action, post("/staff/settings", { intent: "weights", ...fields }, admin.cookie))).toEqual({ fieldErrors: {}, saved: true, rescored: 12 });
    const stored = await queryRows<{ psych: number }>(sql`select psych_score::float8 as psych from survey_responses order by id`);
    stored.forEach((row, i) => expect(row.psych).toBeCloseTo(scoreResponse(template.questions, all[i]!, weights).psychScore!, 0));
    // The results page's pre-aggregated statistics follow the new scores.
    const after = (await getSurveyResults(id, null)).psychMean;
    expect(after).not.toBe(before);
    expect(after).toBeCloseTo(stored.reduce((a, r) => a + r.psych, 0) / stored.length, 1);
    // A new answer is scored with the new weights too.
    await submitOpen(id, "00000000-0000-4000-8000-000000000099", all[3]!, "ja");
    const [latest] = await queryRows<{ psych: number }>(sql`select psych_score::float8 as psych from survey_responses order by id desc limit 1`);
    expect(latest!.psych).toBe(scoreResponse(template.questions, all[3]!, weights).psychScore);
  });
});

describe("staff survey pages", () => {
  useTestDatabase();

  it("lets staff create from the template and viewers only look", async () => {
    const viewer = await staffSession("viewer");
    const staff = await staffSession("staff");
    const denied = (await call(list.action, post("/staff/surveys", { intent: "template" }, viewer.cookie))) as Response;
    expect(denied.status).toBe(403);
    const created = (await call(list.action, post("/staff/surveys", { intent: "template" }, staff.cookie))) as Response;
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("Location")!.split("/").pop());
    const page = (await call(list.loader, get("/staff/surveys", viewer.cookie))) as Awaited<ReturnType<typeof list.loader>>;
    expect(page).toMatchObject({ canEdit: false, surveys: [{ id, status: "draft", questions: 13 }] });
    const send = (await call(overview.action, post(`/staff/surveys/${id}`, { intent: "open" }, viewer.cookie), id)) as Response;
    expect(send.status).toBe(403);
  });

  it("asks before emailing or closing, stating how many people it touches, and acts only on that count", async () => {
    const { cookie } = await staffSession("staff");
    await getDb().execute(
      sql`insert into customers (external_id, email, name, locale, marketing_consent)
          select 'C' || g, 'c' || g || '@example.com', 'Customer ' || g, 'ja', g <> 3 from generate_series(1, 5) g`,
    );
    const id = await openSurvey();
    type Result = { confirmSend?: { count: number; fields: Record<string, string> }; confirmClose?: { unanswered: number }; started?: boolean; done?: string };
    const act = async (fields: Record<string, string>) => (await call(overview.action, post(`/staff/surveys/${id}`, fields, cookie), id)) as Result;
    const invitations = async () => (await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_invitations`))[0]!.n;

    // "Send" without a confirmed count emails nobody: it states the count (4 with consent) and the choice.
    const asked = await act({ intent: "send", recipients: "all" });
    expect(asked.confirmSend).toEqual({ count: 4, fields: { recipients: "all" } });
    expect(await invitations()).toBe(0);
    // A stale count (the page said 3) asks again with the current one.
    expect((await act({ intent: "send", recipients: "all", confirmed: "3" })).confirmSend?.count).toBe(4);
    expect(await invitations()).toBe(0);
    expect((await act({ intent: "send", recipients: "all", confirmed: "4" })).started).toBe(true);
    const loaded = async () => (await call(overview.loader, get(`/staff/surveys/${id}`, cookie), id)) as Awaited<ReturnType<typeof overview.loader>>;
    // The send is a job: the runner of a server process takes it; here the test runs it.
    expect((await loaded()).sending).toMatchObject({ status: "running", total: 4, invited: 0 });
    await drainJobs();
    expect(await invitations()).toBe(4);
    expect((await loaded()).sending?.status).toBe("done");
    // The page reads what the send did from the database.
    const page = await loaded();
    expect(page.invitations).toMatchObject({ invited: 4, answered: 0, reminded: 0 });
    expect(page.invitations.lastInvitedAt).not.toBeNull();
    // Nobody left to invite: a clear refusal, not a confirmation for zero people.
    const none = (await call(overview.action, post(`/staff/surveys/${id}`, { intent: "send", recipients: "all" }, cookie), id)) as { init: { status: number }; data: { error: string } };
    expect(none.init.status).toBe(400);
    expect(none.data.error).toBe("surveys.errors.nobodyToInvite");

    // Closing states how many invited customers have not answered, and closes only when confirmed.
    expect((await act({ intent: "close" })).confirmClose).toEqual({ unanswered: 4 });
    expect((await queryRows<{ status: string }>(sql`select status from surveys where id = ${id}`))[0]!.status).toBe("open");
    expect((await act({ intent: "close", confirmed: "4" })).done).toBe("surveys.messages.closed");
    expect((await queryRows<{ status: string }>(sql`select status from surveys where id = ${id}`))[0]!.status).toBe("closed");
  });

  it("opens a survey only with questions and sends only while it is open", async () => {
    const { cookie } = await staffSession("staff");
    await getDb().execute(sql`insert into customers (external_id, email, marketing_consent) values ('C1', 'c1@example.com', true)`);
    const act = async (id: number, fields: Record<string, string>) => (await call(overview.action, post(`/staff/surveys/${id}`, fields, cookie), id)) as { init?: { status: number }; data?: { error: string; preview?: unknown }; done?: string };
    const status = async (id: number) => (await queryRows<{ status: string }>(sql`select status from surveys where id = ${id}`))[0]!.status;
    const invitations = async () => (await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_invitations`))[0]!.n;

    const empty = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, [], null);
    const refused = await act(empty, { intent: "open" });
    expect(refused.init?.status).toBe(400);
    expect(refused.data?.error).toBe("surveys.errors.noQuestions");
    expect(await status(empty)).toBe("draft");

    // A draft can be previewed but not sent, even with the right count confirmed.
    const draft = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
    expect(((await act(draft, { intent: "preview", recipients: "all" })) as { preview?: { eligible: number } }).preview?.eligible).toBe(1);
    const notOpen = await act(draft, { intent: "send", recipients: "all", confirmed: "1" });
    expect(notOpen.init?.status).toBe(409);
    expect(notOpen.data).toEqual({ error: "surveys.errors.notOpen" });
    expect(await invitations()).toBe(0);

    expect((await act(draft, { intent: "open" })).done).toBe("surveys.messages.opened");
    expect(await status(draft)).toBe("open");
    await act(draft, { intent: "close", confirmed: "0" });
    expect(await status(draft)).toBe("closed");
    expect((await act(draft, { intent: "send", recipients: "all", confirmed: "1" })).init?.status).toBe(409);
    expect(await invitations()).toBe(0);
  });

  it("previews and sends to a pasted list of customer ids, and refuses a choice it cannot read", async () => {
    const { cookie } = await staffSession("staff");
    await getDb().execute(
      sql`insert into customers (external_id, email, marketing_consent) select 'C' || g, 'c' || g || '@example.com', true from generate_series(1, 3) g`,
    );
    const id = await openSurvey();
    type Result = { init?: { status: number }; data?: { error: string }; preview?: { selected: number; eligible: number; unknownIds: string[] }; confirmSend?: { count: number }; started?: boolean };
    const act = async (fields: Record<string, string>) => (await call(overview.action, post(`/staff/surveys/${id}`, fields, cookie), id)) as Result;

    const list = "C1, C3\nC1;NOPE\n";
    expect((await act({ intent: "preview", recipients: "list", list })).preview).toMatchObject({ selected: 2, eligible: 2, unknownIds: ["NOPE"] });
    expect((await act({ intent: "send", recipients: "list", list, confirmed: "2" })).started).toBe(true);
    const invited = async () => (await queryRows<{ id: string }>(sql`select c.external_id as id from survey_invitations i join customers c on c.id = i.customer_id order by 1`)).map((r) => r.id);
    await drainJobs();
    expect(await invited()).toEqual(["C1", "C3"]);
    expect((await sendProgress(id))?.status).toBe("done");

    for (const fields of [{ recipients: "list", list: " ,\n" }, { recipients: "segment", segment: "vip" }, { recipients: "everyone" }] as Record<string, string>[]) {
      const refused = await act({ intent: "preview", ...fields });
      expect(refused.init?.status, JSON.stringify(fields)).toBe(400);
      expect(refused.data?.error).toBe("surveys.errors.recipients");
    }
  });

  it("saves the builder through the same schema and names the field at fault", async () => {
    const { cookie } = await staffSession("staff");
    const id = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: null }, template.questions, null);
    const form = (await call(builder.loader, get(`/staff/surveys/${id}/edit`, cookie), id)) as Awaited<ReturnType<typeof builder.loader>>;
    const bad = { ...form.form, linkDays: "0", questions: form.form.questions.map((q, i) => (i === 1 ? { ...q, key: "attach1" } : q)) };
    const refused = (await call(builder.action, post(`/staff/surveys/${id}/edit`, { payload: JSON.stringify(bad) }, cookie), id)) as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors).toMatchObject({ linkDays: "surveys.errors.linkDays", "questions.1.key": "survey.builder.errors.duplicateKey" });
    const good = { ...form.form, titleJa: "新しいタイトル", questions: [...form.form.questions].reverse() };
    expect(await call(builder.action, post(`/staff/surveys/${id}/edit`, { payload: JSON.stringify(good) }, cookie), id)).toEqual({ errors: {}, saved: true });
    const again = (await call(builder.loader, get(`/staff/surveys/${id}/edit`, cookie), id)) as typeof form;
    expect(again.form.titleJa).toBe("新しいタイトル");
    expect(again.form.questions[0]!.key).toBe("comment");
  });

  it("exports one row per response, one column per question, with formulas escaped", async () => {
    const { cookie } = await staffSession("viewer");
    const id = await openSurvey();
    await submitOpen(id, "00000000-0000-4000-8000-000000000001", answersFor(0), "ja");
    const response = (await call(csv.loader, get(`/staff/surveys/${id}/responses.csv`, cookie), id)) as Response;
    const text = await response.text();
    const [header] = text.split("\n");
    expect(header).toBe(["response_id", "submitted_at", "channel", "customer_id", "locale", ...template.questions.map((q) => q.key), "psych_score", "nps_score", "nps_category"].join(","));
    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ channel: "open", attach1: String(answersFor(0).attach1), comment: `'=HYPERLINK("http://evil")` });
  });
});
