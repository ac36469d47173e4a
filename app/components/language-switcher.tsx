import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

const labels = { ja: "日本語", en: "English" } as const;

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const current = i18n.language === "en" ? "en" : "ja";
  const other = current === "ja" ? "en" : "ja";
  return (
    <Form method="post" action="/locale" className="language-switcher">
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <input type="hidden" name="locale" value={other} />
      <button type="submit" className="button button-ghost" aria-label={`${t("nav.language")}: ${labels[other]}`} data-testid="language-switch">
        <span aria-hidden>🌐</span> <span className="language-label">{labels[other]}</span>
      </button>
    </Form>
  );
}
