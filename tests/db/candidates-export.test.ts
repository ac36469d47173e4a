// The candidate export (issue 16 item 3), on PGlite and on PostgreSQL with TEST_DATABASE_URL: the
// download's columns exactly as specified, reasons in words, rows in rank order, the customer export's
// values for each customer, formulas defused, a dismissed customer absent, and the CLI command writing
// the same file. Also the page's marks: viewers refused, bad input named, a double submit harmless.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { float8Array } from "../../db/sql-arrays";
import { defaultLoyaltySettings } from "~/domain/loyalty";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { scoreResponse } from "~/domain/survey/scoring";
import type { Answers } from "~/domain/survey/types";
import { exportCandidatesCommand } from "~/cli/candidates-command";
import { exportColumns, exportCustomerRows } from "~/models/customers.server";
import { ensureLoyaltyFresh, markCandidates, rankCandidates } from "~/models/loyalty.server";
import { refreshMetrics } from "~/models/metrics.server";
import { createSurvey } from "~/models/surveys.server";
import * as page from "~/routes/staff.candidates._index";
import * as download from "~/routes/staff.candidates.export[.]csv";
import { BASE, run, staffSession } from "../support/requests";
import { useTestDatabase } from "../setup/db";

const L = (text: string) => ({ ja: text, en: text });
const HYPERLINK = '=HYPERLINK("http://evil.example","click")';

/** Twelve fans with purchases up to last month and a loyalty survey answer; one named like a formula, one detractor. */
async function seed() {
  const template = loyaltyTemplate();
  const survey = await createSurvey(
    { layout: "all_on_one", linkDays: 30, reminderDays: null, intro: L(""), thanks: L(""), title: L("Loyalty") },
    template.questions,
    null,
  );
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) {
    const name = i === 0 ? HYPERLINK : `Fan ${i}`;
    const [row] = await queryRows<{ id: number }>(
      sql`insert into customers (external_id, email, name, marketing_consent) values (${`F${String(i).padStart(2, "0")}`}, ${`f${i}@example.com`}, ${name}, true) returning id::int as id`,
    );
    const id = row!.id;
    ids.push(id);
    const visits = 3 + (i % 4);
    for (let k = 0; k < visits; k++) {
      const daysAgo = 10 + k * (60 + i * 40);
      await getDb().execute(
        sql`insert into purchases (customer_id, purchased_at, amount, store, channel, dedupe_key)
            values (${id}, now() - make_interval(days => ${daysAgo}), ${5000 + i * 700}, ${i % 2 ? "Shibuya" : "Umeda"}, 'store', md5(${`${i}-${k}`})::uuid)`,
      );
    }
    const v = (k: number) => 4 + ((i + k) % 2);
    const answers: Answers = {
      attach1: v(1), attach2: v(2), pref1: v(3), pref2: v(4), cont1: v(5), cont2: v(1), trust1: v(2), trust2: v(3),
      nps: i === 11 ? 2 : 9 + (i % 2),
      wallet: "more_than_half",
      ambassador: i % 3 === 0 ? "yes" : "maybe",
      cocreation: "yes",
      comment: "Always a pleasure.".repeat(1 + (i % 4)),
    };
    const s = scoreResponse(template.questions, answers);
    await getDb().execute(
      sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
          values (${survey}, 'import', ${id}, 'en', ${JSON.stringify(answers)}::jsonb, ${s.psychScore}, ${s.npsScore}, ${s.npsCategory},
                  ${JSON.stringify(s.constructScores)}::jsonb, ${float8Array(s.alphaScores)}, now() - interval '3 days')`,
    );
  }
  await refreshMetrics();
  await ensureLoyaltyFresh();
  return ids;
}

function englishGet(pathAndQuery: string, cookie: string) {
  return new Request(`${BASE}${pathAndQuery}`, { headers: { Cookie: cookie, "Accept-Language": "en", "X-Portal-Client-IP": "10.0.0.1" } });
}

function form(pathAndQuery: string, fields: Record<string, string>, cookie: string, language = "en") {
  return new Request(`${BASE}${pathAndQuery}`, {
    method: "POST",
    headers: { Cookie: cookie, "Accept-Language": language, "X-Portal-Client-IP": "10.0.0.1", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("the candidate export", () => {
  useTestDatabase();

  it("has the specified columns, reasons in words, rank order, the customer export's values, formulas defused, no dismissed customer, and the CLI writes the same", async () => {
    const ids = await seed();
    const ranked = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    expect(ranked.total).toBeGreaterThanOrEqual(8);
    // Dismiss the second: it leaves the export.
    const dismissed = ranked.rows[1]!;
    await markCandidates("ambassador", [dismissed.customer_id], "dismissed", { note: "works for a competitor" });

    const { cookie } = await staffSession("viewer");
    const response = await run(download.loader, englishGet("/staff/candidates/export.csv?list=ambassador&view=all", cookie));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/text\/csv/);
    const text = await response.text();
    const [header, ...rows] = parse(text, { relax_column_count: false }) as string[][];
    expect(header).toEqual(["customer_id", "rank", "rank_score", "reasons", ...exportColumns]);
    expect(header.slice(0, 7)).toEqual(["customer_id", "rank", "rank_score", "reasons", "customer_id", "email", "name"]);

    // Rank order: ranks 1..n, scores never rising, the same customers as the ranked list without the dismissed one.
    const expected = ranked.rows.filter((r) => r.customer_id !== dismissed.customer_id);
    expect(rows.map((r) => r[0])).toEqual(expected.map((r) => r.external_id));
    expect(rows.map((r) => Number(r[1]))).toEqual(expected.map((_, i) => i + 1));
    expect(rows.map((r) => Number(r[2]))).toEqual(expected.map((r) => r.rank_score));
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i]![2])).toBeLessThanOrEqual(Number(rows[i - 1]![2]));
    expect(rows.map((r) => r[0])).not.toContain(dismissed.external_id);

    // Reasons in English words, for every row.
    for (const row of rows) expect(row[3]).toMatch(/^promoter \((9|10)\), score [\d.]+, [A-Za-z-]+ · active, tenure [\d.]+ years, said (yes|maybe) to sharing$/);

    // The customer columns are the customer export's, value for value.
    const customerRows = new Map<string, string[]>();
    for await (const batch of exportCustomerRows({ sort: "id" })) {
      for (const r of batch) customerRows.set(String(r[0]), parse((await import("~/utils/csv.server")).csvLines([r]))[0] as string[]);
    }
    for (const row of rows) expect(row.slice(4)).toEqual(customerRows.get(row[0]!));

    // The formula-like name is defused as the customer export does it (an apostrophe first).
    const formulaRow = rows.find((r) => r[0] === "F00");
    expect(formulaRow).toBeDefined();
    expect(formulaRow![header.indexOf("name")]).toBe(`'${HYPERLINK}`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);

    // The detractor is nowhere.
    expect(rows.map((r) => r[0])).not.toContain("F11");
    expect(ids.length).toBe(12);

    // The CLI writes the same file (English reasons, the whole list).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candidates-export-"));
    try {
      const file = path.join(dir, "ambassadors.csv");
      await exportCandidatesCommand(["ambassador", file]);
      expect(fs.readFileSync(file, "utf8")).toBe(text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await expect(exportCandidatesCommand(["ambassadors"])).rejects.toThrow(/Usage/);

    // The top 5 % view exports the first rows only; Japanese reasons for a Japanese reader.
    const top5 = await run(download.loader, englishGet("/staff/candidates/export.csv?list=ambassador&view=top5", cookie));
    const top5Rows = (parse(await top5.text()) as string[][]).slice(1);
    expect(top5Rows.map((r) => r[0])).toEqual(rows.slice(0, Math.ceil(expected.length * 0.05)).map((r) => r[0]));
    const ja = await run(download.loader, new Request(`${BASE}/staff/candidates/export.csv?list=ambassador&view=all`, { headers: { Cookie: cookie, "Accept-Language": "ja" } }));
    const jaRows = (parse(await ja.text()) as string[][]).slice(1);
    expect(jaRows[0]![3]).toMatch(/^推奨者[(（]\d+[)）]、スコア [\d.]+、/);
  });

  it("lets staff shortlist, dismiss with a note and restore, refuses viewers, names bad fields, and a double submit changes nothing", async () => {
    await seed();
    const ranked = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    const first = ranked.rows[0]!;
    const viewer = await staffSession("viewer");
    const staff = await staffSession("staff", "staff@example.com");

    const refused = await run(page.action, form("/staff/candidates", { intent: "shortlist", list: "ambassador", customer: first.external_id }, viewer.cookie));
    expect(refused.status).toBe(403);

    for (let i = 0; i < 2; i++) {
      const done = await run(page.action, form("/staff/candidates", { intent: "shortlist", list: "ambassador", customer: first.external_id }, staff.cookie));
      expect(done.status).toBe(200);
    }
    const marks = await queryRows<{ n: number }>(sql`select count(*)::int as n from candidate_marks where customer_id = ${first.customer_id}`);
    expect(marks[0]!.n).toBe(1);

    const loaded = await run(page.loader, englishGet("/staff/candidates?list=ambassador&tab=shortlist", viewer.cookie));
    const data = (await loaded.json()) as { canEdit: boolean; rows: { customer_id: number; reasons: { kind: string }[] }[] };
    expect(data.canEdit).toBe(false);
    expect(data.rows.map((r) => r.customer_id)).toEqual([first.customer_id]);
    expect(data.rows[0]!.reasons[0]).toMatchObject({ kind: "promoter" });

    const noNote = await run(page.action, form("/staff/candidates", { intent: "dismiss", list: "ambassador", customer: first.external_id, note: "  " }, staff.cookie));
    expect(noNote.status).toBe(400);
    expect(await noNote.json()).toMatchObject({ field: "note", error: expect.stringMatching(/^Note:/) });
    const long = await run(page.action, form("/staff/candidates", { intent: "dismiss", list: "ambassador", customer: first.external_id, note: "x".repeat(501) }, staff.cookie, "ja"));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ field: "note", error: expect.stringMatching(/^メモ/) });
    const unknown = await run(page.action, form("/staff/candidates", { intent: "shortlist", list: "ambassador", customer: "NOPE" }, staff.cookie));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ field: "customer" });
    const badList = await run(page.action, form("/staff/candidates", { intent: "shortlist", list: "members", customer: first.external_id }, staff.cookie));
    expect(badList.status).toBe(400);
    expect(await badList.json()).toMatchObject({ field: "list" });

    const dismissedOk = await run(page.action, form("/staff/candidates", { intent: "dismiss", list: "ambassador", customer: first.external_id, note: "works for a competitor" }, staff.cookie));
    expect(dismissedOk.status).toBe(200);
    const after = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    expect(after.rows.map((r) => r.customer_id)).not.toContain(first.customer_id);
    const excluded = await run(page.loader, englishGet("/staff/candidates?list=ambassador&tab=excluded", viewer.cookie));
    const ex = (await excluded.json()) as { excluded: { counts: Record<string, number> }; rows: { customer_id: number; mark_note: string | null }[] };
    expect(ex.excluded.counts.dismissed).toBe(1);
    expect(ex.rows.find((r) => r.customer_id === first.customer_id)?.mark_note).toBe("works for a competitor");

    await run(page.action, form("/staff/candidates", { intent: "unmark", list: "ambassador", customer: first.external_id }, staff.cookie));
    const restored = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    expect(restored.rows[0]!.customer_id).toBe(first.customer_id);
  });
});
