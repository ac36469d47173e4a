// Brand settings: one row, with defaults until an admin saves them.
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { brandSettings } from "../../db/schema";
import { MIN_SCORED_CONSTRUCTS } from "../domain/survey/scoring";
import { defaultConstructWeights, scoredConstructs, type ConstructWeights } from "../domain/survey/types";

export type BrandSettings = Pick<
  typeof brandSettings.$inferSelect,
  "brandName" | "currency" | "timeZone" | "primaryColor"
>;

export const defaultBrandSettings: BrandSettings = {
  brandName: "Loyalty Portal",
  currency: "JPY",
  timeZone: "Asia/Tokyo",
  primaryColor: "#2f5bea",
};

export async function getBrandSettings(db: Db = getDb()): Promise<BrandSettings> {
  const [row] = await db
    .select({
      brandName: brandSettings.brandName,
      currency: brandSettings.currency,
      timeZone: brandSettings.timeZone,
      primaryColor: brandSettings.primaryColor,
    })
    .from(brandSettings)
    .where(eq(brandSettings.id, 1));
  return row ?? defaultBrandSettings;
}

export async function saveBrandSettings(values: BrandSettings, db: Db = getDb()) {
  await db
    .insert(brandSettings)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: brandSettings.id, set: { ...values, updatedAt: sql`now()` } });
}

export async function getConstructWeights(db: Db = getDb()): Promise<ConstructWeights> {
  const [row] = await db.select({ weights: brandSettings.constructWeights }).from(brandSettings).where(eq(brandSettings.id, 1));
  return row?.weights ?? defaultConstructWeights;
}

/**
 * New weights, and every stored response's loyalty score recomputed from its construct scores in one
 * set-based statement, in the same transaction (scores and weights never disagree). A construct with
 * weight 0 is ignored and the others re-normalised, as the domain's scoreResponse does.
 */
export async function saveConstructWeights(weights: ConstructWeights, db: Db = getDb()): Promise<number> {
  return db.transaction(async (tx) => {
    await tx
      .insert(brandSettings)
      .values({ id: 1, constructWeights: weights })
      .onConflictDoUpdate({ target: brandSettings.id, set: { constructWeights: weights, updatedAt: sql`now()` } });
    const used = scoredConstructs.filter((c) => weights[c] > 0);
    const numerator = sql.join(used.map((c) => sql`${weights[c]} * coalesce((construct_scores->>${c})::numeric, 0)`), sql` + `);
    const denominator = sql.join(used.map((c) => sql`case when construct_scores ? ${c} then ${weights[c]}::numeric else 0 end`), sql` + `);
    // As scoreResponse: a loyalty score needs at least two of the five scored constructs answered.
    const answered = sql.join(scoredConstructs.map((c) => sql`(construct_scores ? ${c})::int`), sql` + `);
    // The survey results' pre-aggregated statistics hold the old scores: recompute them on next view.
    await tx.execute(sql`update survey_stats_state set refreshed_at = null`);
    const rows = await tx.execute(
      sql`update survey_responses set psych_score = case when (${denominator}) > 0 and (${answered}) >= ${MIN_SCORED_CONSTRUCTS} then round((${numerator}) / (${denominator}), 1) end`,
    );
    return (rows as unknown as { count?: number; affectedRows?: number }).count ?? (rows as unknown as { affectedRows?: number }).affectedRows ?? 0;
  });
}
