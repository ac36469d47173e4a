// Customer potential (issue 19): the refit that follows every behaviour refresh, and the hold-out
// validation. The models are fitted on the distinct (x, t_x, T) / (x, m_x) combinations the database
// groups, and predicted once per combination; the database joins the predictions to the customers.
import type { Db } from "../../../db/client.server";
import { getDb } from "../../../db/client.server";
import { bucketOf, HORIZON_DAYS, holdoutError, VALIDATION_BUCKETS } from "~/domain/potential";
import {
  currentFits,
  frequencyRowsFromMetrics,
  holdoutRows,
  holdoutSpendRows,
  recordFit,
  spendRowsFromMetrics,
  storePredictions,
  type FrequencyRows,
  type SpendRows,
  type StoredFit,
} from "~/models/potential.server";
import {
  expectedPurchases,
  expectedPurchasesIfAlive,
  expectedPurchasesNew,
  expectedSpend,
  fitBgNbd,
  fitGammaGamma,
  type BgNbdParams,
  type FitResult,
  type FrequencyCounts,
  type GammaGammaParams,
  type SpendCounts,
} from "./model.server";

const frequencyCounts = (r: FrequencyRows): FrequencyCounts => ({
  x: Float64Array.from(r.x),
  tx: Float64Array.from(r.tx),
  T: Float64Array.from(r.T),
  n: Float64Array.from(r.n),
});
const spendCounts = (r: SpendRows): SpendCounts => ({ x: Float64Array.from(r.x), mx: Float64Array.from(r.mx), n: Float64Array.from(r.n) });

const bgParamsOf = (fit: StoredFit | null): BgNbdParams | null => (fit?.params ? (fit.params as unknown as BgNbdParams) : null);
const ggParamsOf = (fit: StoredFit | null): GammaGammaParams | null => (fit?.params ? (fit.params as unknown as GammaGammaParams) : null);

/** One model's outcome of a refit, as the pages and the CLI report it. */
export interface FitOutcome {
  converged: boolean;
  /** The fit row: the new one when it converged, else the previous (kept) one, or null. */
  fitId: number | null;
  /** Why it did not converge (the previous parameters are kept). */
  message: string | null;
  customers: number;
}

export interface RefitResult {
  asOf: string;
  bgnbd: FitOutcome;
  gammaGamma: FitOutcome;
  /** Reading the combinations and fitting both models. */
  fitSeconds: number;
  /** Predicting per combination and writing every customer's three figures. */
  scoreSeconds: number;
  combinations: number;
}

/** The distinct (x, T) pairs of the combinations. */
function distinctPairs(rows: FrequencyRows) {
  const seen = new Set<number>();
  const x: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < rows.x.length; i++) {
    const key = rows.x[i] * 1e6 + rows.T[i];
    if (seen.has(key)) continue;
    seen.add(key);
    x.push(rows.x[i]);
    T.push(rows.T[i]);
  }
  return { x, T };
}

async function timedFit<P>(run: () => Promise<FitResult<P>> | FitResult<P>) {
  const started = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - started) / 1000 };
}

const record = (
  model: "bgnbd" | "gamma_gamma",
  asOf: string,
  purpose: "current" | "validation",
  fit: { result: FitResult<object>; seconds: number },
  db: Db,
) =>
  recordFit(
    {
      model,
      asOf,
      purpose,
      converged: fit.result.converged,
      params: fit.result.converged ? (fit.result.params as Record<string, number>) : null,
      logLikelihood: fit.result.converged ? fit.result.logLikelihood : null,
      customers: fit.result.customers,
      iterations: fit.result.iterations,
      seconds: fit.seconds,
      message: fit.result.converged ? null : fit.result.reason,
      reasonCode: fit.result.converged ? null : fit.result.code,
      reasonValues: fit.result.converged ? null : (fit.result.values ?? null),
    },
    db,
  );

/**
 * Fits both models on the refreshed behaviour metrics (as of `asOf`, the metrics' date), keeps every fit,
 * and rescores every customer with the new parameters, or with the previous ones where a fit did not
 * converge (its message is kept with it). Starts from the previous parameters when there are some.
 */
export async function refitPotential(options: { asOf: string; db?: Db }): Promise<RefitResult> {
  const db = options.db ?? getDb();
  const started = performance.now();
  const previous = await currentFits(db);
  const [frequency, spend] = await Promise.all([frequencyRowsFromMetrics(db), spendRowsFromMetrics(db)]);
  const prevBg = bgParamsOf(previous.bgnbd);
  const prevGg = ggParamsOf(previous.gammaGamma);
  const bg = await timedFit(() => fitBgNbd(frequencyCounts(frequency), prevBg ? { start: prevBg } : undefined));
  const gg = await timedFit(() => fitGammaGamma(spendCounts(spend), prevGg ? { start: prevGg } : undefined));

  // E[Y | x, t_x, T] = p_alive(x, t_x, T) * E[Y | alive, x, T]: the second factor depends on (x, T) only,
  // so it is worked out once per distinct pair; the database multiplies it by each customer's p_alive.
  const scoring = performance.now();
  const pairs = distinctPairs(frequency);
  const predict = (p: BgNbdParams) => pairs.x.map((x, i) => expectedPurchasesIfAlive(p, HORIZON_DAYS, x, pairs.T[i]));
  let predictions = bg.result.converged ? predict(bg.result.params) : null;
  if (bg.result.converged && predictions!.some((v) => !Number.isFinite(v))) {
    // A fit on an edge of the likelihood whose predictions are not numbers: a failure like any other.
    bg.result = {
      converged: false,
      code: "not_finite",
      reason: "The BG/NBD fit's predictions are not numbers at its parameters (an edge of the likelihood); the previous parameters are kept.",
      customers: bg.result.customers,
      iterations: bg.result.iterations,
    };
    predictions = null;
  }
  const scoringSeconds = (performance.now() - scoring) / 1000;
  const bgId = await record("bgnbd", options.asOf, "current", bg, db);
  const ggId = await record("gamma_gamma", options.asOf, "current", gg, db);
  // Reading, fitting and keeping the fits; the predictions' check counts as scoring.
  const fitSeconds = (performance.now() - started) / 1000 - scoringSeconds;

  const outcome = (fit: { result: FitResult<object> }, id: number, kept: StoredFit | null): FitOutcome => ({
    converged: fit.result.converged,
    fitId: fit.result.converged ? id : kept?.id ?? null,
    message: fit.result.converged ? null : fit.result.reason,
    customers: fit.result.customers,
  });
  const result = {
    asOf: options.asOf,
    bgnbd: outcome(bg, bgId, previous.bgnbd),
    gammaGamma: outcome(gg, ggId, previous.gammaGamma),
    combinations: frequency.x.length,
  };

  const storing = performance.now();
  if (!predictions && prevBg) {
    predictions = predict(prevBg);
    if (predictions.some((v) => !Number.isFinite(v))) predictions = null;
  }
  if (predictions && result.bgnbd.fitId) {
    await storePredictions(
      { x: pairs.x, T: pairs.T, expectedIfAlive: predictions },
      { asOf: options.asOf, bgnbdFitId: result.bgnbd.fitId, gammaGammaFitId: result.gammaGamma.fitId, horizonDays: HORIZON_DAYS },
      db,
    );
  }
  return { ...result, fitSeconds, scoreSeconds: scoringSeconds + (performance.now() - storing) / 1000 };
}

// ---- Validation -------------------------------------------------------------------------------------

export interface ValidationBucket {
  /** Repeat purchase days in the calibration period (the last bucket: this many or more). */
  x: number;
  customers: number;
  /** Purchase days in the hold-out: predicted (sum of the customers' expectations) and actual. */
  predicted: number;
  actual: number;
}

export interface Validation {
  asOf: string;
  calibrationEnd: string;
  holdoutDays: number;
  customers: number;
  /** Without a converged BG/NBD fit the buckets' predicted stay 0 and total is null. */
  buckets: ValidationBucket[];
  total: ReturnType<typeof holdoutError> | null;
  bgnbd: { converged: boolean; params: BgNbdParams | null; message: string | null; reason: FitReason | null; logLikelihood: number | null };
  gammaGamma: { converged: boolean; params: GammaGammaParams | null; message: string | null; reason: FitReason | null };
  /** A new customer's expected purchase days in the hold-out's length (unconditional E[X(t)]). */
  newCustomerExpected: number | null;
}

/** A failed fit's reason as the pages word it: its code and values. */
export interface FitReason {
  code: string;
  values: Record<string, number>;
}
const reasonOf = (r: FitResult<object>): FitReason | null => (r.converged ? null : { code: r.code, values: r.values ?? {} });

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Holds out the last `holdoutDays` before `asOf`: fits both models as of asOf - holdoutDays from the
 * purchases, predicts each calibration customer's purchase days in the hold-out, and compares with what
 * happened, by the customers' calibration repeat purchases and in total. The fits are kept (purpose
 * "validation"); the current figures are not touched.
 */
export async function validatePotential(options: {
  asOf: string;
  holdoutDays: number;
  db?: Db;
  onProgress?: (step: string) => void;
}): Promise<Validation> {
  const db = options.db ?? getDb();
  const calibrationEnd = addDays(options.asOf, -options.holdoutDays);
  options.onProgress?.("summarising");
  const rows = await holdoutRows(calibrationEnd, options.asOf, db);
  const spend = await holdoutSpendRows(calibrationEnd, db);
  options.onProgress?.("fitting");
  const bg = await timedFit(() => fitBgNbd(frequencyCounts(rows)));
  const gg = await timedFit(() => fitGammaGamma(spendCounts(spend)));
  await record("bgnbd", calibrationEnd, "validation", bg, db);
  await record("gamma_gamma", calibrationEnd, "validation", gg, db);
  options.onProgress?.("predicting");
  const buckets: ValidationBucket[] = Array.from({ length: VALIDATION_BUCKETS }, (_, x) => ({ x, customers: 0, predicted: 0, actual: 0 }));
  let customers = 0;
  for (let i = 0; i < rows.x.length; i++) {
    const b = buckets[bucketOf(rows.x[i])];
    b.customers += rows.n[i];
    b.actual += rows.actual[i];
    customers += rows.n[i];
    if (bg.result.converged)
      b.predicted += rows.n[i] * expectedPurchases(bg.result.params, options.holdoutDays, rows.x[i], rows.tx[i], rows.T[i]);
  }
  const ggParams = gg.result.converged ? gg.result.params : null;
  return {
    asOf: options.asOf,
    calibrationEnd,
    holdoutDays: options.holdoutDays,
    customers,
    buckets,
    total: bg.result.converged ? holdoutError(buckets) : null,
    bgnbd: {
      converged: bg.result.converged,
      params: bg.result.converged ? bg.result.params : null,
      message: bg.result.converged ? null : bg.result.reason,
      reason: reasonOf(bg.result),
      logLikelihood: bg.result.converged ? bg.result.logLikelihood : null,
    },
    gammaGamma: { converged: gg.result.converged, params: ggParams, message: gg.result.converged ? null : gg.result.reason, reason: reasonOf(gg.result) },
    newCustomerExpected: bg.result.converged ? expectedPurchasesNew(bg.result.params, options.holdoutDays) : null,
  };
}
