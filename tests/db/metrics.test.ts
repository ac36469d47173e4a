import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows, type Db } from "../../db/client.server";
import { generateDemoData, seedDemo } from "../../db/seed/demo";
import { figuresAsOf, segmentOf, type Borders } from "~/domain/cpm";
import { getBorderEvidence, getCohorts, getMatrix, getMetricsState, getMovement, previewBorders, refreshMetrics } from "~/models/metrics.server";
import { saveBorders } from "~/services/behaviour.server";
import { useTestDatabase } from "../setup/db";

const asOf = new Date("2026-11-01T00:00:00Z");
const options = { seed: 11, customers: 400, asOf };
const tz = "Asia/Tokyo";

// Customers the demo data lacks. A purchase of amount 0 is a purchase (a fully discounted order, one
// paid with points, a free item); only a negative amount is a refund.
const zeroAmountCustomers: Record<string, [string, number][]> = {
  Z_ONE_FREE: [["2026-03-15T03:00:00Z", 0]],
  Z_ONLY_FREE: [["2025-05-01T03:00:00Z", 0], ["2025-12-24T03:00:00Z", 0], ["2026-06-01T03:00:00Z", 0]],
  Z_FREE_AND_REFUND: [["2026-02-01T03:00:00Z", 0], ["2026-02-10T03:00:00Z", -1200]],
  Z_ONLY_REFUND: [["2026-01-01T03:00:00Z", -800]],
  Z_PAID_THEN_FREE: [["2025-06-01T03:00:00Z", 45000], ["2026-06-20T03:00:00Z", 0]],
  Z_FREE_SAME_DAY: [["2026-04-01T00:30:00Z", 3000], ["2026-04-01T06:00:00Z", 0], ["2026-04-03T03:00:00Z", -3000]],
  // 23:59:59 on 30 June in Tokyo counts as of 30 June; a second later is 1 July.
  Z_FREE_AT_AS_OF: [["2026-06-30T14:59:59Z", 0], ["2026-06-30T15:00:00Z", 0]],
  Z_FREE_LATER: [["2026-08-01T03:00:00Z", 0]],
};

/** The demo data of `options` plus zeroAmountCustomers. */
async function seedWithZeroAmounts(db: Db) {
  await seedDemo(db, options);
  for (const [id, purchases] of Object.entries(zeroAmountCustomers)) {
    await db.execute(sql`insert into customers (external_id) values (${id})`);
    for (const [k, [at, amount]] of purchases.entries()) {
      await db.execute(
        sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
            select id, ${at}::timestamptz, ${amount}, md5(${`${id}-${k}`})::uuid from customers where external_id = ${id}`,
      );
    }
  }
}

function expectedSegments(date: string, borders: Borders) {
  const data = generateDemoData(options);
  const byCustomer = new Map<string, { purchasedAt: Date; amount: number }[]>();
  for (const p of data.purchases) {
    const list = byCustomer.get(p.customerExternalId) ?? [];
    list.push({ purchasedAt: p.purchasedAt, amount: Number(p.amount) });
    byCustomer.set(p.customerExternalId, list);
  }
  for (const [id, purchases] of Object.entries(zeroAmountCustomers)) {
    byCustomer.set(id, purchases.map(([at, amount]) => ({ purchasedAt: new Date(at), amount })));
  }
  const ids = [...data.customers.map((c) => c.externalId), ...Object.keys(zeroAmountCustomers)];
  return new Map(ids.map((id) => [id, { figures: figuresAsOf(byCustomer.get(id) ?? [], date, tz), borders }]));
}

describe("behaviour metrics refresh", () => {
  const database = useTestDatabase();

  it("computes the same figures and segments in SQL as the pure rules, as of a date", async () => {
    await seedWithZeroAmounts(database.current.db);
    const { asOf: refreshedAsOf } = await refreshMetrics({ asOf: "2026-06-30" });
    expect(refreshedAsOf).toBe("2026-06-30");
    const state = await getMetricsState();
    const expected = expectedSegments("2026-06-30", state);
    const rows = await queryRows<{ external_id: string; purchase_count: number; total_amount: string; tenure_days: number | null; lapse_days: number | null; cpm_segment: string | null; rfm_r: number | null; rfm_f: number | null; rfm_m: number | null; first: string | null; last: string | null }>(
      sql`select c.external_id, m.purchase_count, m.total_amount::text, m.tenure_days, m.lapse_days, m.cpm_segment, m.rfm_r, m.rfm_f, m.rfm_m,
                 to_char(m.first_purchase_at at time zone ${tz}, 'YYYY-MM-DD') as first, to_char(m.last_purchase_at at time zone ${tz}, 'YYYY-MM-DD') as last
            from customer_metrics m join customers c on c.id = m.customer_id`,
    );
    expect(rows).toHaveLength(400 + Object.keys(zeroAmountCustomers).length);
    let segmented = 0;
    for (const row of rows) {
      const { figures, borders } = expected.get(row.external_id)!;
      expect({ n: row.purchase_count, total: Number(row.total_amount), tenure: row.tenure_days, lapse: row.lapse_days }, row.external_id).toEqual({
        n: figures.purchaseCount,
        total: figures.totalAmount,
        tenure: figures.tenureDays,
        lapse: figures.lapseDays,
      });
      expect(row.cpm_segment, row.external_id).toBe(segmentOf(figures, borders));
      if (row.cpm_segment) {
        segmented++;
        for (const score of [row.rfm_r, row.rfm_f, row.rfm_m]) expect(score).toBeGreaterThanOrEqual(1);
        for (const score of [row.rfm_r, row.rfm_f, row.rfm_m]) expect(score).toBeLessThanOrEqual(5);
      } else {
        expect(row.rfm_r).toBeNull();
      }
    }
    // Customers who had not yet bought by 30 June have no segment; most had.
    expect(segmented).toBeGreaterThan(250);
    expect(segmented).toBeLessThan(400);

    // ¥0 purchases count, are dated and give a segment; a refund alone does not.
    const zero = new Map(rows.filter((r) => r.external_id.startsWith("Z_")).map((r) => [r.external_id, r]));
    expect(zero.get("Z_ONE_FREE")).toMatchObject({ purchase_count: 1, total_amount: "0.00", first: "2026-03-15", last: "2026-03-15", cpm_segment: "first_active" });
    expect(zero.get("Z_ONLY_FREE")).toMatchObject({ purchase_count: 3, total_amount: "0.00", first: "2025-05-01", last: "2026-06-01" });
    expect(zero.get("Z_ONLY_FREE")!.cpm_segment).not.toBeNull();
    expect(zero.get("Z_FREE_AND_REFUND")).toMatchObject({ purchase_count: 1, total_amount: "-1200.00", first: "2026-02-01", cpm_segment: "first_active" });
    expect(zero.get("Z_ONLY_REFUND")).toMatchObject({ purchase_count: 0, total_amount: "-800.00", first: null, cpm_segment: null });
    expect(zero.get("Z_PAID_THEN_FREE")).toMatchObject({ purchase_count: 2, total_amount: "45000.00", last: "2026-06-20", tenure_days: 384 });
    expect(zero.get("Z_FREE_SAME_DAY")).toMatchObject({ purchase_count: 2, total_amount: "0.00", tenure_days: 0 });
    expect(zero.get("Z_FREE_AT_AS_OF")).toMatchObject({ purchase_count: 1, last: "2026-06-30", lapse_days: 0 });
    expect(zero.get("Z_FREE_LATER")).toMatchObject({ purchase_count: 0, cpm_segment: null });

    // The most recent buyers score R = 5, the longest lapsed R = 1.
    const [r] = await queryRows<{ r_recent: number; r_old: number }>(
      sql`select (select rfm_r from customer_metrics where lapse_days is not null order by lapse_days asc, customer_id limit 1) as r_recent,
                 (select rfm_r from customer_metrics where lapse_days is not null order by lapse_days desc, customer_id limit 1) as r_old`,
    );
    expect(r).toEqual({ r_recent: 5, r_old: 1 });
  });

  it("re-segments everyone when a border changes, and the preview predicted the moves", async () => {
    await seedDemo(database.current.db, options);
    await refreshMetrics({ asOf: "2026-11-01" });
    const before = await getMatrix();
    const next = { tenureBorderDays: 200, spendBorder: 15000, lapseBorderDays: 90 };
    const preview = await previewBorders(next);
    expect(preview.moved).toBeGreaterThan(0);
    await saveBorders(next);
    const after = await getMatrix();
    expect(after.segmented).toBe(before.segmented);
    const changedCells = after.cells.filter((c, i) => c.customers !== before.cells[i].customers);
    expect(changedCells.length).toBeGreaterThan(0);
    // Net change per segment equals the preview's moves in and out.
    for (const cell of after.cells) {
      const was = before.cells.find((c) => c.segment === cell.segment)!.customers;
      const moveIn = preview.moves.filter((m) => m.to === cell.segment).reduce((n, m) => n + m.customers, 0);
      const moveOut = preview.moves.filter((m) => m.from === cell.segment).reduce((n, m) => n + m.customers, 0);
      expect(cell.customers, cell.segment).toBe(was + moveIn - moveOut);
    }
    expect((await getMetricsState()).asOf).toBe("2026-11-01");
    expect(after.cells.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 6);
  });

  it("counts movement between two dates like the pure rules do", async () => {
    await seedWithZeroAmounts(database.current.db);
    await refreshMetrics({ asOf: "2026-11-01" });
    const borders = await getMetricsState();
    const from = expectedSegments("2025-11-01", borders);
    const to = expectedSegments("2026-11-01", borders);
    const counts = new Map<string, number>();
    for (const [id, f] of from) {
      const a = segmentOf(f.figures, borders);
      const b = segmentOf(to.get(id)!.figures, borders);
      if (a === null && b === null) continue;
      counts.set(`${a}→${b}`, (counts.get(`${a}→${b}`) ?? 0) + 1);
    }
    const movement = await getMovement("2025-11-01", "2026-11-01");
    expect(new Map(movement.map((m) => [`${m.from}→${m.to}`, m.customers]))).toEqual(counts);
  });

  it("gives cohorts and border evidence from the data", async () => {
    await seedDemo(database.current.db, options);
    await refreshMetrics({ asOf: "2026-11-01" });
    const cohorts = await getCohorts();
    expect(cohorts.length).toBeGreaterThan(20);
    expect(cohorts.map((c) => c.month)).toEqual([...cohorts.map((c) => c.month)].sort());
    for (const c of cohorts) expect(c.converted).toBeLessThanOrEqual(c.customers);
    expect(cohorts.at(-1)!.complete).toBe(false);
    expect(cohorts[0].complete).toBe(true);
    const evidence = await getBorderEvidence();
    expect(evidence.repeatCustomers).toBeGreaterThan(100);
    expect(evidence.gapP90).toBeGreaterThan(0);
    expect(evidence.repeatSpendMedian).toBeGreaterThan(0);
  });
});

describe("RFM scores and the second purchase", () => {
  useTestDatabase();

  it("scores by quintile with ties sharing a score, and finds the second purchase in time order", async () => {
    // [purchase times as days after 2026-01-01 (a refund is negative amount), amount]: inserted out of
    // time order on purpose; several customers tie on count, total and last purchase.
    const customers: [number, number][][] = [
      [[0, 1000]],
      [[3, 1000]],
      [[5, 500], [1, 500]],
      [[5, 800], [5, 200]], // two purchases at the same moment: the second is that moment too
      [[9, 300], [2, 300], [7, -300], [4, 1400]], // the refund is not the second purchase
      [[1, 100], [2, 100], [3, 100]],
      [[8, 5000], [6, 100], [7, 100], [9, 100]],
      [[9, 250], [8, 250], [7, 250], [6, 250]],
      [[2, 50], [1, 50], [4, 50], [3, 50], [9, 50]],
      [[9, 9000]],
      [[9, -500]], // only a refund: no purchase, no scores
      [[6, 0], [4, 0]], // only ¥0 purchases: two purchases, total 0, scored like any other
      [[3, 0], [5, -200]], // a ¥0 purchase and a refund: one purchase, total −200
    ];
    for (const [i, purchases] of customers.entries()) {
      const id = `R${i}`;
      await getDb().execute(sql`insert into customers (external_id) values (${id})`);
      for (const [k, [day, amount]] of purchases.entries()) {
        await getDb().execute(
          sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
              select id, timestamptz '2026-01-01 12:00:00+09' + ${day} * interval '1 day', ${amount}, md5(${`${id}-${k}`})::uuid
              from customers where external_id = ${id}`,
        );
      }
    }
    await refreshMetrics({ asOf: "2026-03-01" });
    const rows = await queryRows<{ id: string; n: number; total: string; last: string | null; second: string | null; r: number | null; f: number | null; m: number | null }>(
      sql`select c.external_id as id, m.purchase_count as n, m.total_amount::text as total, m.last_purchase_at::text as last,
                 m.second_purchase_at::text as second, m.rfm_r as r, m.rfm_f as f, m.rfm_m as m
          from customer_metrics m join customers c on c.id = m.customer_id order by c.id`,
    );

    // The definition: 1 + floor(5 × percent_rank) capped at 5, percent_rank = (values below) / (n − 1).
    const buyers = customers.map((p) => p.filter(([, a]) => a >= 0)).map((bought, i) => ({ i, bought, total: customers[i]!.reduce((t, [, a]) => t + a, 0) })).filter((c) => c.bought.length > 0);
    const score = (values: number[], v: number) => Math.min(5, 1 + Math.floor((5 * values.filter((x) => x < v).length) / (values.length - 1)));
    const lastDay = (c: (typeof buyers)[number]) => Math.max(...c.bought.map(([d]) => d));
    for (const c of buyers) {
      const row = rows[c.i]!;
      expect(row.n).toBe(c.bought.length);
      expect([row.id, row.r, row.f, row.m]).toEqual([
        `R${c.i}`,
        score(buyers.map(lastDay), lastDay(c)),
        score(buyers.map((b) => b.bought.length), c.bought.length),
        score(buyers.map((b) => b.total), c.total),
      ]);
      const days = c.bought.map(([d]) => d).sort((a, b) => a - b);
      const at = (day: number) => new Date(Date.UTC(2026, 0, 1, 3) + day * 86_400_000).getTime();
      expect(row.second === null ? null : new Date(row.second).getTime()).toBe(days.length > 1 ? at(days[1]!) : null);
    }
    // Ties share a score: R0 and R1 bought once; R3 bought twice at the same moment.
    expect(rows[0]!.f).toBe(rows[1]!.f);
    expect(new Date(rows[3]!.second!).getTime()).toBe(new Date(rows[3]!.last!).getTime());
    // Only a refund: counted nowhere.
    expect(rows[10]).toMatchObject({ n: 0, total: "-500.00", second: null, r: null, f: null, m: null });
    // ¥0 purchases are scored like any other; totals of 0 and −200 are the lowest, M = 1.
    expect(rows[11]).toMatchObject({ n: 2, total: "0.00", m: 1 });
    expect(rows[12]).toMatchObject({ n: 1, total: "-200.00", second: null, m: 1 });
  });
});

describe("the daily refresh", () => {
  useTestDatabase();

  it("recomputes when the metrics are older than today, and only then", async () => {
    const { refreshBehaviourIfStale: refreshIfStale } = await import("~/services/behaviour.server");
    await refreshMetrics({ asOf: "2020-01-01" });
    const refreshed = await refreshIfStale();
    expect(refreshed).not.toBeNull();
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
    expect((await getMetricsState()).asOf).toBe(today);
    expect(await refreshIfStale()).toBeNull();
  });
});

describe("the analysis date in Settings", () => {
  useTestDatabase();

  it("computes the metrics as of a fixed date, keeps it through the daily refresh, and says so on the behaviour pages", async () => {
    const settings = await import("~/routes/staff.settings");
    const behaviour = await import("~/routes/staff.behaviour");
    const { refreshBehaviourIfStale: refreshIfStale } = await import("~/services/behaviour.server");
    const { post, get, staffSession } = await import("../support/requests");
    const call = (handler: unknown, request: Request) =>
      (handler as (args: unknown) => Promise<unknown>)({ request, params: {}, context: {} }).catch((e: unknown) => e);
    await seedDemo(getDb(), options);
    const admin = await staffSession("admin");
    const viewer = await staffSession("viewer");
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());

    // Only admins; a date that does not exist or lies ahead is refused by name, nothing changes.
    expect(((await call(settings.action, post("/staff/settings", { intent: "analysisDate", analysisMode: "fixed", analysisDate: "2026-06-30" }, viewer.cookie))) as Response).status).toBe(403);
    for (const [date, message] of [["2026-02-30", "errors.analysisDate"], ["30/06/2026", "errors.analysisDate"], ["", "errors.analysisDate"], ["2999-01-01", "errors.analysisDateRange"]]) {
      const refused = (await call(settings.action, post("/staff/settings", { intent: "analysisDate", analysisMode: "fixed", analysisDate: date! }, admin.cookie))) as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
      expect(refused.init.status, date).toBe(400);
      expect(refused.data.fieldErrors.analysisDate, date).toBe(message);
    }
    expect((await getMetricsState()).analysisDate).toBeNull();

    // Fixed: the metrics are as of that day, as the pure rules compute them, and the daily refresh keeps it.
    expect(await call(settings.action, post("/staff/settings", { intent: "analysisDate", analysisMode: "fixed", analysisDate: "2026-06-30" }, admin.cookie))).toEqual({ fieldErrors: {}, saved: true, rescored: null });
    expect(await getMetricsState()).toMatchObject({ asOf: "2026-06-30", analysisDate: "2026-06-30" });
    expect(await refreshIfStale()).toBeNull();
    await refreshMetrics();
    expect((await getMetricsState()).asOf).toBe("2026-06-30");
    const expected = expectedSegments("2026-06-30", await getMetricsState());
    const rows = await queryRows<{ id: string; segment: string | null }>(
      sql`select c.external_id as id, m.cpm_segment as segment from customer_metrics m join customers c on c.id = m.customer_id`,
    );
    for (const row of rows) expect(row.segment, row.id).toBe(segmentOf(expected.get(row.id)!.figures, expected.get(row.id)!.borders) ?? null);
    const page = (await call(behaviour.loader, get("/staff/behaviour", viewer.cookie))) as Awaited<ReturnType<typeof behaviour.loader>>;
    expect(page).toEqual({ asOf: "2026-06-30", fixed: true });

    // Back to today: recomputed now, and the daily refresh follows the calendar again.
    await call(settings.action, post("/staff/settings", { intent: "analysisDate", analysisMode: "today" }, admin.cookie));
    expect(await getMetricsState()).toMatchObject({ asOf: today, analysisDate: null });
    expect(await call(behaviour.loader, get("/staff/behaviour", viewer.cookie))).toEqual({ asOf: today, fixed: false });
    expect(await refreshIfStale()).toBeNull();
  });
});
