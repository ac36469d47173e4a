// Starting imports from the staff UI: the upload is stored, the job created, and the import runs in
// the background of this process while the page follows its progress.
import fs from "node:fs";
import { importFilePath } from "~/models/import-files.server";
import { createImportJob, getImportJob, runImport, type ImportMode } from "./import.server";
import type { ImportKind } from "~/domain/import/columns";

export async function startImport(options: { kind: ImportKind; mode: ImportMode; fileName: string; uploadedPath: string; staffUserId: number }) {
  const bytesTotal = fs.statSync(options.uploadedPath).size;
  const jobId = await createImportJob({ ...options, bytesTotal });
  const stored = importFilePath(jobId);
  fs.renameSync(options.uploadedPath, stored);
  launch(jobId, { ...options, bytesTotal }, stored);
  return jobId;
}

/** "Import the valid rows only" for a rejected job: a new job over the same stored file. */
export async function retryValidOnly(jobId: number, staffUserId: number) {
  const found = await getImportJob(jobId);
  const stored = importFilePath(jobId);
  if (!found || found.job.status !== "rejected" || !fs.existsSync(stored)) return null;
  const { kind, fileName, bytesTotal } = found.job;
  const newId = await createImportJob({ kind, fileName, mode: "valid_only", bytesTotal: bytesTotal ?? undefined, staffUserId });
  const copy = importFilePath(newId);
  fs.renameSync(stored, copy);
  launch(newId, { kind, fileName, mode: "valid_only", bytesTotal: bytesTotal ?? undefined, staffUserId }, copy);
  return newId;
}

function launch(jobId: number, options: { kind: ImportKind; mode: ImportMode; fileName: string; bytesTotal?: number; staffUserId: number }, file: string) {
  void runImport({ ...options, open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }) }, jobId)
    .then((result) => {
      // Keep a rejected file for "valid rows only"; otherwise it has served its purpose.
      if (result.status !== "rejected") fs.rmSync(file, { force: true });
    })
    .catch((error) => console.error(`import job ${jobId} failed:`, error));
}
