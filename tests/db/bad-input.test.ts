// Bad input answers 4xx, never 500 (issue 14 item 4): a fixed corpus of malformed requests sent to every
// route module, signed in as an admin, through the portal's real request path. Any 5xx or a dropped
// connection fails the test; the malformed bodies and the answers no survey can hold also store nothing.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { inviteRecipients } from "~/services/survey-distribution.server";
import { useTestDatabase } from "../setup/db";
import { routeManifest, send, useTestPortal } from "../support/portal-server";
import { staffSession } from "../support/requests";

interface Fixture {
  surveyId: number;
  customerId: number;
  messageId: number;
  personalToken: string;
  openToken: string;
}

async function fixture(): Promise<Fixture> {
  await queryRows(sql`insert into customers (external_id, email, name, locale, marketing_consent) values ('C1', 'c1@example.com', 'Customer 1', 'ja', true)`);
  const template = loyaltyTemplate();
  const surveyId = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: 7 }, template.questions, null);
  await setSurveyStatus(surveyId, "open");
  await inviteRecipients(surveyId, { kind: "all" });
  const [row] = await queryRows<{ customerId: number; messageId: number; url: string; openToken: string }>(
    sql`select m.customer_id as "customerId", m.id as "messageId", m.data->>'surveyUrl' as url, s.open_token as "openToken"
        from outbox_messages m, surveys s where s.id = ${surveyId} order by m.id limit 1`,
  );
  return { surveyId, customerId: Number(row!.customerId), messageId: Number(row!.messageId), personalToken: row!.url.split("/s/")[1]!, openToken: row!.openToken };
}

/** Each route module's URL: its pattern with the fixture's records for the parameters; and whether it has an action. */
function routeUrls(f: Fixture): { url: string; action: boolean }[] {
  return routeManifest().map(({ pattern, module }) => ({
    action: typeof module.action === "function",
    url: pattern
      .replace(/^\/staff\/surveys\/:id/, `/staff/surveys/${f.surveyId}`)
      .replace(/^\/staff\/customers\/:id/, `/staff/customers/${f.customerId}`)
      .replace(/^\/staff\/mailbox\/:id/, `/staff/mailbox/${f.messageId}`)
      .replace(":id", "1")
      .replace(/^\/s\/o\/:token/, `/s/o/${f.openToken}`)
      .replace(/^\/s\/:token/, `/s/${f.personalToken}`)
      .replace(":token", "x".repeat(43))
      .replace("*", "nowhere"),
  }));
}

/** Query strings no page expects: U+0000, bytes that are not UTF-8, values of the wrong kind. */
const badQueries = [
  "?q=%00",
  "?q=%00&segment=%00&cross=%00&status=%00&template=%00&from=%00&to=%00&before=%00&a=%00",
  "?q=%ED%A0%80&segment=%FF&cross=nope&before=abc&from=2026-13-45&to=x&a=zz&b=zz&status=x&template=x&locale=x&bom=x&tenureBorderDays=-1&redirectTo=%00",
  `?q=${"a".repeat(5000)}`,
];

/** Addresses naming U+0000 in the path. */
const badPaths = (f: Fixture) => ["/s/o/%00", "/s/%00", "/s/o/%00/answers", `/staff/customers/%00`, `/staff/surveys/${f.surveyId}/results/%00`, "/%00"];

/** Bodies a form action cannot use. */
const badBodies: { name: string; headers: Record<string, string>; body?: string }[] = [
  { name: "JSON", headers: { "Content-Type": "application/json" }, body: '{"intent":"add","name":"x"}' },
  { name: "text/plain", headers: { "Content-Type": "text/plain" }, body: "intent=add" },
  { name: "no body", headers: {} },
  { name: "an empty form", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "" },
  { name: "a broken multipart body", headers: { "Content-Type": "multipart/form-data; boundary=XyZ" }, body: '--XyZ\r\nContent-Disposition: form-data; name="intent"\r\n\r\nadd' },
  { name: "multipart without a boundary", headers: { "Content-Type": "multipart/form-data" }, body: "intent=add" },
  {
    name: "U+0000 in every usual field",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "intent=%00&name=%00&email=%00&password=%00&q=%00&payload=%00&brandName=%00&title=%00&locale=%00&date=%00&kind=%00",
  },
  { name: "bytes that are not UTF-8", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=%ED%A0%80&payload=%ED%A0%80&name=%FF" },
];

/** A complete, valid response to the loyalty template, to break one value of at a time. */
const goodAnswers = {
  attach1: 5, attach2: 4, pref1: 4, pref2: 2, cont1: 5, cont2: 4, trust1: 5, trust2: 4,
  nps: 9, wallet: "almost_all", ambassador: "yes", cocreation: "maybe", comment: "fine",
};
const submit = (comment: string, extra = "") => `{"intent":"submit","answers":${JSON.stringify({ ...goodAnswers, comment: "@" }).replace('"@"', comment)}${extra}}`;

/** What the answer page posts, broken in each way a client could break it (JSON escapes kept as sent). */
const badAnswers: { name: string; body: string; contentType?: string }[] = [
  { name: "a lone surrogate in a text answer", body: submit('"\\ud800"') },
  { name: "a lone low surrogate in a text answer", body: submit('"ok \\udfff"') },
  { name: "a lone surrogate in a draft", body: '{"intent":"draft","answers":{"comment":"ok \\ud800"},"step":1}' },
  { name: "U+0000 in a text answer", body: submit('"a\\u0000b"') },
  { name: "U+0000 in a draft", body: '{"intent":"draft","answers":{"comment":"\\u0000"},"step":0}' },
  { name: "U+0000 as the submission id", body: submit('"fine"', ',"submissionId":"\\u0000"') },
  { name: "a lone surrogate as an answer key", body: '{"intent":"submit","answers":{"\\ud800":1}}' },
  { name: "broken JSON", body: '{"intent":"submit",' },
  { name: "no body", body: "" },
  { name: "text/plain", body: "intent=submit", contentType: "text/plain" },
];

describe("bad input answers 4xx, never 500", () => {
  useTestDatabase();
  const served = useTestPortal();

  const stored = async () =>
    (
      await queryRows<{ responses: number; drafts: number; jobs: number; staff: number }>(
        sql`select (select count(*)::int from survey_responses) as responses, (select count(*)::int from survey_drafts) as drafts,
                   (select count(*)::int from import_jobs) as jobs, (select count(*)::int from staff_users) as staff`,
      )
    )[0]!;

  it("answers every route's malformed queries and paths without a 5xx or a dropped connection", async () => {
    const portal = served.current;
    const f = await fixture();
    const { cookie } = await staffSession("admin");
    const failures: string[] = [];
    const routes = routeUrls(f);
    expect(routes.length).toBeGreaterThanOrEqual(40);
    for (const { url } of routes) {
      for (const query of badQueries) {
        const target = `${url}${query}`;
        const response = await send(portal.url, "GET", target, { Cookie: cookie });
        if (response.status >= 500) failures.push(`GET ${target.slice(0, 120)} → ${response.status}`);
        if (query.includes("%00") && response.status !== 400) failures.push(`GET ${target.slice(0, 120)} → ${response.status}, not 400`);
      }
    }
    for (const target of badPaths(f)) {
      const response = await send(portal.url, "GET", target, { Cookie: cookie });
      if (response.status !== 400 || !response.body.includes("NUL")) failures.push(`GET ${target} → ${response.status}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("answers every route's malformed form posts with a 4xx and a message, storing nothing", async () => {
    const portal = served.current;
    const f = await fixture();
    const { cookie } = await staffSession("admin");
    const before = await stored();
    const failures: string[] = [];
    for (const { url, action } of routeUrls(f)) {
      // A route without an action answers 405 from Remix whatever the body: one probe each is enough.
      for (const { name, headers, body } of action ? badBodies : badBodies.slice(0, 1)) {
        // Signed out for the pages of signing in and out: signed in, /login and /setup redirect to the staff
        // pages, and sign-out (which reads no body) would end the session the other posts use.
        const session: Record<string, string> = ["/login", "/logout", "/setup"].includes(url) ? {} : { Cookie: cookie };
        for (const target of [url, `${url === "/" ? "/_root" : url}.data`]) {
          const response = await send(portal.url, "POST", target, { Origin: portal.url, ...session, ...headers }, body);
          const label = `POST ${target} with ${name} → ${response.status} ${response.body.slice(0, 80)}`;
          // The upload without JavaScript answers a refusal by going back to the imports page with the
          // error named in its address (a redirect, or its `.data` form, 202).
          const backWithError = /error=/.test(`${response.headers.location ?? ""}${response.body}`);
          if (response.status >= 500) failures.push(label);
          else if (url === "/logout" || backWithError) continue;
          else if (response.status < 400 || response.body.trim() === "") failures.push(`${label} (expected a 4xx with a message)`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await stored()).toEqual(before);
  }, 300_000);

  it("refuses answers no survey can hold on both answer endpoints, storing nothing", async () => {
    const portal = served.current;
    const f = await fixture();
    const failures: string[] = [];
    for (const endpoint of [`/s/${f.personalToken}/answers`, `/s/o/${f.openToken}/answers`]) {
      for (const { name, body, contentType } of badAnswers) {
        const response = await send(portal.url, "POST", endpoint, { Origin: portal.url, "Content-Type": contentType ?? "application/json" }, body);
        // A draft is kept only when its answers pass the form's checks; otherwise the page is told it was
        // not saved (an open link keeps no drafts at all).
        const draftNotSaved = name.includes("draft") && response.status === 200 && response.body === '{"saved":false}';
        const ok = draftNotSaved || (response.status >= 400 && response.status < 500 && response.body.length > 2);
        if (!ok) failures.push(`POST ${endpoint.slice(0, 12)}… with ${name} → ${response.status} ${response.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await stored()).toMatchObject({ responses: 0, drafts: 0 });
  }, 120_000);
});

describe("customer e-mail addresses", () => {
  useTestDatabase();

  it("makes an address the mail provider would refuse a row error of the import: nothing written, nothing queued", async () => {
    const { Readable } = await import("node:stream");
    const { runImport } = await import("~/services/import/import.server");
    const file = ["customer_id,email,name,marketing_consent", "C1,hanako@example.jp,Hanako,yes", 'C2,"ta""ro@example.com",Taro,yes', "C3,jiro@example,Jiro,yes"].join("\n");
    const result = await runImport({ kind: "customers", fileName: "customers.csv", mode: "all_or_nothing", open: () => Readable.from([Buffer.from(file)]) });
    expect(result).toMatchObject({ status: "rejected", rowsInvalid: 2 });
    expect(result.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [3, "email", "email_invalid"],
      [4, "email", "email_invalid"],
    ]);
    const [counts] = await queryRows<{ customers: number; mail: number }>(
      sql`select (select count(*) from customers)::int as customers, (select count(*) from outbox_messages)::int as mail`,
    );
    expect(counts).toEqual({ customers: 0, mail: 0 });
  });
});
