// Customers and their purchases: the behavioural axis (DESIGN §2).
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  integer,
  jsonb,
  index,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
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
    // Set by the unsubscribe link; sticky: a later import saying "consent: yes" does not undo it.
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // When whether we may write to the customer (consent, unsubscribe, email) last changed, set by the
    // trigger customers_contact_changed (migration 0024) on every path that changes them. The candidate
    // lists read reachability from customer_loyalty (refreshed with the survey statistics) and correct
    // it live for the few customers changed since, found through the partial index below.
    contactChangedAt: timestamp("contact_changed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("customers_external_id_key").on(t.externalId),
    index("customers_contact_changed_idx").on(t.contactChangedAt).where(sql`${t.contactChangedAt} is not null`),
    index("customers_email_idx").on(sql`lower(${t.email}) text_pattern_ops`),
    index("customers_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
  ],
);

export const purchases = pgTable(
  "purchases",
  {
    // Not a foreign key on purpose: every write joins `customers` (the import merge, the demo seed), and
    // the per-row foreign-key check was 30 % of a large import. Customers are never deleted.
    customerId: bigint("customer_id", { mode: "number" }).notNull(),
    purchasedAt: timestamp("purchased_at", { withTimezone: true }).notNull(),
    // Money is numeric, never float. Negative amounts are refunds.
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    orderId: text("order_id"),
    channel: text("channel"),
    store: text("store"),
    staff: text("staff"),
    referralCode: text("referral_code"),
    // md5 of "o:<order_id>" when the order id is known, else of customer, time, amount and the
    // row's occurrence among identical rows in its file: re-importing the same file inserts nothing.
    dedupeKey: uuid("dedupe_key").notNull(),
  },
  (t) => [
    // The key: unique per customer, customer first. An import inserts in customer order, so this index
    // and the one below both grow in order instead of taking random inserts (4x faster at 10 M
    // purchases). No surrogate id: nothing refers to a purchase, and a third index cost every import.
    primaryKey({ name: "purchases_pkey", columns: [t.customerId, t.dedupeKey] }),
    index("purchases_customer_at_idx").on(t.customerId, t.purchasedAt),
    // Referral credit and each member's referrals (issue 17): the code as members see it (upper case,
    // no hyphens); partial, so purchases without a code cost the index nothing.
    index("purchases_referral_code_idx").on(sql`upper(replace(${t.referralCode}, '-', ''))`).where(sql`${t.referralCode} is not null`),
  ],
);

/** One CSV import, from upload to report. Rows are checked first; nothing is written on errors unless
 * the staff member chose "valid rows only". */
export const importJobs = pgTable(
  "import_jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: ["customers", "purchases"] }).notNull(),
    fileName: text("file_name").notNull(),
    mode: text("mode", { enum: ["all_or_nothing", "valid_only"] }).notNull(),
    status: text("status", { enum: ["running", "done", "rejected", "failed"] }).notNull().default("running"),
    encoding: text("encoding"),
    bytesTotal: bigint("bytes_total", { mode: "number" }),
    bytesRead: bigint("bytes_read", { mode: "number" }).notNull().default(0),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsValid: integer("rows_valid").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    customersCreated: integer("customers_created").notNull().default(0),
    // A file-level problem (missing column, malformed CSV, database failure, "interrupted": the lease ran
    // out), as { reason, column?, row?, message? }.
    fileError: jsonb("file_error"),
    staffUserId: bigint("staff_user_id", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    // While running: renewed by the importing process's heartbeat; once past, the job is marked failed.
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
  },
  (t) => [index("import_jobs_running_lease_idx").on(t.leaseUntil).where(sql`${t.status} = 'running'`)],
);

/** Every invalid row of an import (the page shows the first 100; all are downloadable as CSV). */
export const importErrors = pgTable(
  "import_errors",
  {
    jobId: bigint("job_id", { mode: "number" })
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    row: integer("row").notNull(),
    column: text("column").notNull(),
    value: text("value").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [index("import_errors_job_row_idx").on(t.jobId, t.row)],
);
