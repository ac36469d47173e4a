// Import jobs and their error rows: the job row from creation to outcome (its lease, renewed by the
// importing process's heartbeat), the invalid rows it found, and the reads of the import pages. The
// orchestration (when to renew, expire, record) is the import's (app/services/import/import.server.ts).
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import type { BulkTx } from "../../db/bulk.server";
import { importErrors, importJobs } from "../../db/schema";

export type ImportJob = typeof importJobs.$inferSelect;
export type ImportErrorRow = typeof importErrors.$inferInsert;

const leaseFromNow = (ms: number) => sql`now() + ${ms} * interval '1 millisecond'`;

/**
 * Creates a running job whose lease ends `leaseMs` from now, or, with Infinity, one waiting for the job
 * runner to take it (its lease starts when the import does); returns its id.
 */
export async function insertImportJob(
  job: Pick<typeof importJobs.$inferInsert, "kind" | "fileName" | "mode" | "bytesTotal" | "staffUserId">,
  leaseMs: number,
  db: Db = getDb(),
) {
  const [row] = await db
    .insert(importJobs)
    .values({ ...job, leaseUntil: Number.isFinite(leaseMs) ? leaseFromNow(leaseMs) : sql`'infinity'::timestamptz` })
    .returning({ id: importJobs.id });
  return row.id;
}

/** The heartbeat: the lease of a job still running ends `leaseMs` from now. */
export async function renewImportLease(jobId: number, leaseMs: number, db: Db = getDb()) {
  await db
    .update(importJobs)
    .set({ leaseUntil: leaseFromNow(leaseMs) })
    .where(and(eq(importJobs.id, jobId), eq(importJobs.status, "running")));
}

/** The outcome of a job that did not finish ("rejected" or "failed"), unless it was ended meanwhile. */
export async function recordImportEnded(
  jobId: number,
  outcome: Pick<ImportJob, "status" | "encoding" | "bytesRead" | "rowsRead" | "rowsValid" | "errorCount" | "fileError">,
  db: Db = getDb(),
) {
  await db
    .update(importJobs)
    .set({ ...outcome, inserted: 0, updated: 0, customersCreated: 0, finishedAt: new Date(), leaseUntil: null })
    .where(and(eq(importJobs.id, jobId), eq(importJobs.status, "running")));
}

/**
 * "done" with the job's counts, in the import's own bulk transaction, so the rows and the outcome
 * commit together. The row stays locked until the commit. False when the job is no longer running
 * (its lease ran out and it was marked failed).
 */
export async function recordImportDone(
  tx: BulkTx,
  jobId: number,
  outcome: Pick<ImportJob, "encoding" | "bytesRead" | "rowsRead" | "rowsValid" | "errorCount" | "inserted" | "updated" | "customersCreated">,
): Promise<boolean> {
  const recorded = await tx.query<Pick<ImportJob, "id">>(
    `update import_jobs
        set status = 'done', encoding = $2, bytes_read = $3, rows_read = $4, rows_valid = $5, error_count = $6,
            inserted = $7, updated = $8, customers_created = $9, file_error = null, finished_at = now(), lease_until = null
      where id = $1 and status = 'running'
      returning id`,
    [
      jobId,
      outcome.encoding,
      outcome.bytesRead,
      outcome.rowsRead,
      outcome.rowsValid,
      outcome.errorCount,
      outcome.inserted,
      outcome.updated,
      outcome.customersCreated,
    ],
  );
  return recorded.length > 0;
}

export async function insertImportErrors(rows: ImportErrorRow[], db: Db = getDb()) {
  if (rows.length > 0) await db.insert(importErrors).values(rows);
}

/**
 * Marks running jobs whose lease ran out (every running job with `ignoreLeases`) as failed with
 * `fileError`, except the ids in `except`, in one statement; returns their ids.
 */
export async function expireImportJobs(
  options: { except: number[]; ignoreLeases: boolean; fileError: unknown },
  db: Db = getDb(),
): Promise<number[]> {
  const notMine = options.except.length > 0 ? sql`id not in (${sql.join(options.except.map((id) => sql`${id}`), sql`, `)})` : sql`true`;
  const expired = await db
    .update(importJobs)
    .set({ status: "failed", fileError: sql`${JSON.stringify(options.fileError)}::jsonb`, finishedAt: sql`now()`, leaseUntil: null })
    // A job still waiting for the runner (lease 'infinity') is not a dead one: its runner job is queued.
    .where(
      sql`status = 'running' and (${options.ignoreLeases} or lease_until is null or lease_until < now())
          and lease_until is distinct from 'infinity'::timestamptz and ${notMine}`,
    )
    .returning({ id: importJobs.id });
  return expired.map(({ id }) => Number(id));
}

/**
 * Ids of the jobs whose uploaded file is still needed: running ones, and rejected ones for invalid rows,
 * with valid rows, that ended within `keepHours`.
 */
export async function importJobsKeepingFiles(keepHours: number, db: Db = getDb()): Promise<number[]> {
  const rows = await db
    .select({ id: importJobs.id })
    .from(importJobs)
    .where(
      sql`status = 'running'
            or (status = 'rejected' and file_error is null and rows_valid > 0
                and finished_at > now() - ${keepHours} * interval '1 hour')`,
    );
  return rows.map(({ id }) => Number(id));
}

export async function findImportJob(id: number, db: Db = getDb()): Promise<ImportJob | null> {
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  return job ?? null;
}

const errorColumns = { row: importErrors.row, column: importErrors.column, value: importErrors.value, reason: importErrors.reason };

/** The errors of a job's first `rows` invalid rows (every error of each), in row and column order. */
export async function firstImportErrors(jobId: number, rows: number, db: Db = getDb()) {
  const shownRows = db
    .selectDistinct({ row: importErrors.row })
    .from(importErrors)
    .where(eq(importErrors.jobId, jobId))
    .orderBy(importErrors.row)
    .limit(rows);
  return db
    .select(errorColumns)
    .from(importErrors)
    .where(and(eq(importErrors.jobId, jobId), inArray(importErrors.row, shownRows)))
    .orderBy(importErrors.row, importErrors.column);
}

/** The latest jobs, newest first. */
export async function latestImportJobs(limit: number, db: Db = getDb()): Promise<ImportJob[]> {
  return db.select().from(importJobs).orderBy(sql`${importJobs.id} desc`).limit(limit);
}

/** Every error of a job, in batches of 5,000 in row and column order (for the CSV download). */
export async function* importErrorRows(jobId: number, db: Db = getDb()) {
  let after: [number, string] = [-1, ""];
  for (;;) {
    const rows = await db
      .select(errorColumns)
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
