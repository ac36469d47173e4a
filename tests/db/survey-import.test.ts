// Importing past answers: Shift_JIS, the same checks as the answer page, all or nothing, valid rows
// only on request, and a second import of the same file recording nothing new.
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey } from "~/models/surveys.server";
import { importResponses } from "~/services/survey-import.server";
import { useTestDatabase } from "../setup/db";

const header = "顧客ID,回答日時,attach1,attach2,pref1,pref2,cont1,cont2,trust1,trust2,nps,wallet,ambassador,cocreation,comment";
const good = (id: string, at: string, nps = 9) => `${id},${at},5,4,4,2,5,4,5,4,${nps},almost_all,yes,maybe,とても満足しています`;

async function setup() {
  await getDb().execute(sql`insert into customers (external_id, email) values ('C1', 'c1@example.com'), ('C2', 'c2@example.com')`);
  const template = loyaltyTemplate();
  return createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
}

const file = (lines: string[], encoding = "utf-8") => () => Readable.from([iconv.encode(lines.join("\r\n"), encoding)]);
const count = async () => (await queryRows<{ n: number }>(sql`select count(*)::int as n from survey_responses`))[0]!.n;

describe("importing past answers", () => {
  useTestDatabase();

  it("reads Shift_JIS with Japanese headers, scores each response, and records a re-import once", async () => {
    const surveyId = await setup();
    const lines = [header, good("C1", "2026/3/1 10:00"), good("C2", "2026-03-02", 3)];
    const first = await importResponses({ surveyId, open: file(lines, "cp932") });
    expect(first).toMatchObject({ status: "done", rowsRead: 2, rowsValid: 2, inserted: 2, duplicates: 0, errorCount: 0 });
    const rows = await queryRows<{ external_id: string; nps_category: string; psych_score: string; answers: Record<string, unknown> }>(
      sql`select c.external_id, r.nps_category, r.psych_score, r.answers from survey_responses r join customers c on c.id = r.customer_id order by c.external_id`,
    );
    expect(rows.map((r) => [r.external_id, r.nps_category])).toEqual([["C1", "promoter"], ["C2", "detractor"]]);
    expect(rows[0]!.answers.comment).toBe("とても満足しています");
    expect(Number(rows[0]!.psych_score)).toBeGreaterThan(60);
    const again = await importResponses({ surveyId, open: file(lines, "cp932") });
    expect(again).toMatchObject({ status: "done", inserted: 0, duplicates: 2 });
    expect(await count()).toBe(2);
  });

  it("writes nothing when a row is bad and names row, column, value and reason; valid rows only on request", async () => {
    const surveyId = await setup();
    const lines = [
      header,
      good("C1", "2026-03-01"),
      good("C2", "2026-13-45"),
      good("C2", "2026-03-03", 11),
      good("NOBODY", "2026-03-04"),
      good("C2", "2026-03-05").replace("almost_all", "everything"),
    ];
    const rejected = await importResponses({ surveyId, open: file(lines) });
    expect(rejected.status).toBe("rejected");
    expect(rejected.errors).toEqual([
      { row: 3, column: "回答日時", value: "2026-13-45", reason: "import.reasons.date_invalid" },
      { row: 4, column: "nps", value: "11", reason: "survey.errors.outOfRange" },
      { row: 5, column: "顧客ID", value: "NOBODY", reason: "surveys.import.unknownCustomer" },
      { row: 6, column: "wallet", value: "everything", reason: "survey.errors.notOffered" },
    ]);
    expect(await count()).toBe(0);
    const validOnly = await importResponses({ surveyId, open: file(lines), validOnly: true });
    expect(validOnly).toMatchObject({ status: "done", inserted: 1, errorCount: 4 });
    expect(await count()).toBe(1);
  });

  it("refuses a file with a column that is not a question of this survey", async () => {
    const surveyId = await setup();
    const result = await importResponses({ surveyId, open: file([`${header},favourite_colour`, `${good("C1", "2026-03-01")},blue`]) });
    expect(result).toMatchObject({ status: "rejected", fileError: "surveys.import.unknownColumns", errors: [{ column: "favourite_colour" }] });
    expect(await count()).toBe(0);
  });
});
