// The survey statistics: materialized views defined in db/views/survey_stats.sql, survey_alpha_stats.sql,
// survey_answer_stats.sql and survey_month_stats.sql, refreshed by refreshSurveyStats
// (app/models/survey-results.server.ts). Declared here for typed queries; their columns mirror the files.
// `segment` is a CPM segment, 'none' (a customer without purchases) or '' (the open link's anonymous
// answers): never null.
import { bigint, doublePrecision, integer, pgMaterializedView, text } from "drizzle-orm/pg-core";
import type { NpsCategory } from "../../app/domain/survey/types";

/** Responses, NPS counts and distribution, and construct sums per survey and segment (the results page). */
export const surveyStats = pgMaterializedView("survey_stats", {
  surveyId: bigint("survey_id", { mode: "number" }).notNull(),
  segment: text("segment").notNull(),
  responses: integer("responses").notNull(),
  promoters: integer("promoters").notNull(),
  passives: integer("passives").notNull(),
  detractors: integer("detractors").notNull(),
  // Responses per NPS answer 0–10.
  npsDist: integer("nps_dist").array().notNull(),
  psychSum: doublePrecision("psych_sum"),
  psychN: integer("psych_n").notNull(),
  attachmentSum: doublePrecision("attachment_sum"),
  attachmentN: integer("attachment_n").notNull(),
  preferenceSum: doublePrecision("preference_sum"),
  preferenceN: integer("preference_n").notNull(),
  continuitySum: doublePrecision("continuity_sum"),
  continuityN: integer("continuity_n").notNull(),
  trustSum: doublePrecision("trust_sum"),
  trustN: integer("trust_n").notNull(),
  recommendSum: doublePrecision("recommend_sum"),
  recommendN: integer("recommend_n").notNull(),
  shareOfWalletSum: doublePrecision("share_of_wallet_sum"),
  shareOfWalletN: integer("share_of_wallet_n").notNull(),
  ambassadorInterestSum: doublePrecision("ambassador_interest_sum"),
  ambassadorInterestN: integer("ambassador_interest_n").notNull(),
  cocreationInterestSum: doublePrecision("cocreation_interest_sum"),
  cocreationInterestN: integer("cocreation_interest_n").notNull(),
}).existing();

/** Per loyalty-item slot: the count, sum and sum of squares Cronbach's alpha needs. */
export const surveyAlphaStats = pgMaterializedView("survey_alpha_stats", {
  surveyId: bigint("survey_id", { mode: "number" }).notNull(),
  segment: text("segment").notNull(),
  pos: integer("pos").notNull(),
  n: integer("n").notNull(),
  s: doublePrecision("s").notNull(),
  ss: doublePrecision("ss").notNull(),
}).existing();

/** Every question's answers counted per value, segment and NPS category ('' when none). */
export const surveyAnswerStats = pgMaterializedView("survey_answer_stats", {
  surveyId: bigint("survey_id", { mode: "number" }).notNull(),
  segment: text("segment").notNull(),
  npsCategory: text("nps_category").$type<NpsCategory | "">().notNull(),
  key: text("key").notNull(),
  // '' for a multiple-choice question's respondents and text answers; null for a JSON null answer.
  value: text("value"),
  n: integer("n").notNull(),
}).existing();

/**
 * NPS counts by month ('YYYY-MM' in the brand's time zone) across surveys, per segment, and the loyalty
 * score's sum and count over the same responses (the dashboard's trend).
 */
export const surveyMonthStats = pgMaterializedView("survey_month_stats", {
  month: text("month").notNull(),
  segment: text("segment").notNull(),
  responses: integer("responses").notNull(),
  promoters: integer("promoters").notNull(),
  detractors: integer("detractors").notNull(),
  // Null when no response of the group has a loyalty score.
  psychSum: doublePrecision("psych_sum"),
  psychN: integer("psych_n").notNull(),
}).existing();
