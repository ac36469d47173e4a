// One job runner for all background work (issue 15 item 6): imports, survey sends, and the coming event
// and programme jobs. A job is a row of `jobs` (app/models/jobs.server.ts): a process claims it with a
// lease (FOR UPDATE SKIP LOCKED, so several processes share the work on PostgreSQL), its heartbeat
// renews the lease and stores the progress in the row, and it ends done or failed with its result or
// error. A job whose process died is found by its lapsed lease: queued again when its kind is safe to
// repeat (a survey send: invitations are idempotent), else failed as "interrupted". Progress and crashes
// therefore look the same for every kind, on both databases, and survive a restart.
//
// Why not pg-boss or graphile-worker (researched, scripts and figures in the commit): graphile-worker
// needs two connections and LISTEN/NOTIFY, which PGlite's single connection cannot give; pg-boss runs on
// PGlite only through an adapter, brings seven tables, timers and a 0.5 s polling floor, has no
// progress in the row, and its releases that run on Node 20 (10.x) are no longer the maintained line.
// The runner below is one table and five statements.
import crypto from "node:crypto";
import { claimJob, enqueueJob, expireJobs, failJob, finishJob, renewJob, type Job } from "~/models/jobs.server";
import { describeError, logError } from "../../utils/log.server";

export interface JobContext {
  job: Job;
  /** Records progress in the job's row (and renews the lease); cheap to call often, written at most every heartbeat. */
  progress(progress: Record<string, unknown>): void;
  /** The progress last reported, as the row will hold it. */
  readonly current: Record<string, unknown>;
}

export interface JobKind {
  run(payload: Record<string, unknown>, context: JobContext): Promise<Record<string, unknown>>;
}

export interface RunnerOptions {
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** How long a claimed job is this process's without a heartbeat. */
  leaseMs?: number;
  heartbeatMs?: number;
  /** How often an idle runner looks for jobs queued by other processes. */
  pollMs?: number;
}

const defaults: Required<RunnerOptions> = { concurrency: 2, leaseMs: 60_000, heartbeatMs: 5_000, pollMs: 2_000 };

// Per process: the kinds this process can run, and the runner's state (global, so a dev-server reload
// keeps one runner).
const stateKey = Symbol.for("loyalty-portal.job-runner");
interface RunnerState {
  kinds: Map<string, JobKind>;
  worker: string;
  options: Required<RunnerOptions>;
  running: Map<number, Promise<void>>;
  started: boolean;
  stopping: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  looking: Promise<void> | null;
}
function state(): RunnerState {
  const g = globalThis as typeof globalThis & { [stateKey]?: RunnerState };
  return (g[stateKey] ??= {
    kinds: new Map(),
    worker: `${process.pid}-${crypto.randomBytes(4).toString("hex")}`,
    options: defaults,
    running: new Map(),
    started: false,
    stopping: false,
    timer: null,
    looking: null,
  });
}

/** Declares how a kind of job runs (each service registers its own at import). */
export function registerJobKind(kind: string, definition: JobKind) {
  state().kinds.set(kind, definition);
}

/** Queues a job and wakes this process's runner; returns the job (the active one when its key is taken). */
export async function enqueue(kind: string, payload: Record<string, unknown>, options: { uniqueKey?: string; maxAttempts?: number; progress?: Record<string, unknown> } = {}) {
  const queued = await enqueueJob(kind, payload, options);
  wake();
  return queued;
}

/** Starts claiming jobs in this process (the server and `portal serve`/`demo`; tests start their own). */
export function startJobRunner(options: RunnerOptions = {}) {
  const s = state();
  s.options = { ...defaults, ...options };
  s.started = true;
  s.stopping = false;
  wake();
}

/**
 * Stops claiming, and gives the jobs running here `graceMs` to end; one still running then is left to
 * its lease (run again, or marked interrupted).
 */
export async function stopJobRunner(graceMs = 5_000) {
  const s = state();
  s.stopping = true;
  s.started = false;
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  await s.looking;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.allSettled([...s.running.values()]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  // Stopped (started is false: nothing wakes it); drainJobs may still run jobs by hand.
  s.stopping = false;
}

/** The jobs this process is running now (tests wait for them). */
export function runningJobs(): Promise<void>[] {
  return [...state().running.values()];
}

/** Runs queued jobs in this process until none is left (tests, and the CLI's one-shot commands). */
export async function drainJobs() {
  const s = state();
  for (;;) {
    await lookForWork();
    if (s.running.size === 0) return;
    await Promise.allSettled([...s.running.values()]);
  }
}

function wake() {
  const s = state();
  if (!s.started || s.stopping) return;
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  void lookForWork().finally(() => schedule());
}

function schedule() {
  const s = state();
  if (!s.started || s.stopping || s.timer) return;
  s.timer = setTimeout(() => {
    s.timer = null;
    wake();
  }, s.options.pollMs);
  s.timer.unref?.();
}

/** Expires lapsed leases, then claims jobs up to the concurrency. One look at a time per process. */
function lookForWork(): Promise<void> {
  const s = state();
  s.looking ??= (async () => {
    try {
      await expireJobs();
      const kinds = [...s.kinds.keys()];
      while (kinds.length > 0 && s.running.size < s.options.concurrency && !s.stopping) {
        const job = await claimJob(s.worker, kinds, s.options.leaseMs);
        if (!job) break;
        const done = runJob(job).finally(() => {
          s.running.delete(job.id);
          wake();
        });
        s.running.set(job.id, done);
      }
    } catch (error) {
      logError("job runner: looking for work failed", error);
    } finally {
      s.looking = null;
    }
  })();
  return s.looking;
}

async function runJob(job: Job) {
  const s = state();
  const kind = s.kinds.get(job.kind)!;
  let current: Record<string, unknown> = job.progress ?? {};
  let dirty = false;
  let lost = false;
  const heartbeat = setInterval(() => {
    const progress = dirty ? current : undefined;
    dirty = false;
    renewJob(job.id, s.worker, s.options.leaseMs, progress).then(
      (kept) => void (lost ||= !kept),
      (error) => logError(`job ${job.id}: heartbeat failed`, error),
    );
  }, s.options.heartbeatMs);
  heartbeat.unref?.();
  const context: JobContext = {
    job,
    progress(progress) {
      current = progress;
      dirty = true;
    },
    get current() {
      return current;
    },
  };
  try {
    const result = await kind.run(job.payload, context);
    clearInterval(heartbeat);
    await finishJob(job.id, s.worker, result, current);
  } catch (error) {
    clearInterval(heartbeat);
    logError(`job ${job.id} (${job.kind}) failed`, error);
    await failJob(job.id, s.worker, describeError(error), current).catch((e) => logError(`job ${job.id}: could not record the failure`, e));
  }
  if (lost) logError(`job ${job.id}: its lease was taken over while it ran`, new Error("lease lost"));
}

/** At start-up on the embedded database: every running job belonged to a process that is gone. */
export function expireAllJobs() {
  return expireJobs({ all: true });
}
