// The ambassador programme's settings (issue 17): its name and terms in each language, how long a
// certificate is valid, how long an invitation stays open, and the points rules. Stored as one JSON
// value in brand_settings.programme_settings; missing fields take the defaults (an older save).
import { checkPointsRules, defaultPointsRules, type PointsRules } from "./programme";

export interface ProgrammeSettings {
  name: { ja: string; en: string };
  terms: { ja: string; en: string };
  /** A certificate's validity from its issue; 0: no expiry. */
  certificateMonths: number;
  /** The invitation form's default window. */
  invitationDays: number;
  points: PointsRules;
}

export const defaultProgrammeSettings: ProgrammeSettings = {
  name: { ja: "ブランドアンバサダー", en: "Brand Ambassadors" },
  terms: {
    ja: [
      "1. 本プログラムへの参加は任意で、いつでも会員ページから退会できます。",
      "2. アンバサダー認定証は有効期限まで有効です。退会または規約違反の場合は失効します。",
      "3. 紹介コードでのご購入や、イベントへのご参加などの活動に応じてポイントを付与します。",
      "4. ご登録いただいた表示名は、認定証と確認ページに表示されます。",
      "5. 個人情報は当社のプライバシーポリシーに従って取り扱います。",
    ].join("\n"),
    en: [
      "1. Taking part is voluntary; you can leave at any time from your member page.",
      "2. Your ambassador certificate is valid until its expiry date. It is revoked if you leave or break these terms.",
      "3. You earn points for activity such as purchases made with your referral code and events you attend.",
      "4. The display name you give appears on your certificate and its verification page.",
      "5. We handle your personal data under our privacy policy.",
    ].join("\n"),
  },
  certificateMonths: 24,
  invitationDays: 14,
  points: defaultPointsRules,
};

export function withProgrammeDefaults(stored: Record<string, unknown>): ProgrammeSettings {
  const s = stored as Partial<ProgrammeSettings>;
  return {
    name: { ...defaultProgrammeSettings.name, ...s.name },
    terms: { ...defaultProgrammeSettings.terms, ...s.terms },
    certificateMonths: s.certificateMonths ?? defaultProgrammeSettings.certificateMonths,
    invitationDays: s.invitationDays ?? defaultProgrammeSettings.invitationDays,
    points: { ...defaultProgrammeSettings.points, ...s.points },
  };
}

/** Problems with settings, as {field, problem} message keys (the settings form places them). */
export function checkProgrammeSettings(s: ProgrammeSettings): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  for (const locale of ["ja", "en"] as const) {
    if (s.name[locale].trim() === "" || s.name[locale].length > 80) problems.push({ field: `name.${locale}`, problem: "name_length" });
    if (s.terms[locale].trim() === "" || s.terms[locale].length > 10_000) problems.push({ field: `terms.${locale}`, problem: "terms_length" });
  }
  if (!Number.isInteger(s.certificateMonths) || s.certificateMonths < 0 || s.certificateMonths > 120) problems.push({ field: "certificateMonths", problem: "months_range" });
  if (!Number.isInteger(s.invitationDays) || s.invitationDays < 1 || s.invitationDays > 90) problems.push({ field: "invitationDays", problem: "days_range" });
  return [...problems, ...checkPointsRules(s.points).map((p) => ({ ...p, field: `points.${p.field}` }))];
}
