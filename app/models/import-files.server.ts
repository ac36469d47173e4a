// Uploaded import files, kept beside the embedded data (DATA_DIR/imports) only while a job needs them:
// from the upload to the end of its import, and a rejected file for a day, so that its valid rows can
// still be imported with one click. An upload may not take the disk below IMPORT_MIN_FREE_BYTES.
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { EnvError, getEnv } from "~/utils/env.server";

export function importsDir(dataDir = getEnv().DATA_DIR) {
  const dir = path.resolve(dataDir, "imports");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function importFilePath(jobId: number, dir = importsDir()) {
  return path.join(dir, `job-${jobId}.csv`);
}

/** 1 GiB: room for the database, its logs and temporary files once the upload is in. */
export const DEFAULT_IMPORT_MIN_FREE_BYTES = 1024 ** 3;

const minFreeSchema = z.coerce.number().int().nonnegative();

/** The free-space margin an upload must leave (IMPORT_MIN_FREE_BYTES; 0 turns the check off). Read per upload, checked at start-up. */
export function importMinFreeBytes(source: Record<string, string | undefined> = process.env): number {
  const raw = source.IMPORT_MIN_FREE_BYTES;
  if (raw === undefined || raw.trim() === "") return DEFAULT_IMPORT_MIN_FREE_BYTES;
  const parsed = minFreeSchema.safeParse(raw);
  if (!parsed.success) throw new EnvError("Invalid environment:\n  IMPORT_MIN_FREE_BYTES: must be a whole number of bytes (0 turns the check off)");
  return parsed.data;
}

/** Space this process may still write on the disk holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await fs.promises.statfs(dir);
  return stats.bavail * stats.bsize;
}

/** The upload would leave less free disk space than the margin. */
export class DiskMarginError extends Error {}
/** The upload is larger than an import file may be. */
export class UploadTooLarge extends Error {}

// Uploads this process is receiving: the sweep leaves them alone.
const receivingKey = Symbol.for("loyalty-portal.import-uploads");
type GlobalWithUploads = typeof globalThis & { [receivingKey]?: Set<string> };
const receiving = () => ((globalThis as GlobalWithUploads)[receivingKey] ??= new Set());

export interface ReceiveOptions {
  dir: string;
  /** The size announced (Content-Length), if any: checked against the margin before a byte is written. */
  expectedBytes: number | null;
  maxBytes: number;
  minFreeBytes: number;
  /** Tests: the free space, and how many bytes arrive between two checks of it. */
  freeBytes?: (dir: string) => Promise<number>;
  checkEveryBytes?: number;
}

/**
 * Writes an upload to `upload-<random>.csv` in `dir`. Refused with DiskMarginError when the free space
 * would fall below the margin: before anything is written when the size is announced, and again every
 * 16 MB as the data arrives (other writers share the disk). A refused, aborted or failed upload leaves
 * no file behind.
 */
export async function receiveUpload(data: AsyncIterable<Uint8Array>, options: ReceiveOptions): Promise<{ path: string; size: number }> {
  const free = options.freeBytes ?? freeBytes;
  const expected = options.expectedBytes ?? 0;
  if (options.minFreeBytes > 0 && (await free(options.dir)) - expected < options.minFreeBytes) throw new DiskMarginError();
  const file = path.join(options.dir, `upload-${crypto.randomUUID()}.csv`);
  receiving().add(file);
  const out = fs.createWriteStream(file, { flags: "wx" });
  const checkEvery = options.checkEveryBytes ?? 16 << 20;
  let size = 0;
  let sinceCheck = 0;
  try {
    for await (const chunk of data) {
      size += chunk.length;
      sinceCheck += chunk.length;
      if (size > options.maxBytes) throw new UploadTooLarge();
      if (options.minFreeBytes > 0 && sinceCheck >= checkEvery) {
        sinceCheck = 0;
        if ((await free(options.dir)) - Math.max(0, expected - size) < options.minFreeBytes) throw new DiskMarginError();
      }
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "close");
    return { path: file, size };
  } catch (error) {
    out.destroy();
    if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
    fs.rmSync(file, { force: true });
    throw error;
  } finally {
    receiving().delete(file);
  }
}

/**
 * Removes what no job needs from `dir`: `job-<id>.csv` unless `keep` holds the id, and anything else
 * (half-received uploads) not being received by this process and untouched for `uploadIdleMs` (an
 * upload still arriving in another process is written to as it comes). Returns the names removed.
 */
export async function sweepImportFiles(dir: string, keep: Set<number>, uploadIdleMs: number): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.promises.readdir(dir)) {
    const full = path.join(dir, name);
    const job = /^job-(\d+)\.csv$/.exec(name);
    if (job) {
      if (keep.has(Number(job[1]))) continue;
    } else {
      if (receiving().has(full)) continue;
      const stat = await fs.promises.stat(full).catch(() => null);
      if (!stat || Date.now() - stat.mtimeMs < uploadIdleMs) continue;
    }
    await fs.promises.rm(full, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
