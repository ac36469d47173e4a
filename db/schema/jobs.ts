// Background work (issue 15 item 6): one table of jobs, claimed by a process with a lease that its
// heartbeat renews, with their progress in the row. Imports, survey sends and the coming event and
// programme jobs all run through it (app/services/jobs/runner.server.ts; SQL in app/models/jobs.server.ts).
import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const jobStatuses = ["queued", "running", "done", "failed"] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull().$type<Record<string, unknown>>(),
    // At most one queued or running job per key (one send per survey): a double click queues one job.
    uniqueKey: text("unique_key"),
    status: text("status").notNull().default("queued").$type<JobStatus>(),
    // What the job has done so far, as its kind reports it (rows read, invitations sent…).
    progress: jsonb("progress").notNull().default({}).$type<Record<string, unknown>>(),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    // A job whose process stopped renewing its lease is run again (idempotent kinds) or failed.
    maxAttempts: integer("max_attempts").notNull().default(1),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lockedBy: text("locked_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("jobs_status", sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    index("jobs_queued_idx").on(t.id).where(sql`${t.status} = 'queued'`),
    index("jobs_running_lease_idx").on(t.leaseUntil).where(sql`${t.status} = 'running'`),
    uniqueIndex("jobs_active_key").on(t.uniqueKey).where(sql`${t.status} in ('queued', 'running')`),
    index("jobs_kind_key_idx").on(t.kind, t.uniqueKey, t.id),
  ],
);
