// Upload files do not pile up in DATA_DIR/imports (issue 14 item 7): a job's file goes when the job ends
// (a rejected file with valid rows stays a day for "valid rows only"), the start-up sweep removes what no
// running job needs, and an upload that would leave less than IMPORT_MIN_FREE_BYTES free is refused.
// Run on PGlite and on PostgreSQL (TEST_DATABASE_URL).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { DiskMarginError, freeBytes, importFilePath, importsDir, receiveUpload } from "~/models/import-files.server";
import { retryValidOnly, startImport, tidyImports } from "~/services/import/jobs.server";
import { drainJobs } from "~/services/jobs/runner.server";
import { createImportJob, getImportJob, startImportHeartbeat } from "~/services/import/import.server";
import { resetEnvForTests } from "~/utils/env.server";
import { localeCookie } from "~/utils/session.server";
import { usingPostgres, useTestDatabase } from "../setup/db";
import { renderPage } from "../support/render";
import { BASE, run, staffSession } from "../support/requests";

// This file's own DATA_DIR, so the sweep never touches another test's uploads.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-files-"));
const savedDataDir = process.env.DATA_DIR;
beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  resetEnvForTests();
});
afterAll(() => {
  process.env.DATA_DIR = savedDataDir;
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.IMPORT_MIN_FREE_BYTES;
  fs.rmSync(importsDir(), { recursive: true, force: true });
});

const filesLeft = () => fs.readdirSync(importsDir()).sort();

/** An upload as the upload route leaves it, then the import over it, to its end. */
async function importUpload(text: string, kind: "customers" | "purchases" = "purchases") {
  const uploadedPath = path.join(importsDir(), `upload-test-${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(uploadedPath, text);
  const jobId = await startImport({ kind, mode: "all_or_nothing", fileName: "file.csv", uploadedPath, staffUserId: 1 });
  await drainJobs();
  return { jobId, job: (await getImportJob(jobId))!.job };
}

describe("import files", () => {
  useTestDatabase();

  it("queues an upload for the job runner: waiting, it is not taken for a dead import (also at start-up), and it runs when the runner takes it", async () => {
    const uploadedPath = path.join(importsDir(), "upload-waiting.csv");
    fs.mkdirSync(importsDir(), { recursive: true });
    fs.writeFileSync(uploadedPath, "customer_id,purchased_at,amount\nW1,2026-01-05,1200\n");
    const jobId = await startImport({ kind: "purchases", mode: "all_or_nothing", fileName: "file.csv", uploadedPath, staffUserId: 1 });
    expect((await getImportJob(jobId))!.job.status).toBe("running");
    await tidyImports({ startUp: true });
    expect((await getImportJob(jobId))!.job.status).toBe("running");
    expect(filesLeft()).toEqual([String(jobId)].map((id) => expect.stringContaining(id)));
    await drainJobs();
    expect((await getImportJob(jobId))!.job).toMatchObject({ status: "done", inserted: 1 });
    expect(filesLeft()).toEqual([]);
  });

  it("a job's file is removed when it ends: done, failed, rejected for its header; a rejected file with valid rows stays for 'valid rows only', whose job then ends it", async () => {
    const done = await importUpload("customer_id,purchased_at,amount,order_id\nC1,2024-01-01,100,O1\n");
    expect(done.job.status).toBe("done");
    // The database refuses U+0000: the import fails.
    const failed = await importUpload("customer_id,purchased_at,amount,order_id,store\nC2,2024-01-01,100,O2,a\u0000b\n");
    expect(failed.job).toMatchObject({ status: "failed", fileError: { reason: "failed" } });
    const header = await importUpload("name,when\nx,y\n");
    expect(header.job).toMatchObject({ status: "rejected", fileError: { reason: "missing_column" } });
    const noValidRow = await importUpload("customer_id,purchased_at,amount\nC3,2024-02-30,100\n");
    expect(noValidRow.job).toMatchObject({ status: "rejected", rowsValid: 0 });
    expect(filesLeft()).toEqual([]);

    const rejected = await importUpload("customer_id,purchased_at,amount,order_id\nC4,2024-01-01,100,O4\nC5,2024-02-30,lots,O5\n");
    expect(rejected.job).toMatchObject({ status: "rejected", rowsValid: 1, errorCount: 2 });
    expect(filesLeft()).toEqual([path.basename(importFilePath(rejected.jobId))]);
    const retry = await retryValidOnly(rejected.jobId, 1);
    await drainJobs();
    expect((await getImportJob(retry!))!.job).toMatchObject({ status: "done", inserted: 1 });
    expect(filesLeft()).toEqual([]);
    // The report of the rejected job stays: its errors are in the database, not in the file.
    expect((await getImportJob(rejected.jobId))!.errors.map((e) => e.column)).toEqual(["amount", "purchased_at"]);
    expect(await retryValidOnly(rejected.jobId, 1)).toBeNull();
  });

  it("a rejected file is kept a day: the sweep removes it after that, and the page then says to upload it again", async () => {
    const page = await import("~/routes/staff.imports.$id");
    const staff = await staffSession("staff");
    const rejected = await importUpload("customer_id,purchased_at,amount,order_id\nC4,2024-01-01,100,O4\nC5,2024-02-30,100,O5\n");
    const view = async () => (await renderPage(page, "/staff/imports/:id", new Request(`${BASE}/staff/imports/${rejected.jobId}`, { headers: { Cookie: staff.cookie, "Accept-Language": "en" } }))).text;
    expect(await view()).toContain("Import the 1 valid row only");

    await tidyImports();
    expect(filesLeft()).toEqual([path.basename(importFilePath(rejected.jobId))]);
    await queryRows(sql`update import_jobs set finished_at = now() - interval '25 hours' where id = ${rejected.jobId}`);
    await tidyImports();
    expect(filesLeft()).toEqual([]);
    const text = await view();
    expect(text).not.toContain("Import the 1 valid row only");
    expect(text).toContain("The file is no longer kept (a rejected file is kept for a day).");
  });

  it("the start-up sweep removes files no running job needs, including half-received uploads, and keeps a running job's file", async () => {
    const dir = importsDir();
    const live = await createImportJob({ kind: "purchases", fileName: "live.csv", mode: "all_or_nothing", leaseMs: 60_000 });
    const heartbeat = startImportHeartbeat(live, { everyMs: 100 });
    try {
      const ended = await createImportJob({ kind: "purchases", fileName: "ended.csv", mode: "all_or_nothing" });
      await queryRows(sql`update import_jobs set status = 'done', finished_at = now() where id = ${ended}`);
      const dead = await createImportJob({ kind: "purchases", fileName: "dead.csv", mode: "all_or_nothing" });
      await queryRows(sql`update import_jobs set lease_until = now() - interval '1 second' where id = ${dead}`);
      for (const id of [live, ended, dead, 999_999]) fs.writeFileSync(importFilePath(id), "customer_id\n");
      // A crashed process's half-received upload (untouched for an hour), and one written to just now.
      fs.writeFileSync(path.join(dir, "upload-old.csv"), "customer_id,purc");
      const anHourAgo = new Date(Date.now() - 3_600_000);
      fs.utimesSync(path.join(dir, "upload-old.csv"), anHourAgo, anHourAgo);
      fs.writeFileSync(path.join(dir, "upload-new.csv"), "customer_id,purc");

      // Hourly while serving: a live job's file stays, whatever the database.
      const periodic = await tidyImports();
      expect(periodic.expired).toEqual([dead]);
      expect(filesLeft()).toContain(path.basename(importFilePath(live)));

      const startUp = await tidyImports({ startUp: true });
      expect(startUp.expired).toEqual(usingPostgres ? [] : [live]);
      // PostgreSQL: the live job may belong to another process, and so may an upload written to within
      // ten minutes. The embedded database: the folder lock says neither can.
      expect(filesLeft()).toEqual(usingPostgres ? [path.basename(importFilePath(live)), "upload-new.csv"] : []);
    } finally {
      await heartbeat.stop();
    }
  });

  it("refuses an upload that would leave less free disk space than IMPORT_MIN_FREE_BYTES: 413 with the message (en, ja), no file, no job", async () => {
    const upload = await import("~/routes/staff.imports.upload");
    const list = await import("~/routes/staff.imports._index");
    const staff = await staffSession("staff");
    const form = () => {
      const body = new FormData();
      body.set("kind", "purchases");
      body.set("file", new Blob(["customer_id,purchased_at,amount\nD1,2026-01-01,100\n"]), "d.csv");
      return body;
    };
    const post = (accept: string) => new Request(`${BASE}/staff/imports/upload`, { method: "POST", body: form(), headers: { Cookie: staff.cookie, Accept: accept } });
    process.env.IMPORT_MIN_FREE_BYTES = String((await freeBytes(importsDir())) + 1024 ** 3);

    const refused = await run(upload.action, post("application/json"));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ error: "imports.diskFull" });
    // Without JavaScript: back to the imports page, which says why.
    const plain = await run(upload.action, post("text/html"));
    expect(plain.headers.get("Location")).toBe("/staff/imports?error=imports.diskFull");
    for (const [locale, message] of [
      ["en", "Not enough free disk space on the server for this file: nothing was stored."],
      ["ja", "サーバーのディスクの空き容量が足りないため、このファイルを受け付けませんでした（何も保存していません）。"],
    ] as const) {
      const cookie = `${staff.cookie}; ${(await localeCookie.serialize(locale)).split(";")[0]}`;
      const page = await renderPage(list, "/staff/imports", new Request(`${BASE}/staff/imports?error=imports.diskFull`, { headers: { Cookie: cookie } }));
      expect(page.text).toContain(message);
    }
    expect(filesLeft()).toEqual([]);
    expect(await queryRows(sql`select id from import_jobs`)).toEqual([]);

    // With room to spare, the same upload goes through.
    process.env.IMPORT_MIN_FREE_BYTES = "0";
    const accepted = await run(upload.action, post("application/json"));
    expect(accepted.status).toBe(200);
    const { jobId } = (await accepted.json()) as { jobId: number };
    await drainJobs();
    expect((await getImportJob(jobId))!.job.status).toBe("done");
    expect(filesLeft()).toEqual([]);
  });

  it("stops an upload whose data crosses the margin as it arrives, and leaves no file of it or of an upload cut off", async () => {
    const dir = importsDir();
    const MB = 1 << 20;
    async function* chunks(count: number, failAt = Infinity) {
      for (let i = 0; i < count; i++) {
        if (i === failAt) throw new Error("connection reset");
        yield new Uint8Array(256 * 1024);
      }
    }
    // A disk with 100 MB free that fills as the upload is written (Content-Length not sent).
    let written = 0;
    const filling = async () => 100 * MB - (written = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0));
    const options = { dir, expectedBytes: null, maxBytes: 1024 * MB, minFreeBytes: 95 * MB, freeBytes: filling, checkEveryBytes: MB };
    await expect(receiveUpload(chunks(80), options)).rejects.toBeInstanceOf(DiskMarginError);
    expect(written).toBeGreaterThan(4 * MB);
    expect(written).toBeLessThan(8 * MB);
    expect(filesLeft()).toEqual([]);
    // Announced too large: refused before anything is written.
    await expect(receiveUpload(chunks(1), { ...options, expectedBytes: 6 * MB })).rejects.toBeInstanceOf(DiskMarginError);
    expect(filesLeft()).toEqual([]);
    // The client goes away halfway.
    await expect(receiveUpload(chunks(8, 4), options)).rejects.toThrow("connection reset");
    expect(filesLeft()).toEqual([]);
    // Within the margin: kept whole.
    const kept = await receiveUpload(chunks(8), options);
    expect(kept.size).toBe(2 * MB);
    expect(fs.statSync(kept.path).size).toBe(2 * MB);
  });
});
