// Importing customers and purchases from CSV (issue 3). One pass over the file: every row is checked
// in JavaScript (the rules of app/domain/import), and valid rows stream into the database's bulk path
// (COPY) while the file is read. All or nothing: an invalid row rolls the whole import back unless
// staff chose "valid rows only". Purchases are keyed (dedupe_key), so importing a file twice adds nothing.
//
// Two readers, one result. The fast reader (fast-csv.server.ts, with a shortcut for canonical cells in
// fast-rows.ts) reads the files most imports are; whatever it is not sure to read exactly as csv-parse
// would, it hands over, and the import starts again with csv-parse (readCsv), which also describes
// malformed files. The rules and their error messages are the same functions on both.
//
// Two ways into `purchases`:
// - staged (any file): rows go to a temporary staging table, then one set-based statement creates the
//   unknown customers and another inserts the purchases that are not there yet, in customer order.
// - bulk (a large file into a table that is not larger, bulk.server.ts): JavaScript resolves
//   customers and keys itself, puts the rows in customer order and COPYs them straight into
//   `purchases` in binary form, with the table's indexes dropped and rebuilt at the end (readers of
//   purchases wait meanwhile).
//   Rows it cannot place itself take the staged statements. If the file repeats a key, the primary
//   key refuses it and the import starts again, staged.
//
// A running job holds a lease (import_jobs.lease_until) that a heartbeat renews while this process works
// on it. Whoever lists or opens jobs first marks those whose lease ran out as failed ("interrupted"):
// their process ended or lost the database. The outcome of a successful import is written in the
// import's own transaction, so a job still "running" never committed a row.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { once } from "node:events";
import { getDatabase, type DatabaseHandle } from "../../../db/client.server";
import { mapHeaders, type HeaderMapping, type ImportKind, type PurchaseField } from "~/domain/import/columns";
import { ImportFileError, readCsv, type CsvRecord } from "~/services/import/csv-source.server";
import { NeedsFullParser, readCsvFast } from "~/services/import/fast-csv.server";
import { purchaseRowChecker } from "~/domain/import/fast-rows";
import { validateCustomerRow, type PurchaseInput, type RowError, type RowResult } from "~/domain/import/rows";
import { importFilePath } from "~/models/import-files.server";
import { refreshBehaviour } from "../behaviour.server";
import { creditReferrals } from "~/services/programme.server";
import { withBulkTransaction, type BulkTx } from "../../../db/bulk.server";
import { allowLargeSorts, analyzeMerged, mergeCustomers, mergePurchases, stageRows, type ValidRows } from "~/models/purchase-staging.server";
import {
  expireImportJobs,
  findImportJob,
  firstImportErrors,
  importJobsKeepingFiles,
  insertImportErrors,
  insertImportJob,
  latestImportJobs,
  recordImportDone,
  recordImportEnded,
  renewImportLease,
  type ImportErrorRow,
} from "~/models/import-jobs.server";
import { chooseBulk, estimateRows, RetryStaged, runBulkPurchases, type BulkDecision } from "./bulk.server";
import { logError } from "../../utils/log.server";

export type ImportMode = "all_or_nothing" | "valid_only";
export type ImportStatus = "running" | "done" | "rejected" | "failed";
export type ImportReader = "fast" | "csv-parse";
export type ImportStrategy = "staged" | "bulk";

export interface ImportProgress {
  jobId: number;
  phase: "reading" | "merging" | "refreshing" | "finished";
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  /** Rows with at least one bad cell (errorCount counts the bad cells). */
  rowsInvalid: number;
  errorCount: number;
}

export interface ImportResult {
  jobId: number;
  status: ImportStatus;
  rowsRead: number;
  rowsValid: number;
  /** Rows with at least one bad cell; errorCount counts the bad cells (a row with two has two errors). */
  rowsInvalid: number;
  errorCount: number;
  inserted: number;
  updated: number;
  customersCreated: number;
  /** The first errors (all are in import_errors). */
  errors: RowError[];
  fileError: { reason: string; column?: string; row?: number | null; message?: string } | null;
  seconds: number;
  /** Where the time went: reading, checking and loading the rows; the statements after that (merge, index builds). */
  readSeconds: number;
  mergeSeconds: number;
  /** How the file was read and written in the end, and why earlier attempts started again (if any). */
  reader: ImportReader;
  strategy: ImportStrategy;
  restarts: string[];
}

export interface ImportOptions {
  kind: ImportKind;
  fileName: string;
  mode: ImportMode;
  /** Opens the file; called again when the import starts over (see the top of this file). */
  open: () => NodeJS.ReadableStream | AsyncIterable<Uint8Array>;
  bytesTotal?: number;
  staffUserId?: number;
  /** Recompute the behaviour metrics afterwards (default true). */
  refresh?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  handle?: DatabaseHandle;
}

/**
 * Knobs for the tests and the benchmark, kept out of ImportOptions: which reader and which way into
 * `purchases` (default: the fast reader; bulk when the file is large), and the job's lease and
 * heartbeat (default IMPORT_LEASE_MS, IMPORT_HEARTBEAT_MS).
 */
export interface ImportTuning {
  reader?: ImportReader;
  strategy?: ImportStrategy | "auto";
  leaseMs?: number;
  heartbeatMs?: number;
}

/** A running job's lease, renewed every few seconds: a job not renewed for this long is taken as dead. */
export const IMPORT_LEASE_MS = 60_000;
export const IMPORT_HEARTBEAT_MS = 5_000;
/** What an expired lease leaves on the job (shown in the user's language as imports.interrupted). */
export const INTERRUPTED = { reason: "interrupted" } as const;

export const SHOWN_ERRORS = 100;
/** The import page shows the first 100 invalid rows, each with all its errors. */
export const SHOWN_INVALID_ROWS = 100;

// Progress of running imports in this process, for the progress bar (the data itself is written in one
// transaction, which other connections cannot see until it commits).
const progressKey = Symbol.for("loyalty-portal.import-progress");
type GlobalWithProgress = typeof globalThis & { [progressKey]?: Map<number, ImportProgress> };
export function importProgress(): Map<number, ImportProgress> {
  const g = globalThis as GlobalWithProgress;
  return (g[progressKey] ??= new Map());
}

/** Creates the job row; run it with `runImport`. */
export async function createImportJob(options: Pick<ImportOptions, "kind" | "fileName" | "mode" | "bytesTotal" | "staffUserId" | "handle"> & Pick<ImportTuning, "leaseMs">) {
  return insertImportJob(
    {
      kind: options.kind,
      fileName: options.fileName,
      mode: options.mode,
      bytesTotal: options.bytesTotal ?? null,
      staffUserId: options.staffUserId ?? null,
    },
    options.leaseMs ?? IMPORT_LEASE_MS,
    (options.handle ?? getDatabase()).db,
  );
}

/**
 * Renews the job's lease every `everyMs` while the import works (one renewal in flight at a time). On the
 * embedded database a renewal waits behind the import's transaction; nobody else can look meanwhile, and
 * this process never expires its own jobs.
 */
export function startImportHeartbeat(jobId: number, options: { handle?: DatabaseHandle; leaseMs?: number; everyMs?: number } = {}) {
  const db = (options.handle ?? getDatabase()).db;
  const leaseMs = options.leaseMs ?? IMPORT_LEASE_MS;
  let inFlight: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    inFlight ??= renewImportLease(jobId, leaseMs, db)
      .catch((error) => logError(`import job ${jobId}: heartbeat failed`, error))
      .finally(() => (inFlight = null));
  }, options.everyMs ?? IMPORT_HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/** The job was marked failed (its lease ran out) before the import could commit: its work is rolled back. */
class LeaseLost extends Error {
  constructor() {
    super("the job's lease ran out before the import committed");
  }
}

/** All or nothing and some rows were invalid: roll back. */
export class Rejected extends Error {}

/** One pass over the file: what it counted and found. */
export interface Attempt {
  rowsRead: number;
  rowsValid: number;
  inserted: number;
  updated: number;
  customersCreated: number;
  errors: ErrorSink;
  encoding: string | null;
  readSeconds: number;
}

export async function runImport(options: ImportOptions, jobId?: number, tuning: ImportTuning = {}): Promise<ImportResult> {
  const handle = options.handle ?? getDatabase();
  const started = performance.now();
  const id = jobId ?? (await createImportJob({ ...options, leaseMs: tuning.leaseMs }));
  const progress: ImportProgress = { jobId: id, phase: "reading", bytesRead: 0, bytesTotal: options.bytesTotal ?? null, rowsRead: 0, rowsInvalid: 0, errorCount: 0 };
  importProgress().set(id, progress);
  // A job that waited for the runner gets its lease now; the heartbeat keeps it.
  if (jobId !== undefined) await renewImportLease(id, tuning.leaseMs ?? IMPORT_LEASE_MS, handle.db);
  const heartbeat = startImportHeartbeat(id, { handle, leaseMs: tuning.leaseMs, everyMs: tuning.heartbeatMs });
  try {
    return await importAndRecord(options, tuning, handle, id, progress, started);
  } finally {
    await heartbeat.stop();
    importProgress().delete(id);
  }
}

async function importAndRecord(
  options: ImportOptions,
  tuning: ImportTuning,
  handle: DatabaseHandle,
  id: number,
  progress: ImportProgress,
  started: number,
): Promise<ImportResult> {
  const report = () => options.onProgress?.(progress);
  let status: ImportStatus = "done";
  let fileError: ImportResult["fileError"] = null;
  let reader: ImportReader = tuning.reader ?? "fast";
  let strategy: ImportStrategy | "auto" = options.kind === "purchases" ? (tuning.strategy ?? "auto") : "staged";
  let used: ImportStrategy = "staged";
  const restarts: string[] = [];
  let attempt: Attempt;

  for (;;) {
    attempt = { rowsRead: 0, rowsValid: 0, inserted: 0, updated: 0, customersCreated: 0, errors: new ErrorSink(), encoding: null, readSeconds: 0 };
    Object.assign(progress, { phase: "reading", bytesRead: 0, rowsRead: 0, rowsInvalid: 0, errorCount: 0 });
    status = "done";
    fileError = null;
    try {
      used = await importOnce(options, handle, attempt, progress, report, reader, strategy, started);
      break;
    } catch (error) {
      if (error instanceof NeedsFullParser && reader === "fast") {
        restarts.push(`csv-parse: ${error.why}`);
        reader = "csv-parse";
      } else if (error instanceof RetryStaged) {
        restarts.push(`staged: ${error.message}`);
        strategy = "staged";
      } else {
        if (error instanceof Rejected) status = "rejected";
        else if (error instanceof HeaderProblem) {
          status = "rejected";
          fileError = error.fileError;
        } else if (error instanceof ImportFileError) {
          status = "rejected";
          fileError = { reason: "malformed_csv", row: error.row, message: error.message };
        } else if (error instanceof LeaseLost) {
          status = "failed";
          fileError = { ...INTERRUPTED };
        } else {
          status = "failed";
          fileError = { reason: "failed", message: (error as Error).message };
        }
        break;
      }
      attempt.errors.discard();
    }
  }

  // Counts from a merge whose transaction did not commit wrote nothing.
  const counts = attempt;
  const written = status === "done" ? counts : { inserted: 0, updated: 0, customersCreated: 0 };
  const mergeSeconds = status === "done" ? (performance.now() - started) / 1000 - counts.readSeconds : 0;
  if (status === "done" && (options.refresh ?? true)) {
    progress.phase = "refreshing";
    report();
    await refreshBehaviour({ db: handle.db });
  }
  // Purchases made with a member's referral code credit the member, once each (issue 17): a re-import
  // inserts no purchase and the credit's key is the purchase's own, so nothing is counted twice.
  if (status === "done" && options.kind === "purchases") await creditReferrals(handle.db);
  await counts.errors.save(handle, id);
  // A finished import recorded itself in its transaction (recordDone); a job that was marked failed
  // meanwhile keeps that reason.
  if (status !== "done") {
    await recordImportEnded(
      id,
      {
        status,
        encoding: counts.encoding,
        bytesRead: progress.bytesRead,
        rowsRead: counts.rowsRead,
        rowsValid: counts.rowsValid,
        errorCount: counts.errors.count,
        fileError,
      },
      handle.db,
    );
  }
  progress.phase = "finished";
  report();
  return {
    jobId: id,
    status,
    rowsRead: counts.rowsRead,
    rowsValid: counts.rowsValid,
    rowsInvalid: counts.rowsRead - counts.rowsValid,
    inserted: written.inserted,
    updated: written.updated,
    customersCreated: written.customersCreated,
    errorCount: counts.errors.count,
    errors: counts.errors.first,
    fileError,
    seconds: (performance.now() - started) / 1000,
    readSeconds: counts.readSeconds,
    mergeSeconds,
    reader,
    strategy: used,
    restarts,
  };
}

class HeaderProblem extends Error {
  constructor(readonly fileError: NonNullable<ImportResult["fileError"]>) {
    super(fileError.reason);
  }
}

/** One attempt: read, check, load, merge. Throws NeedsFullParser / DuplicateKeys to start over. */
async function importOnce(
  options: ImportOptions,
  handle: DatabaseHandle,
  attempt: Attempt,
  progress: ImportProgress,
  report: () => void,
  reader: ImportReader,
  strategy: ImportStrategy | "auto",
  started: number,
): Promise<ImportStrategy> {
  const input = countBytes(options.open(), (n) => (progress.bytesRead += n));
  let headers: string[];
  let batches: AsyncGenerator<CsvRecord[]>;
  let sample: { bytes: number; lines: number } | null = null;
  if (reader === "fast") {
    const source = await readCsvFast(input);
    attempt.encoding = source.encoding;
    headers = source.headers;
    batches = source.batches;
    sample = source.sample;
  } else {
    const source = await readCsv(input);
    attempt.encoding = source.encoding;
    headers = source.headers;
    batches = inBatches(source.records);
  }
  const mapping = mapHeaders(options.kind, headers);
  if (!mapping.ok) {
    await batches.return(undefined);
    throw new HeaderProblem({ reason: mapping.error.reason, column: mapping.error.column });
  }
  const validate =
    options.kind === "purchases"
      ? purchaseRowChecker(mapping as HeaderMapping<PurchaseField>)
      : (r: CsvRecord) => validateCustomerRow(r, mapping as never);
  const stopOnError = options.mode === "all_or_nothing";
  const { errors } = attempt;

  /** Checks every record; hands on the valid ones (none once a row failed in all-or-nothing mode). */
  async function* validRows<T>(): AsyncGenerator<ValidRows<T>> {
    let lastReport = 0;
    try {
      for await (const batch of batches) {
        const out: ValidRows<T> = { rows: [], values: [] };
        for (const record of batch) {
          attempt.rowsRead++;
          const result = validate(record) as RowResult<T>;
          if (!result.ok) {
            for (const e of result.errors) errors.add(e);
            progress.errorCount = errors.count;
            progress.rowsInvalid++;
          } else {
            attempt.rowsValid++;
            if (!(stopOnError && errors.count > 0)) {
              out.rows.push(record.row);
              out.values.push(result.value);
            }
          }
        }
        progress.rowsRead = attempt.rowsRead;
        const now = Date.now();
        if (now - lastReport > 250) {
          lastReport = now;
          report();
        }
        if (out.rows.length > 0) yield out;
      }
    } finally {
      progress.rowsRead = attempt.rowsRead;
      await batches.return(undefined);
    }
  }
  const readDone = () => {
    if (errors.count > 0 && stopOnError) throw new Rejected();
    attempt.readSeconds = (performance.now() - started) / 1000;
    progress.phase = "merging";
    report();
  };

  const write = async (tx: BulkTx): Promise<ImportStrategy> => {
    await allowLargeSorts(tx);
    if (options.kind === "purchases") {
      let bulk: BulkDecision | null = null;
      if (strategy === "bulk") bulk = { estimatedRows: sample !== null && options.bytesTotal ? estimateRows(options.bytesTotal, sample) : null };
      else if (strategy === "auto" && sample !== null && options.bytesTotal) bulk = await chooseBulk(tx, options.bytesTotal, sample);
      if (bulk !== null) {
        const result = await runBulkPurchases(tx, validRows<PurchaseInput>(), readDone, bulk.estimatedRows);
        Object.assign(attempt, result);
        return "bulk";
      }
    }
    await stageRows(tx, options.kind, validRows());
    readDone();
    const merged = options.kind === "purchases" ? await mergePurchases(tx) : await mergeCustomers(tx);
    Object.assign(attempt, merged);
    await analyzeMerged(tx, options.kind);
    return "staged";
  };
  return withBulkTransaction(handle, async (tx) => {
    const used = await write(tx);
    await recordDone(tx, progress.jobId, attempt, progress.bytesRead);
    return used;
  });
}

/**
 * Writes the job's outcome in the import's own transaction, so the rows and "done" commit together: a
 * job still "running" committed nothing. The row stays locked until the commit, so a lease that runs out
 * meanwhile cannot mark it failed; if it was marked failed already, the import rolls back.
 */
async function recordDone(tx: BulkTx, jobId: number, attempt: Attempt, bytesRead: number) {
  const recorded = await recordImportDone(tx, jobId, {
    encoding: attempt.encoding,
    bytesRead,
    rowsRead: attempt.rowsRead,
    rowsValid: attempt.rowsValid,
    errorCount: attempt.errors.count,
    inserted: attempt.inserted,
    updated: attempt.updated,
    customersCreated: attempt.customersCreated,
  });
  if (!recorded) throw new LeaseLost();
}

/** csv-parse's records, a few thousand at a time. */
async function* inBatches(records: AsyncGenerator<CsvRecord>): AsyncGenerator<CsvRecord[]> {
  let batch: CsvRecord[] = [];
  try {
    for await (const record of records) {
      batch.push(record);
      if (batch.length === 4096) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await records.return(undefined);
  }
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

export class ErrorSink {
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

  /** Forgets everything (an attempt that starts over). */
  discard() {
    this.out?.destroy();
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.out = null;
    this.file = null;
  }

  async save(handle: DatabaseHandle, jobId: number) {
    if (!this.out || !this.file) return;
    this.out.end();
    await once(this.out, "close");
    try {
      let batch: ImportErrorRow[] = [];
      const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const e = JSON.parse(line) as RowError;
        batch.push({ jobId, row: e.row, column: e.column, value: e.value.slice(0, 1000), reason: e.reason });
        if (batch.length === 2000) {
          await insertImportErrors(batch, handle.db);
          batch = [];
        }
      }
      await insertImportErrors(batch, handle.db);
    } finally {
      fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    }
  }
}

// ---- Reading jobs back ---------------------------------------------------------------------------

/**
 * Marks running jobs whose lease ran out as failed ("interrupted"), in one statement, and removes their
 * uploaded files. Jobs this process is running are never touched. `ignoreLeases`: at start-up on the
 * embedded database, whose data-folder lock proves that no other process can be running one.
 */
export async function expireImportLeases(handle: DatabaseHandle = getDatabase(), options: { ignoreLeases?: boolean } = {}) {
  const expired = await expireImportJobs(
    { except: [...importProgress().keys()], ignoreLeases: options.ignoreLeases === true, fileError: INTERRUPTED },
    handle.db,
  );
  for (const id of expired) fs.rmSync(importFilePath(id), { force: true });
  return expired;
}

/**
 * A rejected file whose valid rows may still be imported with one click ("valid rows only") is kept this
 * long; files of other ended jobs are removed when they end.
 */
export const REJECTED_FILE_KEEP_HOURS = 24;

/** Whether an ended job keeps its file: rejected for invalid rows (not for its header or its CSV), with valid rows to import. */
export function keepsFileForRetry(job: { status: ImportStatus; fileError: unknown; rowsValid: number }) {
  return job.status === "rejected" && job.fileError === null && job.rowsValid > 0;
}

/** Jobs whose uploaded file is still needed: running ones, and rejected ones within REJECTED_FILE_KEEP_HOURS (see keepsFileForRetry). */
export async function jobsKeepingFiles(handle: DatabaseHandle = getDatabase()): Promise<Set<number>> {
  return new Set(await importJobsKeepingFiles(REJECTED_FILE_KEEP_HOURS, handle.db));
}

/** A job and the errors of its first invalid rows (every error of each of those rows), in row order. */
export async function getImportJob(id: number, handle: DatabaseHandle = getDatabase()) {
  await expireImportLeases(handle);
  const job = await findImportJob(id, handle.db);
  if (!job) return null;
  const errors = await firstImportErrors(id, SHOWN_INVALID_ROWS, handle.db);
  return { job, errors: errors as RowError[] };
}

export async function listImportJobs(limit = 20, handle: DatabaseHandle = getDatabase()) {
  await expireImportLeases(handle);
  return latestImportJobs(limit, handle.db);
}
