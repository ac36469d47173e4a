import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import * as exportRoute from "~/routes/staff.customers.export[.]csv";
import * as listRoute from "~/routes/staff.customers._index";
import { runImport } from "~/services/import/import.server";
import { refreshMetrics } from "~/models/metrics.server";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey } from "~/models/surveys.server";
import { useTestDatabase } from "../setup/db";
import { get, run, staffSession } from "../support/requests";

// Customer potential (issue 19) appends p_alive, expected_purchases_90d and expected_value_90d, in that order.
const header =
  "customer_id,email,name,purchase_count,total_amount,first_purchase_at,last_purchase_at,tenure_days,lapse_days,rfm_r,rfm_f,rfm_m,cpm_segment,psych_score,nps_score,nps_category,quadrant,p_alive,expected_purchases_90d,expected_value_90d";

async function load() {
  await runImport({
    kind: "customers",
    fileName: "c.csv",
    mode: "all_or_nothing",
    open: () => Readable.from([Buffer.from('customer_id,email,name\nC1,one@example.com,"=HYPERLINK(""http://evil"")"\nC2,two@example.com,@SUM(A1)\nC3,three@example.com,Plain Name\n')]),
  });
  await runImport({
    kind: "purchases",
    fileName: "p.csv",
    mode: "all_or_nothing",
    refresh: false,
    open: () => Readable.from([Buffer.from("customer_id,purchased_at,amount\nC1,2026-01-04T23:30:00Z,1000\nC1,2026-03-01,1500\nC2,2026-02-01,-300\nC2,2026-01-15,300\nC3,2025-06-01,99000\n")]),
  });
  await refreshMetrics({ asOf: "2026-03-31" });
}

describe("customer export", () => {
  useTestDatabase();

  it("has exactly the agreed columns, dates in the brand's time zone, and defuses formulas", async () => {
    await load();
    const { cookie } = await staffSession("viewer");
    const response = await run(exportRoute.loader, get("/staff/customers/export.csv", cookie));
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await response.text();
    expect(text.split("\n")[0]).toBe(header);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    const byId = Object.fromEntries(rows.map((r) => [r.customer_id, r]));
    // 2026-01-04 23:30 UTC is 5 January in Tokyo.
    expect(byId.C1).toMatchObject({ name: `'=HYPERLINK("http://evil")`, purchase_count: "2", total_amount: "2500.00", first_purchase_at: "2026-01-05", last_purchase_at: "2026-03-01", tenure_days: "55", lapse_days: "30", cpm_segment: "toddler_active" });
    expect(byId.C2).toMatchObject({ name: "'@SUM(A1)", purchase_count: "1", total_amount: "0.00", cpm_segment: "first_active" });
    expect(byId.C3).toMatchObject({ name: "Plain Name", cpm_segment: "first_lapsed" });
    for (const r of rows) expect(["1", "2", "3", "4", "5"]).toContain(r.rfm_r);
  });

  it("ends with each customer's latest survey scores, empty when none", async () => {
    await load();
    const survey = await createSurvey({ ...loyaltyTemplate(), layout: "all_on_one", linkDays: 30, reminderDays: null }, [], null);
    await getDb().execute(
      sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, submitted_at)
          select ${survey}, 'import', c.id, 'ja', '{}', x.psych, x.nps, x.category, '{}', x.at::timestamptz
          from (values ('C1', 55.5, 6, 'detractor', '2026-01-10'), ('C1', 81.2, 9, 'promoter', '2026-03-10')) as x(customer, psych, nps, category, at)
          join customers c on c.external_id = x.customer`,
    );
    const { cookie } = await staffSession("viewer");
    const rows = parse(await (await run(exportRoute.loader, get("/staff/customers/export.csv", cookie))).text(), { columns: true }) as Record<string, string>[];
    const byId = Object.fromEntries(rows.map((r) => [r.customer_id, r]));
    // C1 buys as a toddler (behaviour low) and scores 81.2 (psychology high): a latent fan.
    expect(byId.C1).toMatchObject({ psych_score: "81.2", nps_score: "9", nps_category: "promoter", quadrant: "latent_fan" });
    expect(byId.C2).toMatchObject({ psych_score: "", nps_score: "", nps_category: "", quadrant: "" });
    // The survey axis filters the export as it does the list: by quadrant, score range, NPS category, or "not yet asked".
    const only = async (query: string) =>
      (parse(await (await run(exportRoute.loader, get(`/staff/customers/export.csv?${query}`, cookie))).text(), { columns: true }) as Record<string, string>[]).map((r) => r.customer_id);
    expect(await only("quadrant=latent_fan")).toEqual(["C1"]);
    expect(await only("quadrant=unscored")).toEqual(["C2", "C3"]);
    expect(await only("minScore=80&nps=promoter")).toEqual(["C1"]);
    expect(await only("maxScore=80")).toEqual([]);
  });

  it("honours the list's filters, and the list and export agree", async () => {
    await load();
    const { cookie } = await staffSession("viewer");
    const exported = parse(await (await run(exportRoute.loader, get("/staff/customers/export.csv?segment=first_lapsed", cookie))).text(), { columns: true }) as Record<string, string>[];
    expect(exported.map((r) => r.customer_id)).toEqual(["C3"]);
    const searched = parse(await (await run(exportRoute.loader, get("/staff/customers/export.csv?q=two%40", cookie))).text(), { columns: true }) as Record<string, string>[];
    expect(searched.map((r) => r.customer_id)).toEqual(["C2"]);
    const list = (await (await run(listRoute.loader, get("/staff/customers?segment=first_lapsed", cookie))).json()) as { customers: { external_id: string }[]; total: number };
    expect(list.customers.map((c) => c.external_id)).toEqual(["C3"]);
    expect(list.total).toBe(1);
  });

  it("pages with a keyset cursor without skipping or repeating anyone", async () => {
    await load();
    const { cookie } = await staffSession("viewer");
    const { listCustomers } = await import("~/models/customers.server");
    for (const sort of ["total", "count", "last", "id"] as const) {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await listCustomers({ sort, after }, { limit: 1 });
        seen.push(...page.customers.map((c) => c.external_id));
        after = page.next ?? undefined;
      } while (after);
      expect(seen.sort(), sort).toEqual(["C1", "C2", "C3"]);
    }
    expect((await run(listRoute.loader, get("/staff/customers?sort=nonsense&r=9", cookie))).status).toBe(200);
  });
});
