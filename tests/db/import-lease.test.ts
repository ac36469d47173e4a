// Import jobs hold a lease (issue 14 item 6): a job whose process died is marked failed with the reason,
// shown on the imports list and the job's page in the reader's language; a job whose heartbeat goes on
// is not. Run on PGlite and on PostgreSQL (TEST_DATABASE_URL).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type DatabaseHandle } from "../../db/client.server";
import { importJobs } from "../../db/schema";
import { importFilePath } from "~/models/import-files.server";
import { tidyImports } from "~/services/import/jobs.server";
import {
  createImportJob,
  getImportJob,
  importProgress,
  INTERRUPTED,
  listImportJobs,
  runImport,
  startImportHeartbeat,
} from "~/services/import/import.server";
import { resetEnvForTests } from "~/utils/env.server";
import { localeCookie } from "~/utils/session.server";
import { usingPostgres, useTestDatabase } from "../setup/db";
import { TEMPLATE_DB, withDatabase } from "../setup/db-global";
import { renderPage } from "../support/render";
import { BASE, staffSession } from "../support/requests";

// This file's own DATA_DIR: job files are checked and removed here, never in other tests' folder.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-lease-"));
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jobRow = async (id: number, handle?: DatabaseHandle) => (await getImportJob(id, handle))?.job;
const purchaseCount = async (handle?: DatabaseHandle) =>
  (await queryRows<{ n: number }>(sql`select count(*)::int as n from purchases`, handle?.db))[0]!.n;

/** As a process that died mid-import leaves its job: running, the lease past. */
async function deadJob(fileName: string) {
  const id = await createImportJob({ kind: "purchases", fileName, mode: "all_or_nothing" });
  await queryRows(sql`update import_jobs set lease_until = now() - interval '1 second' where id = ${id}`);
  return id;
}

describe("import leases", () => {
  useTestDatabase();

  it("a job left running by a process that died shows failed with the reason, on the list and its page, in English and Japanese", async () => {
    const list = await import("~/routes/staff.imports._index");
    const page = await import("~/routes/staff.imports.$id");
    const viewer = await staffSession("viewer");
    const id = await deadJob("crashed.csv");
    fs.writeFileSync(importFilePath(id), "customer_id,purchased_at,amount\nC1,2024-01-01,100\n");
    const request = async (url: string, locale: "en" | "ja") =>
      new Request(`${BASE}${url}`, { headers: { Cookie: `${viewer.cookie}; ${(await localeCookie.serialize(locale)).split(";")[0]}` } });

    const englishList = await renderPage(list, "/staff/imports", await request("/staff/imports", "en"));
    expect(englishList.text).toMatch(/crashed\.csv Purchases Failed The import stopped before it finished: the portal stopped or lost its database\. .*nothing from this file was imported/);
    const japanesePage = await renderPage(page, "/staff/imports/:id", await request(`/staff/imports/${id}`, "ja"));
    expect(japanesePage.text).toContain("失敗");
    expect(japanesePage.text).toContain("取り込みが終わる前に止まりました（ポータルが停止したか、データベースとの接続が切れました）。");
    expect(japanesePage.text).not.toContain("実行中");
    const englishPage = await renderPage(page, "/staff/imports/:id", await request(`/staff/imports/${id}`, "en"));
    expect(englishPage.text).toContain("The import stopped before it finished");

    expect(await jobRow(id)).toMatchObject({ status: "failed", fileError: INTERRUPTED, finishedAt: expect.any(Date), leaseUntil: null });
    // Its upload went with it.
    expect(fs.existsSync(importFilePath(id))).toBe(false);
  });

  it("a job whose heartbeat goes on stays running past its lease; once the heartbeat stops, it is marked failed", async () => {
    const id = await createImportJob({ kind: "purchases", fileName: "alive.csv", mode: "all_or_nothing", leaseMs: 1_000 });
    const heartbeat = startImportHeartbeat(id, { leaseMs: 1_000, everyMs: 100 });
    try {
      await sleep(2_500);
      expect((await listImportJobs()).find((j) => j.id === id)?.status).toBe("running");
      expect(await jobRow(id)).toMatchObject({ status: "running", fileError: null });
    } finally {
      await heartbeat.stop();
    }
    await sleep(1_500);
    expect(await jobRow(id)).toMatchObject({ status: "failed", fileError: INTERRUPTED });
  });

  it("never expires an import this process is running, whatever its lease says", async () => {
    const id = await deadJob("mine.csv");
    importProgress().set(id, { jobId: id, phase: "reading", bytesRead: 0, bytesTotal: null, rowsRead: 0, rowsInvalid: 0, errorCount: 0 });
    try {
      expect(await jobRow(id)).toMatchObject({ status: "running" });
    } finally {
      importProgress().delete(id);
    }
    expect(await jobRow(id)).toMatchObject({ status: "failed" });
  });

  it("start-up ends every running job on the embedded database (its folder lock proves no other process has one), only expired ones on PostgreSQL", async () => {
    const expired = await deadJob("expired.csv");
    const leased = await createImportJob({ kind: "customers", fileName: "leased.csv", mode: "all_or_nothing" });
    const { expired: ended } = await tidyImports({ startUp: true });
    expect(ended.sort((a, b) => a - b)).toEqual(usingPostgres ? [expired] : [expired, leased]);
    expect(await jobRow(leased)).toMatchObject({ status: usingPostgres ? "running" : "failed" });
  });

  it("an import records 'done' with its rows in one transaction; one whose job was marked failed meanwhile keeps nothing", async () => {
    const file = "customer_id,purchased_at,amount,order_id\nC1,2024-01-01,100,O1\n";
    const done = await runImport({ kind: "purchases", fileName: "ok.csv", mode: "all_or_nothing", open: () => Readable.from([Buffer.from(file)]) });
    expect(await jobRow(done.jobId)).toMatchObject({ status: "done", inserted: 1, leaseUntil: null });

    const id = await createImportJob({ kind: "purchases", fileName: "late.csv", mode: "all_or_nothing" });
    async function* markedFailedWhileReading() {
      // Another process found the lease run out (before the import's transaction began).
      await queryRows(sql`update import_jobs set status = 'failed', file_error = ${JSON.stringify(INTERRUPTED)}::jsonb where id = ${id}`);
      yield Buffer.from("customer_id,purchased_at,amount,order_id\nC2,2024-01-01,100,O2\n");
    }
    const late = await runImport({ kind: "purchases", fileName: "late.csv", mode: "all_or_nothing", open: () => markedFailedWhileReading() }, id);
    expect(late).toMatchObject({ status: "failed", fileError: INTERRUPTED, inserted: 0 });
    expect(await jobRow(id)).toMatchObject({ status: "failed", fileError: INTERRUPTED, inserted: 0 });
    expect(await purchaseCount()).toBe(1);
  });
});

describe("a process killed mid-import", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** The crasher's database: a copy of the migrated template on PostgreSQL, a folder of its own on PGlite. */
  async function crasherDatabase(): Promise<{ env: Record<string, string>; open: () => Promise<DatabaseHandle> }> {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-crash-"));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      return { env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }) };
    }
    const name = `portal_test_${crypto.randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    return { env: { DATABASE_URL: withDatabase(url, name) }, open: () => openDatabase({ url: withDatabase(url, name), migrate: false }) };
  }

  it("leaves no rows, and its job is marked failed once its lease runs out (at start-up on the embedded database)", { timeout: 90_000 }, async () => {
    const database = await crasherDatabase();
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/import-crasher.ts"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", SESSION_SECRET: "x".repeat(32), LEASE_MS: "1500", ...database.env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const told = String((await lines.next()).value);
    expect(told).toMatch(/^importing \d+$/);
    const jobId = Number(told.split(" ")[1]);
    await sleep(300); // rows are going in
    child.kill("SIGKILL");
    await exited;

    const handle = await database.open();
    try {
      if (handle.kind === "pglite") {
        await tidyImports({ handle, startUp: true });
      } else {
        expect((await handle.db.select().from(importJobs).where(eq(importJobs.id, jobId)))[0]).toMatchObject({ status: "running" });
        await sleep(1_600);
      }
      const [job] = (await listImportJobs(20, handle)).filter((j) => j.id === jobId);
      expect(job).toMatchObject({ status: "failed", fileError: INTERRUPTED, inserted: 0 });
      expect(await purchaseCount(handle)).toBe(0);
      expect((await queryRows<{ n: number }>(sql`select count(*)::int as n from customers`, handle.db))[0]!.n).toBe(0);
    } finally {
      await handle.close();
    }
  });
});
