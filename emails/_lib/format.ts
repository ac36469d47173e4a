// Dates and times for email bodies: shown in the brand's time zone, in the reader's language, through Intl.
import type { EmailLocale } from "./types";

interface FormatContext {
  locale: EmailLocale;
  timeZone: string;
}

const localeTag: Record<EmailLocale, string> = { ja: "ja-JP", en: "en-US" };

/** How the pieces join: 「2025年6月14日(土) 14:00～16:00 JST」 / "Sat, Jun 14, 2025, 2:00 PM – 4:00 PM GMT+9". */
const joiners: Record<EmailLocale, { dateTime: string; range: string }> = {
  ja: { dateTime: " ", range: "～" },
  en: { dateTime: ", ", range: " – " },
};

const styles = {
  day: (locale) => ({ year: "numeric", month: locale === "ja" ? "long" : "short", day: "numeric", weekday: "short" }),
  time: () => ({ hour: "numeric", minute: "2-digit" }),
  timeWithZone: () => ({ hour: "numeric", minute: "2-digit", timeZoneName: "short" }),
  calendarDate: () => ({ dateStyle: "long" }),
} satisfies Record<string, (locale: EmailLocale) => Intl.DateTimeFormatOptions>;

// Building an Intl.DateTimeFormat costs far more than using one, and the worker renders thousands of emails
// a second in a handful of zones, so each formatter is built once per style, locale and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(style: keyof typeof styles, { locale, timeZone }: FormatContext) {
  const key = `${style}|${locale}|${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(localeTag[locale], { ...styles[style](locale), timeZone });
    formatters.set(key, format);
  }
  return format;
}

/** A moment with its zone name, e.g. 「2025年6月30日(月) 23:59 JST」 / "Mon, Jun 30, 2025, 11:59 PM GMT+9". */
export function formatDateTime(iso: string, ctx: FormatContext) {
  const moment = new Date(iso);
  return formatter("day", ctx).format(moment) + joiners[ctx.locale].dateTime + formatter("timeWithZone", ctx).format(moment);
}

/** An event's start and end; the day is written once when both fall on the same day in the brand's zone. */
export function formatDateTimeRange(startIso: string, endIso: string, ctx: FormatContext) {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const { dateTime, range } = joiners[ctx.locale];
  const day = formatter("day", ctx);
  if (day.format(start) !== day.format(end)) {
    return formatDateTime(startIso, ctx) + range + formatDateTime(endIso, ctx);
  }
  return day.format(start) + dateTime + formatter("time", ctx).format(start) + range + formatter("timeWithZone", ctx).format(end);
}

/** A `YYYY-MM-DD` day as written in the locale (「2024年4月1日」 / "April 1, 2024"); no zone shift. */
export function formatCalendarDate(isoDate: string, locale: EmailLocale) {
  return formatter("calendarDate", { locale, timeZone: "UTC" }).format(new Date(`${isoDate}T00:00:00Z`));
}
