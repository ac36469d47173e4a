// The behaviour refresh (DESIGN §2) with what follows it: every customer's metrics recomputed as of the
// analysis date, then the customer potential refitted on them and every customer rescored (issue 19).
// Everything that recomputes the metrics (imports, Settings, the borders, the daily refresh, the CLI)
// comes through here, so the potential never lags the metrics.
import { getDb, type Db } from "../../db/client.server";
import type { Borders } from "~/domain/cpm";
import { getMetricsState, metricsAreStale, refreshMetrics, storeAnalysisDate, storeBorders } from "~/models/metrics.server";
import { logError } from "~/utils/log.server";
import { refitPotential, type RefitResult } from "./potential/refit.server";

export interface BehaviourRefresh {
  asOf: string;
  /** The metrics' refresh alone. */
  seconds: number;
  /** Null when the refit failed outright (logged; the previous figures stay). */
  potential: RefitResult | null;
}

/** Recomputes the metrics as of `asOf` (default: the analysis date, or today) and refits the potential. */
export async function refreshBehaviour(options: { asOf?: string; db?: Db } = {}): Promise<BehaviourRefresh> {
  const db = options.db ?? getDb();
  const metrics = await refreshMetrics({ asOf: options.asOf, db });
  let potential: RefitResult | null = null;
  try {
    potential = await refitPotential({ asOf: metrics.asOf, db });
  } catch (error) {
    // A refit that breaks must not undo the metrics: the previous potential stays, and the log says why.
    logError("customer potential refit failed", error);
  }
  return { ...metrics, potential };
}

/** The daily refresh: runs when the metrics are not as of the analysis date. */
export async function refreshBehaviourIfStale(db: Db = getDb()) {
  return (await metricsAreStale(db)) ? refreshBehaviour({ db }) : null;
}

/** Fixes the analysis date (null: follow today) and recomputes as of it. */
export async function saveAnalysisDate(analysisDate: string | null, db: Db = getDb()) {
  await storeAnalysisDate(analysisDate, db);
  return refreshBehaviour({ db });
}

/** Stores the CPM borders and recomputes as of the metrics' date. */
export async function saveBorders(borders: Borders, db: Db = getDb()) {
  await storeBorders(borders, db);
  return refreshBehaviour({ asOf: (await getMetricsState(db)).asOf ?? undefined, db });
}
