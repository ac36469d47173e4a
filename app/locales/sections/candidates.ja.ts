// 候補者リスト(/staff/candidates)の日本語文言。キーは candidates.en.ts と同じ。
import type { candidatesEn } from "./candidates.en";

export const candidatesJa: typeof candidatesEn = {
  title: "候補者",
};
