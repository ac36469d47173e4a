// Deterministic demo data: the same seed and `asOf` always give the same customers and purchases.
// Shapes follow what a consumer brand actually sees (DESIGN §2): many one-time buyers, a loyal
// core that keeps buying, repeat buyers who drift away, and customers who lapsed long ago.
import { fakerEN, fakerJA } from "@faker-js/faker";
import { customers as customersTable, purchases as purchasesTable } from "../schema";
import type { Db } from "../client.server";
import { orderKey } from "../keys";

export interface DemoOptions {
  seed?: number;
  customers?: number;
  asOf?: Date;
}

export interface DemoCustomer {
  externalId: string;
  email: string;
  name: string;
  locale: "ja" | "en";
  marketingConsent: boolean;
  createdAt: Date;
}

export interface DemoPurchase {
  customerExternalId: string;
  purchasedAt: Date;
  amount: string;
  orderId: string;
  channel: "online" | "store";
  store: string | null;
}

export type Archetype = "one_time" | "light" | "regular" | "loyal" | "lapsed";

const DAY = 86_400_000;
const WINDOW_DAYS = 3 * 365;
const STORES = ["渋谷店", "新宿店", "梅田店", "名古屋栄店", "福岡天神店", "札幌大通店"];

// Archetype shares and purchase counts: ~45 % one-time, ~8 purchases per customer on average.
const ARCHETYPES: { kind: Archetype; share: number; purchases: [number, number] }[] = [
  { kind: "one_time", share: 0.45, purchases: [1, 1] },
  { kind: "light", share: 0.25, purchases: [2, 4] },
  { kind: "regular", share: 0.15, purchases: [5, 15] },
  { kind: "loyal", share: 0.1, purchases: [25, 70] },
  { kind: "lapsed", share: 0.05, purchases: [8, 25] },
];

/** mulberry32: a small, fast, well-distributed seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDemoData(options: DemoOptions = {}) {
  const seed = options.seed ?? 42;
  const count = options.customers ?? 5000;
  const asOf = startOfDay(options.asOf ?? new Date());
  const random = mulberry32(seed);
  fakerJA.seed(seed);
  fakerEN.seed(seed + 1);

  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const daysAgo = (days: number) => new Date(asOf.getTime() - days * DAY);
  // Shop hours in Japan (10:00–21:00 JST = 01:00–12:00 UTC), to the minute.
  const atShopHours = (day: Date) => new Date(startOfDay(day).getTime() + (60 + int(0, 11 * 60 - 1)) * 60_000);
  // Log-normal basket around ¥4,000, rounded to ¥10; loyal customers spend a little more.
  const basket = (scale: number) => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(300, Math.round((4000 * scale * Math.exp(0.55 * normal)) / 10) * 10);
  };

  const customers: DemoCustomer[] = [];
  const purchases: DemoPurchase[] = [];
  const archetypes: Archetype[] = [];
  let order = 0;

  for (let i = 1; i <= count; i++) {
    const archetype = chooseArchetype(random());
    const japanese = random() < 0.7;
    const person = japanese ? fakerJA.person : fakerEN.person;
    const name = japanese ? `${person.lastName()} ${person.firstName()}` : `${person.firstName()} ${person.lastName()}`;
    const externalId = `C${String(i).padStart(6, "0")}`;
    const localPart = fakerEN.internet.username().toLowerCase().replace(/[^a-z0-9._-]/g, "");
    const email = `${localPart || "customer"}.${i}@${japanese ? "example.jp" : "example.com"}`;

    const spec = ARCHETYPES.find((a) => a.kind === archetype)!;
    const n = int(spec.purchases[0], spec.purchases[1]);
    const [from, to] = activeSpan(archetype, int);
    const days = Array.from({ length: n }, () => from - random() * (from - to)).sort((a, b) => b - a);
    const scale = archetype === "loyal" ? 1.25 : archetype === "regular" ? 1.1 : 1;
    const channel = random() < 0.55 ? "online" : "store";
    const homeStore = pick(STORES);

    // Day 0 is the day before asOf: the data ends where asOf starts.
    const bought = days.map((d) => atShopHours(daysAgo(Math.floor(d) + 1)));
    customers.push({
      externalId,
      email,
      name,
      locale: japanese ? "ja" : "en",
      marketingConsent: random() < 0.7,
      createdAt: new Date(bought[0].getTime() - int(0, 30) * DAY),
    });
    archetypes.push(archetype);
    for (const purchasedAt of bought) {
      const ch = random() < 0.8 ? channel : channel === "online" ? "store" : "online";
      const amount = basket(scale);
      order++;
      purchases.push({
        customerExternalId: externalId,
        purchasedAt,
        amount: amount.toFixed(2),
        orderId: `O${String(order).padStart(8, "0")}`,
        channel: ch,
        store: ch === "store" ? homeStore : null,
      });
      // About 1 % of purchases are later refunded in full: a negative row of its own.
      if (random() < 0.01) {
        const refundedAt = new Date(Math.min(purchasedAt.getTime() + int(1, 14) * DAY, asOf.getTime() - 60_000));
        order++;
        purchases.push({
          customerExternalId: externalId,
          purchasedAt: refundedAt,
          amount: (-amount).toFixed(2),
          orderId: `R${String(order).padStart(8, "0")}`,
          channel: ch,
          store: ch === "store" ? homeStore : null,
        });
      }
    }
  }
  return { customers, purchases, archetypes };
}

function chooseArchetype(r: number): Archetype {
  let acc = 0;
  for (const a of ARCHETYPES) {
    acc += a.share;
    if (r < acc) return a.kind;
  }
  return "one_time";
}

/** Days before `asOf` between which the customer buys: [first, last]. */
function activeSpan(archetype: Archetype, int: (min: number, max: number) => number): [number, number] {
  switch (archetype) {
    case "one_time": {
      const d = int(0, WINDOW_DAYS - 1);
      return [d, d];
    }
    case "light": {
      const first = int(30, WINDOW_DAYS - 1);
      return [first, Math.max(0, first - int(30, 400))];
    }
    case "regular": {
      const first = int(200, WINDOW_DAYS - 1);
      return [first, int(0, 200)];
    }
    case "loyal":
      return [int(700, WINDOW_DAYS - 1), int(0, 30)];
    case "lapsed": {
      const last = int(400, 800);
      return [Math.min(WINDOW_DAYS - 1, last + int(200, 500)), last];
    }
  }
}

function startOfDay(d: Date) {
  return new Date(Math.floor(d.getTime() / DAY) * DAY);
}

/** Inserts the demo data in one transaction; returns how many rows were written. */
export async function seedDemo(db: Db, options: DemoOptions = {}) {
  const data = generateDemoData(options);
  await db.transaction(async (tx) => {
    const ids = new Map<string, number>();
    for (const chunk of chunks(data.customers, 1000)) {
      const rows = await tx
        .insert(customersTable)
        .values(chunk)
        .returning({ id: customersTable.id, externalId: customersTable.externalId });
      for (const row of rows) ids.set(row.externalId, row.id);
    }
    for (const chunk of chunks(data.purchases, 2000)) {
      await tx.insert(purchasesTable).values(
        chunk.map(({ customerExternalId, ...p }) => ({
          ...p,
          customerId: ids.get(customerExternalId)!,
          dedupeKey: orderKey(p.orderId),
        })),
      );
    }
  });
  return { customers: data.customers.length, purchases: data.purchases.length };
}

function* chunks<T>(items: T[], size: number) {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
