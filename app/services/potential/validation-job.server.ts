// The customer-potential validation as a job of the runner (app/services/jobs/runner.server.ts): the
// page queues it and follows its step in the job's row; the Validation is the job's result. One at a
// time (a unique key): a second start while one is queued or running is that one. The route that starts
// it imports this module, which registers the kind in the server process.
import { getDb, type Db } from "../../../db/client.server";
import { latestJob, type Job } from "~/models/jobs.server";
import { getMetricsState } from "~/models/metrics.server";
import { enqueue, registerJobKind } from "../jobs/runner.server";
import { validatePotential, type Validation } from "./refit.server";

const VALIDATION_KIND = "potential_validation";
const VALIDATION_KEY = "potential_validation";

export interface ValidationRun {
  jobId: number;
  status: "queued" | "running" | "done" | "failed";
  /** "queued" until validatePotential reports "summarising", "fitting", "predicting". */
  step: string;
  /** The metrics' date the run holds out from, and the hold-out's length. */
  asOf: string;
  holdoutDays: number;
  /** The comparison, once done. */
  validation: Validation | null;
  /** Why the job failed (an error, not a fit that did not converge: that is in the validation). */
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

registerJobKind(VALIDATION_KIND, {
  async run(payload, context) {
    const { asOf, holdoutDays } = payload as { asOf: string; holdoutDays: number };
    const validation = await validatePotential({ asOf, holdoutDays, onProgress: (step) => context.progress({ step }) });
    return { ...validation };
  },
});

function runOf(job: Job): ValidationRun {
  const payload = job.payload as { asOf: string; holdoutDays: number };
  return {
    jobId: job.id,
    status: job.status,
    step: typeof job.progress?.step === "string" ? job.progress.step : "queued",
    asOf: payload.asOf,
    holdoutDays: payload.holdoutDays,
    validation: job.status === "done" && job.result ? (job.result as unknown as Validation) : null,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Queues a validation holding out the last `holdoutDays` before the metrics' date; null when the metrics
 * were never computed (nothing to hold out from). Returns the run already queued or running, if any.
 */
export async function startValidation(holdoutDays: number, db: Db = getDb()): Promise<ValidationRun | null> {
  const { asOf } = await getMetricsState(db);
  if (!asOf) return null;
  // Safe to run again after a crash: it only reads purchases and keeps its fits as "validation".
  const { job } = await enqueue(
    VALIDATION_KIND,
    { asOf, holdoutDays },
    { uniqueKey: VALIDATION_KEY, maxAttempts: 2, progress: { step: "queued" } },
  );
  return runOf(job);
}

/** The latest validation, running or finished (null before the first). */
export async function latestValidation(db: Db = getDb()): Promise<ValidationRun | null> {
  const job = await latestJob(VALIDATION_KIND, VALIDATION_KEY, db);
  return job ? runOf(job) : null;
}

/** The latest validation that finished with a result: the page keeps it in view while another runs. */
export async function lastFinishedValidation(db: Db = getDb()): Promise<ValidationRun | null> {
  const job = await latestJob(VALIDATION_KIND, VALIDATION_KEY, db, "done");
  return job ? runOf(job) : null;
}
