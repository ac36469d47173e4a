// Both axes joined (DESIGN §4, issue 16): the per-customer view the loyalty matrix and the candidate
// lists read, and the staff's marks on candidates (shortlisted, or dismissed with a note).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  numeric,
  pgMaterializedView,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import type { CpmSegment } from "../../app/domain/cpm";
import type { CandidateList, Interest } from "../../app/domain/loyalty";
import type { NpsCategory } from "../../app/domain/survey/types";
import { customers } from "./customers";
import { staffUsers } from "./staff";

/**
 * One row per customer who has answered a survey: their latest figures by the "latest" rules
 * (app/domain/survey/latest.ts), their latest interest answers, their open text, and their behaviour
 * metrics. Defined in db/views/customer_loyalty.sql; refreshed with the survey statistics.
 */
export const customerLoyalty = pgMaterializedView("customer_loyalty", {
  customerId: bigint("customer_id", { mode: "number" }).notNull(),
  psychScore: numeric("psych_score", { precision: 5, scale: 1, mode: "number" }),
  npsScore: smallint("nps_score"),
  npsCategory: text("nps_category").$type<NpsCategory>(),
  ambassadorInterest: text("ambassador_interest").$type<Interest>(),
  cocreationInterest: text("cocreation_interest").$type<Interest>(),
  textChars: integer("text_chars").notNull(),
  lastAnsweredAt: timestamp("last_answered_at", { withTimezone: true, mode: "string" }).notNull(),
  cpmSegment: text("cpm_segment").$type<CpmSegment>(),
  purchaseCount: integer("purchase_count").notNull(),
  totalAmount: numeric("total_amount", { precision: 14, scale: 2 }).notNull(),
  tenureDays: integer("tenure_days"),
  lapseDays: integer("lapse_days"),
  rfmR: smallint("rfm_r"),
  rfmF: smallint("rfm_f"),
  rfmM: smallint("rfm_m"),
  behaviourScore: doublePrecision("behaviour_score"),
  reachable: boolean("reachable").notNull(),
  computedAt: timestamp("computed_at", { withTimezone: true, mode: "string" }).notNull(),
}).existing();

/** The loyalty matrix's counts per segment ('none'), behaviour score (-1: none) and whole score (db/views/loyalty_grid.sql). */
export const loyaltyGrid = pgMaterializedView("loyalty_grid", {
  cpmSegment: text("cpm_segment").$type<CpmSegment | "none">().notNull(),
  behaviourScore: doublePrecision("behaviour_score").notNull(),
  psychFloor: integer("psych_floor").notNull(),
  customers: integer("customers").notNull(),
}).existing();

/** Staff's decisions on a candidate list: shortlisted, or dismissed (with a note) until restored. */
export const candidateMarks = pgTable(
  "candidate_marks",
  {
    list: text("list").notNull().$type<CandidateList>(),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    mark: text("mark").notNull().$type<"shortlisted" | "dismissed">(),
    note: text("note"),
    staffUserId: integer("staff_user_id").references(() => staffUsers.id, { onDelete: "set null" }),
    markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One mark per customer per list: marking again replaces it, a double click changes nothing.
    primaryKey({ columns: [t.list, t.customerId] }),
    check("candidate_marks_list", sql`${t.list} in ('ambassador', 'cocreation')`),
    check("candidate_marks_mark", sql`${t.mark} in ('shortlisted', 'dismissed')`),
    index("candidate_marks_mark_idx").on(t.list, t.mark),
  ],
);
