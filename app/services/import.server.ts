// Importing customers and purchases from CSV (issue 3). One pass over the file: every row is checked;
// valid rows stream into a temporary staging table through the database's bulk path (COPY), and one
// set-based statement merges them. All or nothing: an invalid row rolls the whole import back unless
// staff chose "valid rows only". Purchases are keyed (dedupe_key), so importing a file twice adds nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { once } from "node:events";
import { eq, sql } from "drizzle-orm";
import { getDatabase, type DatabaseHandle } from "../../db/client.server";
import { importErrors, importJobs } from "../../db/schema";
import { mapHeaders, type ImportKind } from "~/domain/import/columns";
import { ImportFileError, readCsv, type CsvRecord } from "~/domain/import/csv-source.server";
import { validateCustomerRow, validatePurchaseRow, type RowError } from "~/domain/import/rows";
import { toTimestamptzText, type ParsedDateTime } from "~/domain/import/values";
import { refreshMetrics } from "~/models/metrics.server";

export type ImportMode = "all_or_nothing" | "valid_only";
export type ImportStatus = "running" | "done" | "rejected" | "failed";

export interface ImportProgress {
  jobId: number;
  phase: "reading" | "merging" | "refreshing" | "finished";
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  errorCount: number;
}

export interface ImportResult {
  jobId: number;
  status: ImportStatus;
  rowsRead: number;
  rowsValid: number;
  errorCount: number;
  inserted: number;
  updated: number;
  customersCreated: number;
  /** The first errors (all are in import_errors). */
  errors: RowError[];
  fileError: { reason: string; column?: string; row?: number | null; message?: string } | null;
  seconds: number;
  /** Where the time went: reading, checking and staging the rows; the merge statement(s). */
  readSeconds: number;
  mergeSeconds: number;
}

export interface ImportOptions {
  kind: ImportKind;
  fileName: string;
  mode: ImportMode;
  /** Opens the file; called once. */
  open: () => NodeJS.ReadableStream | AsyncIterable<Uint8Array>;
  bytesTotal?: number;
  staffUserId?: number;
  /** Recompute the behaviour metrics afterwards (default true). */
  refresh?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  handle?: DatabaseHandle;
}

export const SHOWN_ERRORS = 100;

// Progress of running imports in this process, for the progress bar (the data itself is written in one
// transaction, which other connections cannot see until it commits).
const progressKey = Symbol.for("loyalty-portal.import-progress");
type GlobalWithProgress = typeof globalThis & { [progressKey]?: Map<number, ImportProgress> };
export function importProgress(): Map<number, ImportProgress> {
  const g = globalThis as GlobalWithProgress;
  return (g[progressKey] ??= new Map());
}

/** Creates the job row; run it with `runImport`. */
export async function createImportJob(options: Pick<ImportOptions, "kind" | "fileName" | "mode" | "bytesTotal" | "staffUserId" | "handle">) {
  const db = (options.handle ?? getDatabase()).db;
  const [job] = await db
    .insert(importJobs)
    .values({ kind: options.kind, fileName: options.fileName, mode: options.mode, bytesTotal: options.bytesTotal ?? null, staffUserId: options.staffUserId ?? null })
    .returning({ id: importJobs.id });
  return job.id;
}

class Rejected extends Error {}

export async function runImport(options: ImportOptions, jobId?: number): Promise<ImportResult> {
  const handle = options.handle ?? getDatabase();
  const started = performance.now();
  const id = jobId ?? (await createImportJob(options));
  const progress: ImportProgress = { jobId: id, phase: "reading", bytesRead: 0, bytesTotal: options.bytesTotal ?? null, rowsRead: 0, errorCount: 0 };
  importProgress().set(id, progress);
  const report = () => options.onProgress?.(progress);
  const errors = new ErrorSink();
  const counts = { rowsRead: 0, rowsValid: 0, inserted: 0, updated: 0, customersCreated: 0 };
  let status: ImportStatus = "done";
  let fileError: ImportResult["fileError"] = null;
  let encoding: string | null = null;
  let readSeconds = 0;
  let mergeSeconds = 0;

  try {
    const source = await readCsv(countBytes(options.open(), (n) => (progress.bytesRead += n)));
    encoding = source.encoding;
    const mapping = mapHeaders(options.kind, source.headers);
    if (!mapping.ok) {
      await source.records.return(undefined);
      status = "rejected";
      fileError = { reason: mapping.error.reason, column: mapping.error.column };
    } else {
      const validate =
        options.kind === "purchases"
          ? (r: CsvRecord) => validatePurchaseRow(r, mapping as never)
          : (r: CsvRecord) => validateCustomerRow(r, mapping as never);
      const stopOnError = options.mode === "all_or_nothing";
      let lastReport = 0;
      const lines = async function* () {
        let batch = "";
        for await (const record of source.records) {
          counts.rowsRead++;
          const result = validate(record);
          if (!result.ok) {
            for (const e of result.errors) errors.add(e);
            progress.errorCount = errors.count;
          } else {
            counts.rowsValid++;
            // Once a row is invalid in all-or-nothing mode, the rest are only checked, not staged.
            if (!(stopOnError && errors.count > 0)) {
              batch += options.kind === "purchases" ? purchaseLine(record.row, result.value as never) : customerLine(record.row, result.value as never);
              if (batch.length >= 1 << 20) {
                yield batch;
                batch = "";
              }
            }
          }
          if ((counts.rowsRead & 4095) === 0) {
            progress.rowsRead = counts.rowsRead;
            const now = Date.now();
            if (now - lastReport > 250) {
              lastReport = now;
              report();
            }
          }
        }
        progress.rowsRead = counts.rowsRead;
        if (batch) yield batch;
      };
      await withBulkTransaction(handle, async (tx) => {
        // Room to sort a large file's rows in memory during the merge (this transaction only).
        await tx.exec(`set local work_mem = '256MB'`);
        await tx.exec(stagingDdl[options.kind]);
        await tx.copyIn(`copy import_staging from stdin`, lines());
        if (errors.count > 0 && stopOnError) throw new Rejected();
        readSeconds = (performance.now() - started) / 1000;
        progress.phase = "merging";
        report();
        const merged = options.kind === "purchases" ? await mergePurchases(tx) : await mergeCustomers(tx);
        Object.assign(counts, merged);
        // Fresh statistics, so the refresh that follows is planned for the table as it now is.
        await tx.exec(options.kind === "purchases" ? "analyze purchases, customers" : "analyze customers");
        mergeSeconds = (performance.now() - started) / 1000 - readSeconds;
      });
    }
  } catch (error) {
    if (error instanceof Rejected) status = "rejected";
    else if (error instanceof ImportFileError) {
      status = "rejected";
      fileError = { reason: "malformed_csv", row: error.row, message: error.message };
    } else {
      status = "failed";
      fileError = { reason: "failed", message: (error as Error).message };
    }
  }

  // Counts from a merge whose transaction did not commit wrote nothing.
  const written = status === "done" ? counts : { inserted: 0, updated: 0, customersCreated: 0 };
  if (status === "done" && (options.refresh ?? true)) {
    progress.phase = "refreshing";
    report();
    await refreshMetrics({ db: handle.db });
  }
  await errors.save(handle, id);
  await handle.db
    .update(importJobs)
    .set({
      status,
      encoding,
      bytesRead: progress.bytesRead,
      rowsRead: counts.rowsRead,
      rowsValid: counts.rowsValid,
      errorCount: errors.count,
      inserted: written.inserted,
      updated: written.updated,
      customersCreated: written.customersCreated,
      fileError,
      finishedAt: new Date(),
    })
    .where(eq(importJobs.id, id));
  progress.phase = "finished";
  report();
  importProgress().delete(id);
  return {
    jobId: id,
    status,
    rowsRead: counts.rowsRead,
    rowsValid: counts.rowsValid,
    inserted: written.inserted,
    updated: written.updated,
    customersCreated: written.customersCreated,
    errorCount: errors.count,
    errors: errors.first,
    fileError,
    seconds: (performance.now() - started) / 1000,
    readSeconds,
    mergeSeconds,
  };
}

// ---- Staging and merge ---------------------------------------------------------------------------

const stagingDdl: Record<ImportKind, string> = {
  purchases: `create temp table import_staging (
      row_no integer not null, customer_ext text not null, at_local timestamp, at_zoned timestamptz,
      amount numeric(14, 2) not null, order_id text, channel text, store text, staff text, referral_code text
    ) on commit drop`,
  customers: `create temp table import_staging (
      row_no integer not null, customer_ext text not null, email text, name text, locale text,
      consent boolean, created_local timestamp, created_zoned timestamptz
    ) on commit drop`,
};

/** COPY text format: tab-separated, \N for null, backslash escapes. */
function copyValue(value: string | number | boolean | null): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

/** [local, zoned]: a date-time without a zone goes to the first column (the brand's zone applies later). */
function dateCells(d: ParsedDateTime | null): [string | null, string | null] {
  if (!d) return [null, null];
  return d.offset === null ? [d.local, null] : [null, toTimestamptzText(d)];
}

function purchaseLine(row: number, p: import("~/domain/import/rows").PurchaseInput) {
  const [local, zoned] = dateCells(p.purchasedAt);
  return [row, p.customerExternalId, local, zoned, p.amount, p.orderId, p.channel, p.store, p.staff, p.referralCode].map(copyValue).join("\t") + "\n";
}

function customerLine(row: number, c: import("~/domain/import/rows").CustomerInput) {
  const [local, zoned] = dateCells(c.createdAt);
  return [row, c.externalId, c.email, c.name, c.locale, c.marketingConsent, local, zoned].map(copyValue).join("\t") + "\n";
}

/** The brand's time zone applies to date-times written without one. */
const brandZone = `(select time_zone from brand_settings where id = 1)`;

async function mergePurchases(tx: BulkTx) {
  const [created] = await tx.query<{ n: number }>(
    `with new as (
       insert into customers (external_id)
       select distinct customer_ext from import_staging
       on conflict (external_id) do nothing
       returning 1)
     select count(*)::int as n from new`,
  );
  // Purchases with an order id are keyed by it; the others by customer, time, amount and their
  // occurrence among identical rows of the file.
  const [inserted] = await tx.query<{ n: number }>(
    `with tz as (select ${brandZone} as zone),
     timed as not materialized (
       select s.*, coalesce(s.at_zoned, s.at_local at time zone tz.zone) as purchased_at
         from import_staging s cross join tz),
     keyed as (
       select t.*, md5('o:' || t.order_id)::uuid as dedupe_key from timed t where t.order_id is not null
       union all
       select t.*, md5('k:' || t.customer_ext || '|' || to_char(t.purchased_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                      || '|' || t.amount::text || '|'
                      || row_number() over (partition by t.customer_ext, t.purchased_at, t.amount order by t.row_no))::uuid
         from timed t where t.order_id is null),
     ins as (
       insert into purchases (customer_id, purchased_at, amount, order_id, channel, store, staff, referral_code, dedupe_key)
       select c.id, k.purchased_at, k.amount, k.order_id, k.channel, k.store, k.staff, k.referral_code, k.dedupe_key
         from keyed k join customers c on c.external_id = k.customer_ext
        -- In customer order: the (customer_id, purchased_at) index grows in order and each customer's
        -- purchases sit together on disk, which the customer page and the refresh read.
        order by c.id, k.purchased_at
       on conflict (customer_id, dedupe_key) do nothing
       returning 1)
     select count(*)::int as n from ins`,
  );
  return { inserted: inserted.n, customersCreated: created.n, updated: 0 };
}

async function mergeCustomers(tx: BulkTx) {
  // The last row wins when a file names a customer twice; empty cells keep what is already known.
  const [updated] = await tx.query<{ n: number }>(
    `with latest as (
       select distinct on (customer_ext) * from import_staging order by customer_ext, row_no desc),
     src as (
       select l.customer_ext, l.email, l.name, l.locale, l.consent,
              coalesce(l.created_zoned, l.created_local at time zone ${brandZone}) as created_at
         from latest l),
     upd as (
       update customers c
          set email = coalesce(s.email, c.email), name = coalesce(s.name, c.name), locale = coalesce(s.locale, c.locale),
              marketing_consent = coalesce(s.consent, c.marketing_consent), created_at = coalesce(s.created_at, c.created_at)
         from src s
        where c.external_id = s.customer_ext
          and (c.email, c.name, c.locale, c.marketing_consent, c.created_at) is distinct from
              (coalesce(s.email, c.email), coalesce(s.name, c.name), coalesce(s.locale, c.locale),
               coalesce(s.consent, c.marketing_consent), coalesce(s.created_at, c.created_at))
       returning 1)
     select count(*)::int as n from upd`,
  );
  const [inserted] = await tx.query<{ n: number }>(
    `with latest as (
       select distinct on (customer_ext) * from import_staging order by customer_ext, row_no desc),
     ins as (
       insert into customers (external_id, email, name, locale, marketing_consent, created_at)
       select l.customer_ext, l.email, l.name, l.locale, coalesce(l.consent, false),
              coalesce(l.created_zoned, l.created_local at time zone ${brandZone}, now())
         from latest l
       on conflict (external_id) do nothing
       returning 1)
     select count(*)::int as n from ins`,
  );
  return { inserted: inserted.n, updated: updated.n, customersCreated: inserted.n };
}

// ---- The bulk path on each driver ------------------------------------------------------------------

interface BulkTx {
  exec(text: string): Promise<void>;
  query<T>(text: string): Promise<T[]>;
  /** COPY ... FROM STDIN fed from text chunks, with back-pressure. */
  copyIn(copySql: string, chunks: AsyncIterable<string>): Promise<void>;
}

type PgliteLike = {
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
};
type PgliteTx = {
  exec(text: string): Promise<unknown>;
  query<T>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
};
type PostgresLike = {
  begin<T>(fn: (tx: PostgresTx) => Promise<T>): Promise<T>;
};
type PostgresTx = {
  unsafe(text: string): Promise<unknown[]> & { writable(): Promise<NodeJS.WritableStream> };
};

/** PGlite takes COPY input as a blob: the stream is cut into blobs of this size (bounded memory). */
const PGLITE_COPY_BYTES = 16 << 20;

export async function withBulkTransaction<T>(handle: DatabaseHandle, fn: (tx: BulkTx) => Promise<T>): Promise<T> {
  const client = (handle.db as unknown as { $client: unknown }).$client;
  if (handle.kind === "pglite") {
    return (client as PgliteLike).transaction(async (tx) =>
      fn({
        exec: async (text) => void (await tx.exec(text)),
        query: async <R>(text: string) => (await tx.query<R>(text)).rows,
        copyIn: async (copySql, chunks) => {
          const fromBlob = copySql.replace(/from stdin$/i, "from '/dev/blob'");
          let parts: string[] = [];
          let size = 0;
          const flush = async () => {
            if (size === 0) return;
            await tx.query(fromBlob, [], { blob: new Blob(parts) });
            parts = [];
            size = 0;
          };
          for await (const chunk of chunks) {
            parts.push(chunk);
            size += chunk.length;
            if (size >= PGLITE_COPY_BYTES) await flush();
          }
          await flush();
        },
      }),
    );
  }
  return (client as PostgresLike).begin(async (tx) =>
    fn({
      exec: async (text) => void (await tx.unsafe(text)),
      query: async <R>(text: string) => (await tx.unsafe(text)) as R[],
      copyIn: async (copySql, chunks) => {
        const stream = await tx.unsafe(copySql).writable();
        try {
          for await (const chunk of chunks) {
            if (!stream.write(chunk)) await once(stream, "drain");
          }
        } catch (error) {
          (stream as unknown as { destroy(e: Error): void }).destroy(error as Error);
          throw error;
        }
        stream.end();
        await once(stream, "finish");
      },
    }),
  );
}

/** Counts bytes as they are read, for the progress bar. */
async function* countBytes(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, onBytes: (n: number) => void) {
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    onBytes(bytes.length);
    yield bytes;
  }
}

// ---- Errors: the first ones in memory, all of them in a temporary file until the job is saved ------

class ErrorSink {
  count = 0;
  first: RowError[] = [];
  private file: string | null = null;
  private out: fs.WriteStream | null = null;

  add(e: RowError) {
    this.count++;
    if (this.first.length < SHOWN_ERRORS) this.first.push(e);
    if (!this.out) {
      this.file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-import-")), "errors.jsonl");
      this.out = fs.createWriteStream(this.file);
    }
    this.out.write(JSON.stringify(e) + "\n");
  }

  async save(handle: DatabaseHandle, jobId: number) {
    if (!this.out || !this.file) return;
    this.out.end();
    await once(this.out, "close");
    try {
      let batch: (typeof importErrors.$inferInsert)[] = [];
      const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const e = JSON.parse(line) as RowError;
        batch.push({ jobId, row: e.row, column: e.column, value: e.value.slice(0, 1000), reason: e.reason });
        if (batch.length === 2000) {
          await handle.db.insert(importErrors).values(batch);
          batch = [];
        }
      }
      if (batch.length) await handle.db.insert(importErrors).values(batch);
    } finally {
      fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    }
  }
}

// ---- Reading jobs back ---------------------------------------------------------------------------

export async function getImportJob(id: number, handle: DatabaseHandle = getDatabase()) {
  const [job] = await handle.db.select().from(importJobs).where(eq(importJobs.id, id));
  if (!job) return null;
  const errors = await handle.db
    .select({ row: importErrors.row, column: importErrors.column, value: importErrors.value, reason: importErrors.reason })
    .from(importErrors)
    .where(eq(importErrors.jobId, id))
    .orderBy(importErrors.row, importErrors.column)
    .limit(SHOWN_ERRORS);
  return { job, errors: errors as RowError[] };
}

export async function listImportJobs(limit = 20, handle: DatabaseHandle = getDatabase()) {
  return handle.db.select().from(importJobs).orderBy(sql`${importJobs.id} desc`).limit(limit);
}

/** Every error of a job, in batches (for the CSV download). */
export async function* importErrorRows(jobId: number, handle: DatabaseHandle = getDatabase()) {
  let after: [number, string] = [-1, ""];
  for (;;) {
    const rows = await handle.db
      .select({ row: importErrors.row, column: importErrors.column, value: importErrors.value, reason: importErrors.reason })
      .from(importErrors)
      .where(sql`${importErrors.jobId} = ${jobId} and (${importErrors.row}, ${importErrors.column}) > (${after[0]}, ${after[1]})`)
      .orderBy(importErrors.row, importErrors.column)
      .limit(5000);
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    after = [last.row, last.column];
  }
}
