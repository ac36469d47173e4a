// Brand-wide settings: one row (id = 1), read on every request for formatting.
import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const brandSettings = pgTable(
  "brand_settings",
  {
    id: integer("id").primaryKey().default(1),
    brandName: text("brand_name").notNull().default("Loyalty Portal"),
    currency: text("currency").notNull().default("JPY"),
    timeZone: text("time_zone").notNull().default("Asia/Tokyo"),
    primaryColor: text("primary_color").notNull().default("#2f5bea"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("brand_settings_single_row", sql`${t.id} = 1`)],
);
