// English strings of Settings › Ambassador programme. Keys mirror programme-settings.ja.ts.
export const programmeSettingsEn = {
  title: "Ambassador programme",
  intro: "The programme's name and terms as invitees read them, how long certificates and invitations last, and the points each activity earns.",
  name_ja: "Name (Japanese)",
  name_en: "Name (English)",
  terms_ja: "Terms (Japanese)",
  terms_en: "Terms (English)",
  certificateMonths: "Certificate valid for (months)",
  certificateMonthsHint: "0: no expiry.",
  invitationDays: "Invitations valid for (days, default)",
  points: "Points per activity",
  save: "Save the programme settings",
};
