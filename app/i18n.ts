// i18next configuration shared by the server render and the browser. Resources are bundled:
// two small languages, no request waterfalls.
import type { InitOptions } from "i18next";
import en from "./locales/en";
import ja from "./locales/ja";

export const supportedLocales = ["ja", "en"] as const;
export type Locale = (typeof supportedLocales)[number];
export const fallbackLocale: Locale = "en";

export const resources = { en: { common: en }, ja: { common: ja } };

export function i18nOptions(lng: Locale): InitOptions {
  return {
    lng,
    fallbackLng: fallbackLocale,
    supportedLngs: [...supportedLocales],
    defaultNS: "common",
    ns: ["common"],
    resources,
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    // i18next 25 prints a sponsor notice on every start; it would land in CLI output that scripts read.
    showSupportNotice: false,
  };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (supportedLocales as readonly string[]).includes(value);
}
