// ロイヤルティ・マトリクス(/staff/loyalty)と設定の日本語文言。キーは loyalty.en.ts と同じ。
import type { loyaltyEn } from "./loyalty.en";

export const loyaltyJa: typeof loyaltyEn = {
  title: "ロイヤルティ・マトリクス",
};
