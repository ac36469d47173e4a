// The dashboard's pre-computed loyalty figures (issue 16 item 4): one row with the four quadrant counts and
// both candidate lists' sizes, which depend on the brand's loyalty settings and so cannot live in a
// materialized view. app/models/dashboard.server.ts recomputes the row only when the survey statistics
// (survey_stats_state.refreshed_at) or the settings (brand_settings.updated_at) are newer than what it was
// computed from; otherwise the dashboard reads it as it is.
import { sql } from "drizzle-orm";
import { check, date, integer, jsonb, numeric, pgMaterializedView, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { CandidateList, Quadrant } from "../../app/domain/loyalty";

export interface LoyaltySummaryCounts {
  /** Customers with a loyalty score, per quadrant (getLoyaltyMatrix). */
  quadrants: Record<Quadrant, number>;
  scored: number;
  /** Customers with metrics but no loyalty score ("not yet asked"). */
  unscored: number;
  /** Each list's candidates (candidateCounts: rankCandidates' total without filters). */
  candidates: Record<CandidateList, number>;
}

export const loyaltySummary = pgTable(
  "loyalty_summary",
  {
    id: integer("id").primaryKey().default(1),
    counts: jsonb("counts").notNull().$type<LoyaltySummaryCounts>(),
    // What the counts were computed from: survey_stats_state.refreshed_at and brand_settings.updated_at.
    statsRefreshedAt: timestamp("stats_refreshed_at", { withTimezone: true }),
    settingsUpdatedAt: timestamp("settings_updated_at", { withTimezone: true }),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("loyalty_summary_single_row", sql`${t.id} = 1`)],
);

/** Revenue per month in the brand's time zone, refreshed with the behaviour metrics (db/views/monthly_revenue.sql). */
export const monthlyRevenue = pgMaterializedView("monthly_revenue", {
  timeZone: text("time_zone").notNull(),
  month: date("month", { mode: "string" }).notNull(),
  revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull(),
  purchases: integer("purchases").notNull(),
  lastPurchaseAt: timestamp("last_purchase_at", { withTimezone: true, mode: "string" }).notNull(),
}).existing();
