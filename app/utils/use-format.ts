// Formatting bound to the reader's language and the brand's currency and time zone.
import { useRootData } from "~/root";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, type FormatContext } from "./format";

export function useFormat() {
  const root = useRootData();
  const ctx: FormatContext = {
    locale: root?.locale ?? "ja",
    currency: root?.brand.currency ?? "JPY",
    timeZone: root?.brand.timeZone ?? "Asia/Tokyo",
  };
  return {
    money: (v: number | string) => formatMoney(v, ctx),
    number: (v: number, digits?: number) => formatNumber(v, ctx, digits),
    date: (v: Date | string) => formatDate(v, ctx),
    dateTime: (v: Date | string) => formatDateTime(v, ctx),
    /** A share as a percentage, one decimal: 0.253 → "25.3%", 0.54 → "54.0%". */
    percent: (share: number) => formatPercent(share, ctx),
    compactMoney: (v: number) =>
      new Intl.NumberFormat(ctx.locale === "ja" ? "ja-JP" : "en-US", {
        style: "currency",
        currency: ctx.currency,
        notation: "compact",
      }).format(v),
  };
}
