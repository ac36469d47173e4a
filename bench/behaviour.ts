// `npm run bench -- behaviour [--customers N] [--purchases M]`
//
// 1. Generates a purchases CSV (seeded, streamed to a temporary file).
// 2. Baseline: a bare COPY of that file into a plain table with no indexes or constraints.
// 3. Our import (runImport, all or nothing, no refresh): import_rows_per_s, import_ratio = ours ÷ COPY.
// 3b. The floor of any import into purchases as the schema has it (importFloor, measured last): import_floor_ratio.
//    A CHECKPOINT before each timed step, so that none pays for the WAL of the one before.
// 4. refreshMetrics as of 2026-11-01: refresh_s, refresh_ratio = refresh ÷ a plain GROUP BY over purchases.
// 5. The page queries: customer list (by total, and filtered to loyal_active), CPM matrix, cohorts.
// 6. Peak RSS of the whole run.
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import type { DatabaseHandle } from "../db/client.server";
import { listCustomers } from "~/models/customers.server";
import { getCohorts, getMatrix, refreshMetrics } from "~/models/metrics.server";
import { runImport } from "~/services/import/import.server";
import {
  log,
  makeTempDir,
  measured,
  medianMs,
  mulberry32,
  openBenchDatabase,
  parseBenchArgs,
  rawClient,
  rawQuery,
  round,
  timed,
  type PgliteRaw,
  type PostgresRaw,
} from "./lib";

export const AS_OF = "2026-11-01";
const SEED = 42;
const DAY_MS = 86_400_000;
const END_MS = Date.UTC(2026, 10, 1); // AS_OF, 00:00 UTC
const START_MS = Date.UTC(2023, 10, 1); // three years before
const SPAN_DAYS = Math.round((END_MS - START_MS) / DAY_MS);

export interface BehaviourResult {
  import_rows_per_s: number;
  import_ratio: number;
  refresh_s: number;
  refresh_ratio: number;
  list_ms: number;
  matrix_ms: number;
  cohort_ms: number;
  peak_rss_mb: number;
  database: "postgres" | "pglite";
  customers: number;
  purchases: number;
  copy_rows_per_s: number;
  /** The database's own share of an import into purchases (see importFloor), in seconds and ÷ the bare COPY. */
  import_floor_s: number;
  import_floor_ratio: number;
  group_by_s: number;
}

export async function runBehaviourBench(args: string[]): Promise<BehaviourResult> {
  const { customers, purchases } = parseBenchArgs(args, { customers: 10_000, purchases: 100_000 });
  return measured(() => run(customers, purchases));
}

async function run(customers: number, purchases: number): Promise<Omit<BehaviourResult, "peak_rss_mb">> {
  // 1. The data file.
  const { dir } = makeTempDir("portal-bench-data-");
  const file = path.join(dir, "purchases.csv");
  log(`generating ${purchases.toLocaleString("en")} purchases for up to ${customers.toLocaleString("en")} customers (seed ${SEED})`);
  const generated = await timed(() => writePurchasesCsv(file, customers, purchases));
  const g = generated.value;
  log(
    `wrote ${(g.bytes / 1e6).toFixed(1)} MB in ${generated.seconds.toFixed(1)} s: ${g.buyers.toLocaleString("en")} customers with purchases, ` +
      `${pct(g.oneOrder, g.buyers)} with 1, ${pct(g.tenPlus, g.buyers)} with 10+, max ${g.maxPerCustomer}; ${pct(g.refunds, purchases)} refunds`,
  );

  const db = await openBenchDatabase();
  const { handle } = db;
  log(`database: ${db.kind}`);

  // 2. Baseline: bare COPY into a plain table.
  await checkpoint(handle);
  const copySeconds = await bareCopy(handle, file, purchases);
  log(`bare COPY: ${copySeconds.toFixed(2)} s (${Math.round(purchases / copySeconds).toLocaleString("en")} rows/s)`);

  // 3. Our import.
  await checkpoint(handle);
  let lastLog = 0;
  const imported = await timed(() =>
    runImport({
      kind: "purchases",
      fileName: path.basename(file),
      mode: "all_or_nothing",
      open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      bytesTotal: g.bytes,
      refresh: false,
      handle,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLog < 2000 && p.phase === "reading") return;
        lastLog = now;
        log(`  import ${p.phase}: ${p.rowsRead.toLocaleString("en")} rows, ${pct(p.bytesRead, p.bytesTotal ?? g.bytes)} of the file`);
      },
    }),
  );
  const result = imported.value;
  if (result.status !== "done" || result.inserted !== purchases) {
    throw new Error(
      `runImport did not import every row: status ${result.status}, ${result.rowsRead} read, ${result.rowsValid} valid, ` +
        `${result.errorCount} errors, ${result.inserted} inserted (expected ${purchases})` +
        (result.fileError ? `; fileError: ${JSON.stringify(result.fileError)}` : "") +
        (result.errors.length ? `; first errors: ${JSON.stringify(result.errors.slice(0, 5))}` : ""),
    );
  }
  const importSeconds = imported.seconds;
  log(
    `our import: ${importSeconds.toFixed(2)} s (${Math.round(purchases / importSeconds).toLocaleString("en")} rows/s; ` +
      `${result.customersCreated.toLocaleString("en")} customers created; runImport says ${result.seconds.toFixed(2)} s: ` +
      `read+check+stage ${result.readSeconds.toFixed(2)} s, merge ${result.mergeSeconds.toFixed(2)} s)`,
  );

  // 4. Refresh, and its baseline.
  await checkpoint(handle);
  const refreshed = await timed(() => refreshMetrics({ asOf: AS_OF, db: handle.db }));
  log(`refreshMetrics: ${refreshed.seconds.toFixed(2)} s (as of ${refreshed.value.asOf})`);
  const groupBySeconds = await plainGroupBy(handle, g.buyers);
  log(`plain GROUP BY (best of 2): ${groupBySeconds.toFixed(3)} s`);

  // 5. Page queries.
  const listTotal = await medianMs(() => listCustomers({ sort: "total" }));
  const listSegment = await medianMs(() => listCustomers({ sort: "total", segment: "loyal_active" }));
  const matrixMs = await medianMs(() => getMatrix());
  const cohortMs = await medianMs(() => getCohorts());
  const matrix = await getMatrix();
  log(
    `list by total ${listTotal.toFixed(1)} ms, list loyal_active ${listSegment.toFixed(1)} ms, matrix ${matrixMs.toFixed(1)} ms, cohorts ${cohortMs.toFixed(1)} ms`,
  );
  log(`segments: ${matrix.cells.map((c) => `${c.segment} ${c.customers}`).join(", ")}`);

  // 3b, measured last so that its writes disturb nothing else: what the database alone must do for any
  // import into purchases.
  await checkpoint(handle);
  const floor = await importFloor(handle);
  log(
    `import floor: ${floor.seconds.toFixed(2)} s (writing the finished rows ${floor.copySeconds.toFixed(2)} s, ` +
      `the two indexes ${floor.indexSeconds.toFixed(2)} s) = ${(floor.seconds / copySeconds).toFixed(2)} bare COPYs`,
  );

  await db.close();

  return {
    import_rows_per_s: Math.round(purchases / importSeconds),
    import_ratio: round(importSeconds / copySeconds, 2),
    refresh_s: round(refreshed.seconds, 3),
    refresh_ratio: round(refreshed.seconds / groupBySeconds, 2),
    list_ms: round(Math.max(listTotal, listSegment), 1),
    matrix_ms: round(matrixMs, 1),
    cohort_ms: round(cohortMs, 1),
    database: db.kind,
    customers,
    purchases,
    copy_rows_per_s: Math.round(purchases / copySeconds),
    import_floor_s: round(floor.seconds, 2),
    import_floor_ratio: round(floor.seconds / copySeconds, 2),
    group_by_s: round(groupBySeconds, 3),
  };
}

const pct = (part: number, whole: number) => `${whole ? ((100 * part) / whole).toFixed(1) : "0"}%`;

// ---- 1. The seeded purchases file ---------------------------------------------------------------------

export interface GeneratedFile {
  bytes: number;
  /** Customers with at least one row. */
  buyers: number;
  oneOrder: number;
  tenPlus: number;
  maxPerCustomer: number;
  refunds: number;
}

/**
 * Writes `purchases` rows for customer ids C0000001…C<customers>, streamed with back-pressure (memory
 * is O(customers), not O(rows)). Each customer gets a number of rows first — about half buy once, the
 * rest follow a log-normal tail (a few loyal customers with hundreds) — adjusted to sum to exactly
 * `purchases`; then rows are drawn in random order without replacement (a Fenwick tree over the
 * remaining counts). A customer's purchases fall in a window of their own inside the three years
 * before AS_OF (longer for customers who buy more), so some are active and some have lapsed.
 */
export async function writePurchasesCsv(file: string, customers: number, purchases: number): Promise<GeneratedFile> {
  const rand = mulberry32(SEED);
  const counts = purchaseCounts(customers, purchases, rand);

  const start = new Float64Array(customers);
  const span = new Float64Array(customers);
  let buyers = 0;
  let oneOrder = 0;
  let tenPlus = 0;
  let maxPerCustomer = 0;
  for (let i = 0; i < customers; i++) {
    const c = counts[i];
    if (c > 0) buyers++;
    if (c === 1) oneOrder++;
    if (c >= 10) tenPlus++;
    if (c > maxPerCustomer) maxPerCustomer = c;
    const life = c <= 1 ? 0 : SPAN_DAYS * (1 - Math.exp(-c / 10)) * (0.3 + 0.7 * rand());
    start[i] = rand() * (SPAN_DAYS - life);
    span[i] = life;
  }

  const tree = new Fenwick(counts);
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  let refunds = 0;
  let batch = "customer_id,purchased_at,amount,order_id,channel,store\n";
  for (let n = 1, remaining = purchases; remaining > 0; n++, remaining--) {
    const i = tree.take(Math.floor(rand() * remaining));
    const day = Math.min(SPAN_DAYS - 1, Math.floor(start[i] + rand() * span[i]));
    const minute = 9 * 60 + Math.floor(rand() * 13 * 60); // 09:00–21:59
    const iso = new Date(START_MS + day * DAY_MS + minute * 60_000).toISOString();
    let amount = String(Math.round(300 * Math.pow(50_000 / 300, rand()))); // 300–50000, log-uniform
    if (rand() < 0.03) {
      amount = "-" + amount;
      refunds++;
    }
    const r = rand();
    const channel = r < 0.6 ? "store" : r < 0.9 ? "online" : "app";
    const store = r < 0.6 ? "S" + String(1 + Math.floor(rand() * 24)).padStart(2, "0") : "";
    batch += `C${String(i + 1).padStart(7, "0")},${iso.slice(0, 10)} ${iso.slice(11, 19)},${amount},O${n},${channel},${store}\n`;
    if (batch.length >= 1 << 16) {
      await write(batch);
      batch = "";
    }
  }
  if (batch) await write(batch);
  out.end();
  await once(out, "close");
  return { bytes: fs.statSync(file).size, buyers, oneOrder, tenPlus, maxPerCustomer, refunds };
}

/** Rows per customer, summing to exactly `purchases`. */
function purchaseCounts(customers: number, purchases: number, rand: () => number): Int32Array {
  const counts = new Int32Array(customers);
  if (purchases <= customers) {
    for (let i = 0; i < purchases; i++) counts[i] = 1;
    return counts;
  }
  const mean = purchases / customers;
  const oneShare = Math.max(0.5, 2 - mean); // < 1 since mean > 1
  const extraMean = Math.max(0, (mean - oneShare) / (1 - oneShare) - 2); // repeat buyers: 2 + extra
  const sigma = 1;
  let sum = 0;
  for (let i = 0; i < customers; i++) {
    let c = 1;
    if (rand() >= oneShare) {
      const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      c = 2 + Math.round(extraMean * Math.exp(sigma * z - (sigma * sigma) / 2));
    }
    counts[i] = c;
    sum += c;
  }
  // Nudge random repeat buyers up or down until the total is exact.
  const pick = (min: number) => {
    for (let tries = 0; tries < 100; tries++) {
      const i = Math.floor(rand() * customers);
      if (counts[i] >= min) return i;
    }
    for (let i = 0; i < customers; i++) if (counts[i] >= min) return i;
    return -1;
  };
  for (; sum < purchases; sum++) counts[Math.max(0, pick(2))]++;
  for (; sum > purchases; sum--) {
    let i = pick(3);
    if (i < 0) i = pick(2); // never takes a customer below one purchase; exists since purchases > customers
    counts[i]--;
  }
  return counts;
}

/** A Fenwick tree over non-negative counts: `take(k)` finds the slot holding the k-th unit and removes it. */
class Fenwick {
  private tree: Int32Array;
  private top: number;
  constructor(counts: Int32Array) {
    const n = counts.length;
    this.tree = new Int32Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.tree[i] += counts[i - 1];
      const j = i + (i & -i);
      if (j <= n) this.tree[j] += this.tree[i];
    }
    this.top = 1;
    while (this.top * 2 <= n) this.top *= 2;
  }
  /** 0-based index of the slot containing unit k (0 ≤ k < remaining total), decremented. */
  take(k: number): number {
    const n = this.tree.length - 1;
    let pos = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= n && this.tree[next] <= k) {
        pos = next;
        k -= this.tree[next];
      }
    }
    for (let i = pos + 1; i <= n; i += i & -i) this.tree[i]--;
    return pos;
  }
}

// ---- 2. The bare COPY baseline ---------------------------------------------------------------------

const RAW_DDL = `create table bench_raw (customer_id text, purchased_at text, amount text, order_id text, channel text, store text)`;
/** PGlite takes COPY input as blobs; like the import, cut the file into ~16 MB of whole lines. */
const PGLITE_BLOB_BYTES = 16 << 20;

async function bareCopy(handle: DatabaseHandle, file: string, rows: number): Promise<number> {
  await rawQuery(handle, RAW_DDL);
  const client = rawClient(handle);
  const { seconds } = await timed(async () => {
    const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    if (handle.kind === "postgres") {
      const writable = await (client as PostgresRaw).unsafe(`copy bench_raw from stdin with (format csv, header true)`).writable();
      await pipeline(input, writable);
      return;
    }
    const pg = client as PgliteRaw;
    let first = true;
    const copy = async (bytes: Uint8Array) => {
      await pg.query(`copy bench_raw from '/dev/blob' with (format csv, header ${first})`, [], { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
      first = false;
    };
    let pending: Buffer[] = [];
    let size = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending.push(chunk);
      size += chunk.length;
      if (size < PGLITE_BLOB_BYTES) continue;
      const all = Buffer.concat(pending);
      const cut = all.lastIndexOf(10) + 1;
      if (cut === 0) continue; // no whole line yet
      await copy(all.subarray(0, cut));
      pending = [all.subarray(cut)];
      size = pending[0].length;
    }
    if (size > 0) await copy(Buffer.concat(pending));
  });
  const [{ n }] = await rawQuery<{ n: number }>(handle, `select count(*)::int as n from bench_raw`);
  if (n !== rows) throw new Error(`bare COPY loaded ${n} rows, expected ${rows}`);
  await rawQuery(handle, `drop table bench_raw`);
  return seconds;
}

/**
 * Each timed step starts from the same state: the WAL the previous one wrote is flushed first, instead
 * of a checkpoint it triggered landing in the middle of the next. (Needs superuser or pg_checkpoint; a
 * server that refuses is measured as it is.)
 */
export async function checkpoint(handle: DatabaseHandle) {
  try {
    await rawQuery(handle, "checkpoint");
  } catch (error) {
    log(`note: no CHECKPOINT between steps (${(error as Error).message})`);
  }
}

// ---- 3b. The floor of an import -------------------------------------------------------------------

/**
 * The database's own share of any import into `purchases` as the schema has it, however fast the file
 * is read: writing the finished rows (already parsed, keyed and in customer order: those our import just
 * wrote, copied by one INSERT … SELECT, which parses nothing) into a table like purchases with no index,
 * then building the two indexes the product cannot do without (the unique `(customer_id, dedupe_key)`
 * that makes a second import change nothing, and `(customer_id, purchased_at)` that the refresh and the
 * customer page read through). No import can take less; `import_floor_ratio` = this ÷ the bare COPY.
 */
async function importFloor(handle: DatabaseHandle): Promise<{ seconds: number; copySeconds: number; indexSeconds: number }> {
  await rawQuery(handle, `create table bench_floor (like purchases)`);
  const copied = await timed(() => rawQuery(handle, `insert into bench_floor select * from purchases`));
  if (handle.kind === "postgres") await rawQuery(handle, `set maintenance_work_mem = '512MB'`); // as the import has it
  const indexed = await timed(async () => {
    await rawQuery(handle, `create unique index on bench_floor (customer_id, dedupe_key)`);
    await rawQuery(handle, `create index on bench_floor (customer_id, purchased_at)`);
  });
  if (handle.kind === "postgres") await rawQuery(handle, `reset maintenance_work_mem`);
  await rawQuery(handle, `drop table bench_floor`);
  return { seconds: copied.seconds + indexed.seconds, copySeconds: copied.seconds, indexSeconds: indexed.seconds };
}

// ---- 4. The GROUP BY baseline ----------------------------------------------------------------------

/** The aggregate at the heart of the refresh, read back in full; best of two runs (warm cache). */
export async function plainGroupBy(handle: DatabaseHandle, expectedGroups: number): Promise<number> {
  const q = `select customer_id, count(*), sum(amount), min(purchased_at), max(purchased_at) from purchases group by customer_id`;
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const { value, seconds } = await timed(() => rawQuery(handle, q));
    if (value.length !== expectedGroups) throw new Error(`GROUP BY returned ${value.length} groups, expected ${expectedGroups}`);
    best = Math.min(best, seconds);
  }
  return best;
}
