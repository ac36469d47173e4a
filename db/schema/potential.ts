// Customer potential (issue 19): the BG/NBD and Gamma-Gamma fits, the predictions of the current fit per
// distinct (x, t_x, T), and which fits are current. The per-customer figures are the materialized view
// customer_potential (db/views/customer_potential.sql), refreshed after every refit.
import { sql } from "drizzle-orm";
import type { CpmSegment } from "../../app/domain/cpm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgMaterializedView,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

export type PotentialModel = "bgnbd" | "gamma_gamma";

/** Every fit, kept: the parameters with their fit date, log-likelihood and number of customers. */
export const potentialFits = pgTable(
  "potential_fits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    model: text("model").$type<PotentialModel>().notNull(),
    // The date the data was summarised as of (purchases after it ignored).
    asOf: date("as_of", { mode: "string" }).notNull(),
    // "current": the refit with the behaviour refresh; "validation": a hold-out fit of the validation page.
    purpose: text("purpose").$type<"current" | "validation">().notNull(),
    fittedAt: timestamp("fitted_at", { withTimezone: true }).notNull().defaultNow(),
    converged: boolean("converged").notNull(),
    // r, alpha, a, b or p, q, gamma (days); null when the fit did not converge.
    params: jsonb("params").$type<Record<string, number>>(),
    logLikelihood: doublePrecision("log_likelihood"),
    customers: integer("customers").notNull(),
    iterations: integer("iterations").notNull(),
    seconds: doublePrecision("seconds").notNull(),
    // Why it did not converge: in English (logs, the command line), and as a code with its values that
    // the pages word in the user's language (FitFailureCode in app/services/potential/optimise.server.ts).
    message: text("message"),
    reasonCode: text("reason_code"),
    reasonValues: jsonb("reason_values").$type<Record<string, number>>(),
  },
  (t) => [
    check("potential_fits_model", sql`${t.model} in ('bgnbd', 'gamma_gamma')`),
    check("potential_fits_purpose", sql`${t.purpose} in ('current', 'validation')`),
    check("potential_fits_params", sql`${t.converged} = (${t.params} is not null)`),
  ],
);

/** The fits the per-customer figures come from (one row): the latest converged of each model. */
export const potentialState = pgTable(
  "potential_state",
  {
    id: integer("id").primaryKey().default(1),
    asOf: date("as_of", { mode: "string" }).notNull(),
    bgnbdFitId: bigint("bgnbd_fit_id", { mode: "number" }).references(() => potentialFits.id),
    gammaGammaFitId: bigint("gamma_gamma_fit_id", { mode: "number" }).references(() => potentialFits.id),
    // The horizon of expected_purchases / expected_value, in days.
    horizonDays: integer("horizon_days").notNull().default(90),
    scoredAt: timestamp("scored_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("potential_state_single_row", sql`${t.id} = 1`)],
);

/**
 * The current BG/NBD fit's expected purchase days in the horizon for a customer still active, per
 * distinct (x, T) in days: E[Y(t) | alive, x, T], the part of the conditional expectation that needs the
 * hypergeometric function. The view multiplies it by each customer's p_alive (closed form, in SQL):
 * E[Y(t) | x, t_x, T] = p_alive(x, t_x, T) * E[Y(t) | alive, x, T]. Replaced at every refit.
 */
export const potentialPredictions = pgTable(
  "potential_predictions",
  {
    x: integer("x").notNull(),
    t: integer("t").notNull(),
    expectedIfAlive: doublePrecision("expected_if_alive").notNull(),
  },
  (t) => [primaryKey({ columns: [t.x, t.t] })],
);

/** Each customer's three figures (db/views/customer_potential.sql). Declared here for typed queries. */
export const customerPotential = pgMaterializedView("customer_potential", {
  customerId: bigint("customer_id", { mode: "number" }).notNull(),
  asOf: date("as_of", { mode: "string" }).notNull(),
  pAlive: doublePrecision("p_alive").notNull(),
  expectedPurchases90d: doublePrecision("expected_purchases_90d").notNull(),
  cpmSegment: text("cpm_segment").$type<CpmSegment>(),
  // Null without a converged spend model. A prediction: float8, rounded where shown.
  expectedValue90d: doublePrecision("expected_value_90d"),
}).existing();

/** Each CPM segment's expected 90-day value and mean p_alive (db/views/potential_summary.sql). */
export const potentialSummary = pgMaterializedView("potential_summary", {
  cpmSegment: text("cpm_segment").$type<CpmSegment>(),
  customers: integer("customers").notNull(),
  expectedValue: doublePrecision("expected_value"),
  meanPAlive: doublePrecision("mean_p_alive"),
  expectedPurchases: doublePrecision("expected_purchases"),
}).existing();
