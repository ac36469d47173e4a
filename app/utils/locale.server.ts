// Which language a request gets: the staff member's choice, then the language cookie, then the browser.
import { createInstance, type i18n } from "i18next";
import Negotiator from "negotiator";
import { i18nOptions, isLocale, supportedLocales, type Locale } from "~/i18n";
import { localeCookie } from "./session.server";

export const defaultLocale: Locale = "ja";

export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const best = new Negotiator({ headers: { "accept-language": header } }).language([...supportedLocales]);
  return isLocale(best) ? best : undefined;
}

export async function getLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  if (isLocale(userLocale)) return userLocale;
  return localeFromHeaders(request.headers.get("Cookie"), request.headers.get("Accept-Language"));
}

/** The language cookie, then the browser's languages (for handlers that see raw headers, not a Request). */
export async function localeFromHeaders(cookie: string | null | undefined, acceptLanguage: string | null | undefined): Promise<Locale> {
  const fromCookie = cookie ? await localeCookie.parse(cookie) : null;
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(acceptLanguage ?? null) ?? defaultLocale;
}

/** A server-side translator for messages built outside React (action errors, emails). */
export async function getFixedT(locale: Locale) {
  const instance: i18n = createInstance();
  await instance.init(i18nOptions(locale));
  return instance.getFixedT(locale);
}
