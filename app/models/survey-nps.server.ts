// NPS in SQL is a count, never a formula: each response stores the category npsCategory
// (app/domain/survey/scoring.ts) gave its 0–10 answer when it was scored, SQL counts those, and npsOf /
// npsWithInterval (app/domain/survey/stats.ts) turn the counts into the figures shown. The statistics
// views (db/views/survey_stats.sql, survey_month_stats.sql) count the same way;
// tests/db/nps-parity.test.ts checks every one of them against the domain on both databases.
import { sql, type SQL } from "drizzle-orm";

/** `promoters, passives, detractors` (int) over the rows of the survey_responses alias `response`. */
export function npsCountColumns(response = "r"): SQL {
  const alias = sql.identifier(response);
  return sql.join(
    (["promoter", "passive", "detractor"] as const).map(
      (c) => sql`count(*) filter (where ${alias}.nps_category = ${sql.raw(`'${c}'`)})::int as ${sql.identifier(`${c}s`)}`,
    ),
    sql`, `,
  );
}
