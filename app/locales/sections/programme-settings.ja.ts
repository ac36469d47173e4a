// 設定 › アンバサダープログラムの文言。キーは programme-settings.en.ts と同じ。
export const programmeSettingsJa = {
  title: "アンバサダープログラム",
  intro: "招待された方が読むプログラム名と規約、認定証と招待の有効期間、活動ごとのポイント。",
  name_ja: "名称（日本語）",
  name_en: "名称（英語）",
  terms_ja: "規約（日本語）",
  terms_en: "規約（英語）",
  certificateMonths: "認定証の有効期間（月）",
  certificateMonthsHint: "0：期限なし",
  invitationDays: "招待の有効日数（既定値）",
  points: "活動ごとのポイント",
  save: "プログラム設定を保存する",
};
