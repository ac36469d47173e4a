// NPS in SQL is a count, never a formula: each response stores the category npsCategory
// (app/domain/survey/scoring.ts) gave its 0–10 answer when it was scored, SQL counts those, and npsOf /
// npsWithInterval (app/domain/survey/stats.ts) turn the counts into the figures shown. The statistics
// views (db/views/survey_stats.sql, survey_month_stats.sql) count the same way;
// tests/db/nps-parity.test.ts checks every one of them against the domain on both databases.
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { qualified } from "../../db/columns";
import type { NpsCategory } from "../domain/survey/types";

const count = (npsCategory: AnyPgColumn, category: NpsCategory): SQL<number> =>
  sql<number>`count(*) filter (where ${qualified(npsCategory)} = ${sql.raw(`'${category}'`)})::int`;

/**
 * The fields `promoters, passives, detractors` (int) for a select over survey_responses rows, given
 * their nps_category column (of the table or an alias of it).
 */
export function npsCountColumns(npsCategory: AnyPgColumn) {
  return { promoters: count(npsCategory, "promoter"), passives: count(npsCategory, "passive"), detractors: count(npsCategory, "detractor") };
}
