// Money, percentages and dates through Intl, in the brand's currency and time zone and the reader's language.
import type { Locale } from "~/i18n";

export interface FormatContext {
  locale: Locale;
  currency: string;
  timeZone: string;
}

const tag = (locale: Locale) => (locale === "ja" ? "ja-JP" : "en-US");

export function formatMoney(amount: number | string, ctx: FormatContext) {
  return new Intl.NumberFormat(tag(ctx.locale), { style: "currency", currency: ctx.currency }).format(
    Number(amount),
  );
}

export function formatNumber(value: number, ctx: Pick<FormatContext, "locale">, digits = 0) {
  return new Intl.NumberFormat(tag(ctx.locale), { maximumFractionDigits: digits }).format(value);
}

/**
 * The one percent format: a share (0.253) as "25.3%", always one decimal, so that figures side by side
 * line up and 54% never sits beside 70.3%.
 */
export function formatPercent(share: number, ctx: Pick<FormatContext, "locale">) {
  return new Intl.NumberFormat(tag(ctx.locale), { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
}

export function formatDate(value: Date | string, ctx: FormatContext) {
  return new Intl.DateTimeFormat(tag(ctx.locale), { dateStyle: "medium", timeZone: ctx.timeZone }).format(
    new Date(value),
  );
}

export function formatDateTime(value: Date | string, ctx: FormatContext) {
  return new Intl.DateTimeFormat(tag(ctx.locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: ctx.timeZone,
  }).format(new Date(value));
}

export function formatMonth(value: Date | string, ctx: FormatContext) {
  return new Intl.DateTimeFormat(tag(ctx.locale), { year: "numeric", month: "short", timeZone: ctx.timeZone }).format(
    new Date(value),
  );
}
