// Customers and their purchases: the behavioural axis (DESIGN §2).
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const customers = pgTable(
  "customers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // The brand's own customer id, as it appears in imported files.
    externalId: text("external_id").notNull(),
    email: text("email"),
    name: text("name"),
    locale: text("locale"),
    marketingConsent: boolean("marketing_consent").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("customers_external_id_key").on(t.externalId),
    index("customers_email_idx").on(sql`lower(${t.email})`),
  ],
);

export const purchases = pgTable(
  "purchases",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    purchasedAt: timestamp("purchased_at", { withTimezone: true }).notNull(),
    // Money is numeric, never float. Negative amounts are refunds.
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    orderId: text("order_id"),
    channel: text("channel"),
    store: text("store"),
    staff: text("staff"),
    referralCode: text("referral_code"),
    // order_id when present, else a stable key from customer, time, amount and occurrence:
    // re-importing the same file inserts nothing.
    dedupeKey: text("dedupe_key").notNull(),
  },
  (t) => [
    uniqueIndex("purchases_dedupe_key").on(t.dedupeKey),
    index("purchases_customer_at_idx").on(t.customerId, t.purchasedAt),
  ],
);
