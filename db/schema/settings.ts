// Brand-wide settings: one row (id = 1), read on every request for formatting.
import { sql } from "drizzle-orm";
import { check, date, integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { defaultConstructWeights, type ConstructWeights } from "../../app/domain/survey/types";
import { defaultLoyaltySettings, type LoyaltySettings } from "../../app/domain/loyalty";

export const brandSettings = pgTable(
  "brand_settings",
  {
    id: integer("id").primaryKey().default(1),
    brandName: text("brand_name").notNull().default("Loyalty Portal"),
    currency: text("currency").notNull().default("JPY"),
    timeZone: text("time_zone").notNull().default("Asia/Tokyo"),
    primaryColor: text("primary_color").notNull().default("#2f5bea"),
    // CPM borders (DESIGN §2): the brand's own decision; the settings page suggests values.
    tenureBorderDays: integer("tenure_border_days").notNull().default(365),
    spendBorder: numeric("spend_border", { precision: 14, scale: 2 }).notNull().default("30000"),
    lapseBorderDays: integer("lapse_border_days").notNull().default(180),
    // How much each construct counts in the psychological loyalty score (DESIGN §3; default equal).
    constructWeights: jsonb("construct_weights").notNull().$type<ConstructWeights>().default(defaultConstructWeights),
    // The loyalty matrix's borders and the candidate lists' weights and thresholds (DESIGN §4, issue 16).
    loyaltySettings: jsonb("loyalty_settings").notNull().$type<LoyaltySettings>().default(defaultLoyaltySettings),
    // The ambassador programme's name and terms per language, certificate validity, invitation window
    // and points rules (issue 17); null until saved: the model fills in the defaults.
    programmeSettings: jsonb("programme_settings").$type<Record<string, unknown>>(),
    // The analysis date chosen in Settings: the behaviour metrics are computed as of it, and the daily
    // refresh keeps it (a brand looking back, or one that loaded historical data). Null: today.
    analysisDate: date("analysis_date", { mode: "string" }),
    // The date the behaviour metrics were last computed as of (null: never refreshed).
    metricsAsOf: date("metrics_as_of", { mode: "string" }),
    metricsRefreshedAt: timestamp("metrics_refreshed_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("brand_settings_single_row", sql`${t.id} = 1`),
    check("brand_settings_borders", sql`${t.tenureBorderDays} > 0 and ${t.lapseBorderDays} > 0 and ${t.spendBorder} > 0`),
  ],
);
