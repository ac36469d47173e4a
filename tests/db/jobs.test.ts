// The job runner on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): a job runs once
// however many look for work at once, its progress is in its row, a job whose process died is run again
// when its kind may repeat and marked interrupted when not, and one unique key queues one job.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { claimJob, enqueueJob, expireJobs, getJob, renewJob } from "~/models/jobs.server";
import { drainJobs, enqueue, registerJobKind, stopJobRunner } from "~/services/jobs/runner.server";
import { useTestDatabase } from "../setup/db";

describe("the job runner", () => {
  useTestDatabase();
  afterEach(() => stopJobRunner());

  it("runs each job once, records its progress and result in the row, and one unique key queues one job", async () => {
    const runs: number[] = [];
    registerJobKind("test_count", {
      async run(payload, context) {
        runs.push(payload.n as number);
        context.progress({ done: 1, total: 1 });
        return { doubled: (payload.n as number) * 2 };
      },
    });
    const a = await enqueue("test_count", { n: 1 }, { uniqueKey: "count:1" });
    const again = await enqueue("test_count", { n: 1 }, { uniqueKey: "count:1" });
    expect(a.created).toBe(true);
    expect(again).toMatchObject({ created: false, job: { id: a.job.id } });
    await enqueue("test_count", { n: 2 });
    await drainJobs();
    expect(runs.sort()).toEqual([1, 2]);
    expect(await getJob(a.job.id)).toMatchObject({ status: "done", result: { doubled: 2 }, progress: { done: 1, total: 1 }, attempts: 1, leaseUntil: null });
    // Once done, the key is free for the next send.
    expect((await enqueue("test_count", { n: 1 }, { uniqueKey: "count:1" })).created).toBe(true);
  });

  it("never gives one job to two workers claiming at once", async () => {
    for (let n = 0; n < 20; n++) await enqueueJob("test_claim", { n });
    const claims = await Promise.all(Array.from({ length: 40 }, (_, w) => claimJob(`worker-${w % 4}`, ["test_claim"], 60_000)));
    const ids = claims.filter((j) => j !== null).map((j) => j!.id);
    expect(ids.length).toBe(20);
    expect(new Set(ids).size).toBe(20);
  });

  it("runs again a job whose process died when its kind may repeat, and marks it interrupted when not", async () => {
    const repeatable = (await enqueueJob("test_repeat", {}, { maxAttempts: 3 })).job;
    const once = (await enqueueJob("test_once", {}, { maxAttempts: 1 })).job;
    // A process claims both, then dies: its heartbeat stops and the leases run out.
    expect((await claimJob("dead-process", ["test_repeat", "test_once"], 50))!.id).toBe(repeatable.id);
    expect((await claimJob("dead-process", ["test_repeat", "test_once"], 50))!.id).toBe(once.id);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await expireJobs()).toEqual({ requeued: 1, failed: 1 });
    expect(await getJob(once.id)).toMatchObject({ status: "failed", error: "interrupted" });
    expect(await getJob(repeatable.id)).toMatchObject({ status: "queued", attempts: 1 });
    // The dead process's late heartbeat changes nothing.
    expect(await renewJob(repeatable.id, "dead-process", 60_000)).toBe(false);
    let ran = 0;
    registerJobKind("test_repeat", { run: async () => ({ ran: ++ran }) });
    await drainJobs();
    expect(await getJob(repeatable.id)).toMatchObject({ status: "done", attempts: 2, result: { ran: 1 } });
  });

  it("records a failure with its reason, and keeps the progress reached", async () => {
    registerJobKind("test_fail", {
      async run(_payload, context) {
        context.progress({ done: 3 });
        throw new Error("the survey is not open");
      },
    });
    const { job } = await enqueue("test_fail", {});
    await drainJobs();
    const [row] = await queryRows<{ status: string; error: string; progress: { done: number } }>(sql`select status, error, progress from jobs where id = ${job.id}`, getDb());
    expect(row).toMatchObject({ status: "failed", progress: { done: 3 } });
    expect(row!.error).toContain("the survey is not open");
  });
});
