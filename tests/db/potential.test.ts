// Customer potential (issue 19) on the database, on PGlite and on PostgreSQL: the models' inputs the
// behaviour refresh computes equal the pure rule's, purchases after the as-of date change nothing, every
// customer gets the three figures the models give for their inputs, the export appends them in order,
// and a fit that cannot converge keeps the previous parameters with its reason.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { generateDemoData, seedDemo } from "../../db/seed/demo";
import { potentialInputsAsOf, HORIZON_DAYS } from "~/domain/potential";
import { countCustomers, exportColumns, exportCustomerRows, getCustomer, listCustomers } from "~/models/customers.server";
import { currentFits, latestAttempt } from "~/models/potential.server";
import { refreshBehaviour } from "~/services/behaviour.server";
import { expectedPurchases, expectedSpend, pAlive, type BgNbdParams, type GammaGammaParams } from "~/services/potential/model.server";
import { useTestDatabase } from "../setup/db";

const options = { seed: 19, customers: 600, asOf: new Date("2026-11-01T00:00:00Z") };
const tz = "Asia/Tokyo";
const AS_OF = "2026-09-30";

interface Row {
  external_id: string;
  x: number;
  tx: number | null;
  t: number | null;
  repeat_amount: string | null;
  p_alive: number | null;
  expected_purchases_90d: number | null;
  expected_value_90d: number | null;
}

const rowsNow = () =>
  queryRows<Row>(sql`
    select c.external_id, m.purchase_days - 1 as x, m.tenure_days as tx, m.tenure_days + m.lapse_days as t,
           m.repeat_amount::text as repeat_amount, p.p_alive, p.expected_purchases_90d, p.expected_value_90d
      from customers c join customer_metrics m on m.customer_id = c.id
      left join customer_potential p on p.customer_id = c.id
     order by c.external_id`);

describe("customer potential", () => {
  const database = useTestDatabase();

  it("fits on the inputs the pure rule gives, scores every buyer with the models' figures, and ignores purchases after the as-of date", async () => {
    await seedDemo(database.current.db, options);
    const refreshed = await refreshBehaviour({ asOf: AS_OF });
    expect(refreshed.potential?.bgnbd.converged).toBe(true);
    expect(refreshed.potential?.gammaGamma.converged).toBe(true);

    // The inputs, as the pure rule computes them from the generated purchases.
    const data = generateDemoData(options);
    const byCustomer = new Map<string, { purchasedAt: Date; amount: number }[]>();
    for (const p of data.purchases) {
      const list = byCustomer.get(p.customerExternalId) ?? [];
      list.push({ purchasedAt: p.purchasedAt, amount: Number(p.amount) });
      byCustomer.set(p.customerExternalId, list);
    }
    const rows = await rowsNow();
    const fits = await currentFits();
    const bg = fits.bgnbd!.params as unknown as BgNbdParams;
    const gg = fits.gammaGamma!.params as unknown as GammaGammaParams;
    let scored = 0;
    for (const row of rows) {
      const inputs = potentialInputsAsOf(byCustomer.get(row.external_id) ?? [], AS_OF, tz);
      if (!inputs) {
        expect(row.p_alive, row.external_id).toBeNull();
        continue;
      }
      scored++;
      const mx = row.repeat_amount === null ? null : Number(row.repeat_amount) / row.x;
      expect({ x: row.x, tx: row.tx, T: row.t }, row.external_id).toEqual({ x: inputs.x, tx: inputs.tx, T: inputs.T });
      if (inputs.mx === null) expect(mx).toBeNull();
      else expect(mx!).toBeCloseTo(inputs.mx, 6);
      // The figures are the models' for these inputs (computed here in JS, there in SQL and JS).
      const alive = pAlive(bg, inputs.x, inputs.tx, inputs.T);
      const purchases = expectedPurchases(bg, HORIZON_DAYS, inputs.x, inputs.tx, inputs.T);
      expect(row.p_alive!).toBeCloseTo(alive, 9);
      expect(row.expected_purchases_90d!).toBeCloseTo(purchases, 9);
      const spend = inputs.mx && inputs.mx > 0 ? expectedSpend(gg, inputs.x, inputs.mx) : expectedSpend(gg, 0, 0);
      expect(row.expected_value_90d! / (purchases * spend)).toBeCloseTo(1, 9);
    }
    expect(scored).toBeGreaterThan(300);
    // Customers differ: some look gone, some very much alive.
    const alive = rows.filter((r) => r.p_alive !== null).map((r) => r.p_alive!);
    expect(Math.min(...alive)).toBeLessThan(0.3);
    expect(Math.max(...alive)).toBe(1);

    // Purchases after the as-of date: for existing customers, and a customer who only buys later.
    await database.current.db.execute(sql`insert into customers (external_id) values ('LATER_ONLY')`);
    await database.current.db.execute(sql`
      insert into purchases (customer_id, purchased_at, amount, dedupe_key)
      select c.id, '2026-10-15T03:00:00Z'::timestamptz + (c.id % 7) * interval '1 day', 5000 + c.id, md5('later-' || c.id)::uuid
        from customers c where c.id % 3 = 0 or c.external_id = 'LATER_ONLY'`);
    const before = { rows, bg: fits.bgnbd!.params, gg: fits.gammaGamma!.params, customers: fits.bgnbd!.customers };
    await refreshBehaviour({ asOf: AS_OF });
    const after = await currentFits();
    expect(after.bgnbd!.id).not.toBe(fits.bgnbd!.id); // refitted...
    expect(after.bgnbd!.customers).toBe(before.customers); // ...on the same customers
    for (const k of ["r", "alpha", "a", "b"]) expect(after.bgnbd!.params![k] / before.bg![k]).toBeCloseTo(1, 6);
    for (const k of ["p", "q", "gamma"]) expect(after.gammaGamma!.params![k] / before.gg![k]).toBeCloseTo(1, 6);
    const rowsAfter = (await rowsNow()).filter((r) => r.external_id !== "LATER_ONLY");
    expect(rowsAfter.map((r) => [r.external_id, r.x, r.tx, r.t, r.repeat_amount])).toEqual(before.rows.map((r) => [r.external_id, r.x, r.tx, r.t, r.repeat_amount]));
    rowsAfter.forEach((r, i) => {
      const was = before.rows[i];
      if (was.p_alive === null) return expect(r.p_alive).toBeNull();
      expect(r.p_alive!).toBeCloseTo(was.p_alive, 6);
      expect(r.expected_purchases_90d!).toBeCloseTo(was.expected_purchases_90d!, 6);
      expect(r.expected_value_90d! / was.expected_value_90d!).toBeCloseTo(1, 6);
    });
    const [later] = (await rowsNow()).filter((r) => r.external_id === "LATER_ONLY");
    expect(later.p_alive).toBeNull();
  });

  it("shows the figures on the list, sorted and filtered, on the customer page and at the end of the export", async () => {
    await seedDemo(database.current.db, options);
    await refreshBehaviour({ asOf: AS_OF });

    const byAlive = await listCustomers({ sort: "alive" }, { limit: 1000 });
    const alive = byAlive.customers.map((c) => c.p_alive!);
    expect(alive.length).toBeGreaterThan(300);
    expect(alive).toEqual([...alive].sort((a, b) => b - a));
    // The keyset's next page continues below the last one.
    const second = await listCustomers({ sort: "alive", after: (await listCustomers({ sort: "alive" }, { limit: 20 })).next! }, { limit: 20 });
    expect(second.customers[0].p_alive!).toBeLessThanOrEqual(alive[19]);

    // The lapsed-loyal follow-up list: that segment only, by p_alive, and counted alike.
    const followUp = await listCustomers({ sort: "alive", segment: "loyal_lapsed" }, { limit: 500 });
    expect(followUp.customers.length).toBeGreaterThan(0);
    expect(followUp.customers.every((c) => c.cpm_segment === "loyal_lapsed")).toBe(true);
    const followUpAlive = followUp.customers.map((c) => c.p_alive!);
    expect(followUpAlive).toEqual([...followUpAlive].sort((a, b) => b - a));
    expect(await countCustomers({ sort: "alive", segment: "loyal_lapsed" })).toBe(followUp.customers.length);
    expect(await countCustomers({ sort: "alive" })).toBe(alive.length);

    const byValue = await listCustomers({ sort: "value" }, { limit: 50 });
    const values = byValue.customers.map((c) => c.expected_value_90d!);
    expect(values).toEqual([...values].sort((a, b) => b - a));

    const band = await listCustomers({ sort: "total", minAlive: 20, maxAlive: 60 }, { limit: 500 });
    expect(band.customers.length).toBeGreaterThan(0);
    for (const c of band.customers) expect(c.p_alive! >= 0.2 && c.p_alive! <= 0.6).toBe(true);
    const floor = await listCustomers({ sort: "total", minValue: values[10] }, { limit: 500 });
    expect(floor.customers.length).toBeGreaterThanOrEqual(11);
    for (const c of floor.customers) expect(c.expected_value_90d!).toBeGreaterThanOrEqual(values[10]);

    const page = await getCustomer(byAlive.customers[0].id);
    expect(page!.customer.p_alive).toBe(byAlive.customers[0].p_alive);
    expect(page!.customer.potential_as_of).toBe(AS_OF);

    expect(exportColumns.slice(-3)).toEqual(["p_alive", "expected_purchases_90d", "expected_value_90d"]);
    const exported = new Map<string, (string | number | null)[]>();
    for await (const batch of exportCustomerRows({ sort: "id" })) for (const r of batch) exported.set(String(r[0]), r);
    const top = byValue.customers[0];
    const line = exported.get(top.external_id)!;
    expect(Number(line.at(-3))).toBeCloseTo(top.p_alive!, 4);
    expect(Number(line.at(-2))).toBeCloseTo(top.expected_purchases_90d!, 3);
    expect(Number(line.at(-1))).toBeCloseTo(top.expected_value_90d!, 2);
  });

  it("keeps the previous parameters, and says why, when a fit cannot converge", async () => {
    await seedDemo(database.current.db, options);
    await refreshBehaviour({ asOf: AS_OF });
    const good = await currentFits();
    // Nobody has a repeat purchase day as of the first day of the data: nothing for either model.
    const [{ first }] = await queryRows<{ first: string }>(
      sql`select to_char(min(purchased_at) at time zone ${tz}, 'YYYY-MM-DD') as first from purchases`,
    );
    const result = await refreshBehaviour({ asOf: first });
    expect(result.potential?.bgnbd.converged).toBe(false);
    expect(result.potential?.bgnbd.message).toMatch(/\w+/);
    const failed = await latestAttempt("bgnbd");
    expect(failed?.converged).toBe(false);
    expect(failed?.params).toBeNull();
    expect(failed?.message).toBe(result.potential?.bgnbd.message);
    const kept = await currentFits();
    expect(kept.bgnbd?.id).toBe(good.bgnbd?.id);
    expect(kept.gammaGamma?.id).toBe(good.gammaGamma?.id);
  });
});
