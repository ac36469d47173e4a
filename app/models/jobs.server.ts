// The jobs table's statements (issue 15 item 6): enqueue (once per unique key while active), claim with
// a lease (FOR UPDATE SKIP LOCKED: two processes never take the same job), renew the lease with the
// progress, finish, fail, and expire the jobs whose process stopped renewing. Each is one statement,
// the same on PGlite and PostgreSQL. The runner is app/services/jobs/runner.server.ts.
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { jobs } from "../../db/schema";

export type Job = typeof jobs.$inferSelect;

/**
 * Queues a job, or returns the queued or running one with the same unique key (a double click, two
 * staff at once): the partial unique index decides, not a read before the write.
 */
export async function enqueueJob(
  kind: string,
  payload: Record<string, unknown>,
  options: { uniqueKey?: string; maxAttempts?: number; progress?: Record<string, unknown> } = {},
  db: Db = getDb(),
): Promise<{ job: Job; created: boolean }> {
  const [created] = await db
    .insert(jobs)
    .values({ kind, payload, uniqueKey: options.uniqueKey ?? null, maxAttempts: options.maxAttempts ?? 1, progress: options.progress ?? {} })
    .onConflictDoNothing({ target: jobs.uniqueKey, where: sql`${jobs.status} in ('queued', 'running')` })
    .returning();
  if (created) return { job: created, created: true };
  const [active] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.uniqueKey, options.uniqueKey!), sql`${jobs.status} in ('queued', 'running')`));
  // Finished between the two statements: queue it again.
  return active ? { job: active, created: false } : enqueueJob(kind, payload, options, db);
}

/** Claims the oldest queued job of the given kinds for `worker`, with a lease of `leaseMs`. */
export async function claimJob(worker: string, kinds: string[], leaseMs: number, db: Db = getDb()): Promise<Job | null> {
  const [job] = await db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: worker,
      leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
    })
    .where(
      sql`${jobs.id} = (select id from jobs where status = 'queued' and kind = any(${`{${kinds.join(",")}}`}::text[])
                         order by id limit 1 for update skip locked)`,
    )
    .returning();
  return job ?? null;
}

/** Renews the lease (and stores the progress when given); false when the job is no longer this worker's. */
export async function renewJob(id: number, worker: string, leaseMs: number, progress?: Record<string, unknown>, db: Db = getDb()) {
  const rows = await db
    .update(jobs)
    .set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`, ...(progress ? { progress } : {}) })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, worker), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

export async function finishJob(id: number, worker: string, result: Record<string, unknown>, progress?: Record<string, unknown>, db: Db = getDb()) {
  await db
    .update(jobs)
    .set({ status: "done", result, ...(progress ? { progress } : {}), leaseUntil: null, finishedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, worker), eq(jobs.status, "running")));
}

export async function failJob(id: number, worker: string, error: string, progress?: Record<string, unknown>, db: Db = getDb()) {
  await db
    .update(jobs)
    .set({ status: "failed", error, ...(progress ? { progress } : {}), leaseUntil: null, finishedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, worker), eq(jobs.status, "running")));
}

/**
 * Jobs whose lease ran out (their process died): queued again while attempts remain (idempotent kinds),
 * else failed as "interrupted". With `all`, every running job (the embedded database at start-up: its
 * folder lock proves no other process holds one). Returns how many of each.
 */
export async function expireJobs(options: { all?: boolean } = {}, db: Db = getDb()) {
  const expired = options.all ? sql`true` : sql`${jobs.leaseUntil} < now()`;
  const rows = await db
    .update(jobs)
    .set({
      status: sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then 'queued' else 'failed' end`,
      error: sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then ${jobs.error} else 'interrupted' end`,
      finishedAt: sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then null else now() end`,
      leaseUntil: null,
      lockedBy: null,
    })
    .where(and(eq(jobs.status, "running"), expired))
    .returning({ status: jobs.status });
  return { requeued: rows.filter((r) => r.status === "queued").length, failed: rows.filter((r) => r.status === "failed").length };
}

export async function getJob(id: number, db: Db = getDb()): Promise<Job | null> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job ?? null;
}

/** The latest job of a kind and unique key (a survey's last send), whatever its status, or of one status. */
export async function latestJob(kind: string, uniqueKey: string, db: Db = getDb(), status?: Job["status"]): Promise<Job | null> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, kind), eq(jobs.uniqueKey, uniqueKey), status ? eq(jobs.status, status) : undefined))
    .orderBy(desc(jobs.id))
    .limit(1);
  return job ?? null;
}
