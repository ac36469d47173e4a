import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions, resources } from "~/i18n";
import { formatDate, formatMoney } from "~/utils/format";
import { localeFromAcceptLanguage } from "~/utils/locale.server";

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "object" && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe("translations", () => {
  it("has the same keys in Japanese and English, none empty", () => {
    const ja = keys(resources.ja.common);
    expect(ja.sort()).toEqual(keys(resources.en.common).sort());
    for (const [lng, tree] of Object.entries(resources)) {
      for (const key of keys(tree.common)) {
        const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree.common);
        expect(String(value).trim(), `${lng}:${key}`).not.toBe("");
      }
    }
  });

  it("translates through i18next in both languages", async () => {
    const ja = i18next.createInstance();
    await ja.init(i18nOptions("ja"));
    const en = i18next.createInstance();
    await en.init(i18nOptions("en"));
    expect(ja.t("nav.dashboard")).not.toBe(en.t("nav.dashboard"));
    expect(en.t("nav.dashboard")).toBe("Dashboard");
    expect(ja.t("nav.dashboard")).toBe("ダッシュボード");
  });
});

describe("Accept-Language", () => {
  it.each([
    ["ja-JP,ja;q=0.9,en;q=0.8", "ja"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR,en;q=0.5", "en"],
    ["fr-FR", undefined],
    [null, undefined],
  ])("%s → %s", (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });
});

describe("Intl formatting", () => {
  it("formats yen and dates per locale and time zone", () => {
    const ja = { locale: "ja" as const, currency: "JPY", timeZone: "Asia/Tokyo" };
    const en = { locale: "en" as const, currency: "JPY", timeZone: "Asia/Tokyo" };
    expect(formatMoney(1234567, ja)).toBe("￥1,234,567");
    expect(formatMoney("1234567.00", en)).toBe("¥1,234,567");
    // 2024-01-04 20:00 UTC is already 5 January in Tokyo.
    expect(formatDate("2024-01-04T20:00:00Z", ja)).toBe("2024/01/05");
    expect(formatDate("2024-01-04T20:00:00Z", en)).toMatch(/Jan 5, 2024/);
  });
});
