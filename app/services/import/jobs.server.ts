// Starting imports from the staff UI: the upload is stored, the import job created (waiting), and an
// "import" job queued for the job runner (app/services/jobs/runner.server.ts), which runs it in the
// background while the page follows its progress. The uploaded file goes when the import ends (a rejected
// file with valid rows is kept a day for "valid rows only"); `tidyImports` ends imports whose process is
// gone and removes files no job needs, at start-up and hourly. An import is not run twice: a crash
// mid-import leaves it failed as "interrupted" (its own lease in import_jobs), nothing half-written.
import fs from "node:fs";
import { getDatabase, type DatabaseHandle } from "../../../db/client.server";
import { importFilePath, importsDir, sweepImportFiles } from "~/models/import-files.server";
import { createImportJob, expireImportLeases, getImportJob, jobsKeepingFiles, keepsFileForRetry, runImport, type ImportMode } from "./import.server";
import type { ImportKind } from "~/domain/import/columns";
import { logError } from "../../utils/log.server";
import { enqueue, registerJobKind } from "../jobs/runner.server";

export async function startImport(options: { kind: ImportKind; mode: ImportMode; fileName: string; uploadedPath: string; staffUserId: number }) {
  const bytesTotal = fs.statSync(options.uploadedPath).size;
  const jobId = await createImportJob({ ...options, bytesTotal, leaseMs: Infinity });
  const stored = importFilePath(jobId);
  fs.renameSync(options.uploadedPath, stored);
  await launch(jobId, { kind: options.kind, mode: options.mode, fileName: options.fileName, staffUserId: options.staffUserId, bytesTotal }, stored);
  return jobId;
}

/** Whether "import the valid rows only" can run for this job: rejected, and its file still kept. */
export function canRetryValidOnly(job: { id: number; status: string }) {
  return job.status === "rejected" && fs.existsSync(importFilePath(job.id));
}

/** "Import the valid rows only" for a rejected job: a new job over the same stored file. */
export async function retryValidOnly(jobId: number, staffUserId: number) {
  const found = await getImportJob(jobId);
  if (!found || !canRetryValidOnly(found.job)) return null;
  const stored = importFilePath(jobId);
  const { kind, fileName, bytesTotal } = found.job;
  const newId = await createImportJob({ kind, fileName, mode: "valid_only", bytesTotal: bytesTotal ?? undefined, staffUserId, leaseMs: Infinity });
  const copy = importFilePath(newId);
  fs.renameSync(stored, copy);
  await launch(newId, { kind, fileName, mode: "valid_only", bytesTotal: bytesTotal ?? undefined, staffUserId }, copy);
  return newId;
}

type LaunchOptions = { kind: ImportKind; mode: ImportMode; fileName: string; bytesTotal?: number; staffUserId: number };

registerJobKind("import", {
  async run(payload) {
    const { importJobId, file, ...options } = payload as LaunchOptions & { importJobId: number; file: string };
    try {
      const result = await runImport({ ...options, open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }) }, importJobId);
      if (!keepsFileForRetry(result)) fs.rmSync(file, { force: true });
      return { importJobId, status: result.status };
    } catch (error) {
      logError(`import job ${importJobId} failed`, error);
      fs.rmSync(file, { force: true });
      throw error;
    }
  },
});

function launch(jobId: number, options: LaunchOptions, file: string) {
  return enqueue("import", { importJobId: jobId, file, ...options }, { uniqueKey: `import:${jobId}` });
}

/** Another process's uploads may share DATA_DIR on PostgreSQL: its half-received files are left this long. */
const OTHER_PROCESS_UPLOAD_IDLE_MS = 10 * 60_000;

/**
 * Ends jobs whose lease ran out (at start-up on the embedded database, every running job: its folder lock
 * proves no other process has one), then removes the files in DATA_DIR/imports that no job needs.
 */
export async function tidyImports(options: { handle?: DatabaseHandle; startUp?: boolean } = {}) {
  const handle = options.handle ?? getDatabase();
  const embedded = handle.kind === "pglite";
  const expired = await expireImportLeases(handle, { ignoreLeases: options.startUp === true && embedded });
  const removed = await sweepImportFiles(importsDir(), await jobsKeepingFiles(handle), embedded ? 0 : OTHER_PROCESS_UPLOAD_IDLE_MS);
  return { expired, removed };
}
