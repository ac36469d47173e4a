// Behaviour metrics per customer: a materialized view defined in db/migrations/0002_customer_metrics.sql,
// redefined in 0012_metrics_in_time_order.sql, and refreshed by one statement (app/models/metrics.server.ts). Declared here for typed queries.
import { bigint, date, integer, numeric, pgMaterializedView, smallint, text, timestamp } from "drizzle-orm/pg-core";
import type { CpmSegment } from "../../app/domain/cpm";


export const customerMetrics = pgMaterializedView("customer_metrics", {
  customerId: bigint("customer_id", { mode: "number" }).notNull(),
  asOf: date("as_of", { mode: "string" }).notNull(),
  purchaseCount: integer("purchase_count").notNull(),
  totalAmount: numeric("total_amount", { precision: 14, scale: 2 }).notNull(),
  // Timestamps as PostgreSQL's text, as the pages and exports format them (mode "string").
  firstPurchaseAt: timestamp("first_purchase_at", { withTimezone: true, mode: "string" }),
  lastPurchaseAt: timestamp("last_purchase_at", { withTimezone: true, mode: "string" }),
  secondPurchaseAt: timestamp("second_purchase_at", { withTimezone: true, mode: "string" }),
  tenureDays: integer("tenure_days"),
  lapseDays: integer("lapse_days"),
  recencyDays: integer("recency_days"),
  rfmR: smallint("rfm_r"),
  rfmF: smallint("rfm_f"),
  rfmM: smallint("rfm_m"),
  // Customer potential's inputs (issue 19): distinct purchase days and the repeat purchase days' total.
  purchaseDays: integer("purchase_days").notNull(),
  repeatAmount: numeric("repeat_amount", { precision: 14, scale: 2 }),
  cpmSegment: text("cpm_segment").$type<CpmSegment>(),
}).existing();


// The pages' summaries of customer_metrics (db/views/segment_summary.sql, cohort_summary.sql), refreshed
// right after it. Declared here for typed queries; their columns mirror the files.

/** Customers and spend per CPM segment (the matrix page). */
export const segmentSummary = pgMaterializedView("segment_summary", {
  // Null: the customers without a purchase yet (their total is null).
  cpmSegment: text("cpm_segment").$type<CpmSegment>(),
  customers: integer("customers").notNull(),
  totalAmount: numeric("total_amount"),
}).existing();

/** First-time buyers per month and how many came back before lapsing (the cohort page). */
export const cohortSummary = pgMaterializedView("cohort_summary", {
  month: date("month", { mode: "string" }).notNull(),
  customers: integer("customers").notNull(),
  converted: integer("converted").notNull(),
}).existing();
