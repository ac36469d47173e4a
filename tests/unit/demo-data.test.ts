import { describe, expect, it } from "vitest";
import { generateDemoData } from "../../db/seed/demo";

const asOf = new Date("2026-11-01T00:00:00Z");

describe("demo data", () => {
  const data = generateDemoData({ seed: 42, customers: 5000, asOf });

  it("is deterministic for a seed and date, and differs for another seed", () => {
    const again = generateDemoData({ seed: 42, customers: 5000, asOf });
    expect(again.customers).toEqual(data.customers);
    expect(again.purchases).toEqual(data.purchases);
    const other = generateDemoData({ seed: 7, customers: 5000, asOf });
    expect(other.customers.map((c) => c.name)).not.toEqual(data.customers.map((c) => c.name));
  });

  it("has about 40,000 purchases over three years, none after asOf, with unique orders", () => {
    expect(data.customers).toHaveLength(5000);
    expect(data.purchases.length).toBeGreaterThan(36_000);
    expect(data.purchases.length).toBeLessThan(46_000);
    const times = data.purchases.map((p) => p.purchasedAt.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(asOf.getTime());
    expect(Math.min(...times)).toBeGreaterThan(asOf.getTime() - 3 * 366 * 86_400_000);
    expect(new Set(data.purchases.map((p) => p.orderId)).size).toBe(data.purchases.length);
    expect(new Set(data.customers.map((c) => c.email)).size).toBe(data.customers.length);
  });

  it("has realistic shapes: many one-time buyers, a loyal core, lapsed customers, refunds", () => {
    const perCustomer = new Map<string, { n: number; last: number }>();
    for (const p of data.purchases) {
      if (Number(p.amount) < 0) continue;
      const entry = perCustomer.get(p.customerExternalId) ?? { n: 0, last: 0 };
      entry.n++;
      entry.last = Math.max(entry.last, p.purchasedAt.getTime());
      perCustomer.set(p.customerExternalId, entry);
    }
    const counts = [...perCustomer.values()];
    const share = (f: (c: { n: number; last: number }) => boolean) => counts.filter(f).length / counts.length;
    expect(share((c) => c.n === 1)).toBeGreaterThan(0.4);
    expect(share((c) => c.n >= 25 && asOf.getTime() - c.last < 60 * 86_400_000)).toBeGreaterThan(0.07);
    expect(share((c) => c.n >= 8 && asOf.getTime() - c.last > 365 * 86_400_000)).toBeGreaterThan(0.03);
    expect(data.purchases.some((p) => Number(p.amount) < 0)).toBe(true);
  });

  it("mixes Japanese and English names", () => {
    const japanese = data.customers.filter((c) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(c.name)).length;
    expect(japanese / data.customers.length).toBeGreaterThan(0.6);
    expect(japanese / data.customers.length).toBeLessThan(0.8);
    expect(data.customers.every((c) => c.locale === (/[\u4e00-\u9fff\u3040-\u30ff]/.test(c.name) ? "ja" : "en"))).toBe(true);
  });
});
