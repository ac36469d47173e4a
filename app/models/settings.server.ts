// Brand settings: one row, with defaults until an admin saves them.
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { brandSettings } from "../../db/schema";

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
