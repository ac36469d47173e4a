// Cell parsers for the CSV import. Pure and on the hot path (millions of cells per file): every regex
// and lookup table is built once at module load, NFKC runs only on strings that contain non-ASCII, and
// nothing here touches Date, floats or time-zone data: dates come back as normalised text that
// PostgreSQL parses, amounts as normalised decimal text.
import { isEmailAddress } from "../email-address";

export type ReasonCode =
  | "required"
  | "date_invalid"
  | "date_out_of_range"
  | "amount_invalid"
  | "amount_too_large"
  | "boolean_invalid"
  | "locale_invalid"
  | "email_invalid"
  | "too_long"
  | "column_count"
  | "missing_column"
  | "duplicate_column"
  | "malformed_csv";

export const reasonCodes = [
  "required",
  "date_invalid",
  "date_out_of_range",
  "amount_invalid",
  "amount_too_large",
  "boolean_invalid",
  "locale_invalid",
  "email_invalid",
  "too_long",
  "column_count",
  "missing_column",
  "duplicate_column",
  "malformed_csv",
] as const satisfies readonly ReasonCode[];

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: ReasonCode };

const NON_ASCII = /[^\x00-\x7F]/;

/** Trims, and applies NFKC (full-width digits and letters, ￥, full-width space…) when the string has non-ASCII. */
export function normalizeCell(raw: string): string {
  return (NON_ASCII.test(raw) ? raw.normalize("NFKC") : raw).trim();
}

function fail(reason: ReasonCode): { ok: false; reason: ReasonCode } {
  return { ok: false, reason };
}
// Shared, frozen failure results: no allocation on the error path either.
const REQUIRED = Object.freeze(fail("required"));
const DATE_INVALID = Object.freeze(fail("date_invalid"));
const DATE_OUT_OF_RANGE = Object.freeze(fail("date_out_of_range"));
const AMOUNT_INVALID = Object.freeze(fail("amount_invalid"));
const AMOUNT_TOO_LARGE = Object.freeze(fail("amount_too_large"));
const BOOLEAN_INVALID = Object.freeze(fail("boolean_invalid"));
const LOCALE_INVALID = Object.freeze(fail("locale_invalid"));
const EMAIL_INVALID = Object.freeze(fail("email_invalid"));
const TOO_LONG = Object.freeze(fail("too_long"));
const NULL_VALUE = Object.freeze({ ok: true as const, value: null });

// ---------------------------------------------------------------------------------------------------
// Dates

/**
 * A date-time as written in the file, validated but not converted: `local` is
 * "YYYY-MM-DD HH:MM:SS" (plus ".f…" up to microseconds when the file had a fraction) and `offset` is
 * "Z", "±HH:MM", or null when the file gave none (the database then applies the brand's time zone).
 */
export interface ParsedDateTime {
  local: string;
  offset: string | null;
}

// 2024-01-05 · 2024/1/5 · 2024/01/05 13:04[:59] · 2024-01-05T13:04:59[.123456][Z|+09:00|+0900|+09]
// The date separators must match (backreference); a zone needs a time.
const DATE_RE =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
// 2024年1月5日 [13:04[:59]] (Japanese Excel's display format, reached only through the NFKC path).
const DATE_JA_RE = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function parseDateTime(raw: string): Parsed<ParsedDateTime> {
  const s = normalizeCell(raw);
  if (s === "") return REQUIRED;
  let m = DATE_RE.exec(s);
  let y: number, mo: number, d: number, h: number, mi: number, sec: number;
  let fraction: string | undefined;
  let zone: string | undefined;
  if (m !== null) {
    y = +m[1];
    mo = +m[3];
    d = +m[4];
    h = m[5] === undefined ? 0 : +m[5];
    mi = m[6] === undefined ? 0 : +m[6];
    sec = m[7] === undefined ? 0 : +m[7];
    fraction = m[8];
    zone = m[9];
  } else {
    m = DATE_JA_RE.exec(s);
    if (m === null) return DATE_INVALID;
    y = +m[1];
    mo = +m[2];
    d = +m[3];
    h = m[4] === undefined ? 0 : +m[4];
    mi = m[5] === undefined ? 0 : +m[5];
    sec = m[6] === undefined ? 0 : +m[6];
  }
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return DATE_INVALID;
  if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo])) return DATE_INVALID;
  let offset: string | null = null;
  if (zone !== undefined) {
    if (zone === "Z" || zone === "z") offset = "Z";
    else {
      const oh = +zone.slice(1, 3);
      const om = zone.length === 3 ? 0 : +zone.slice(zone.length - 2);
      if (oh > 14 || om > 59) return DATE_INVALID;
      offset = zone[0] + pad2(oh) + ":" + pad2(om);
    }
  }
  if (y < 1900 || y > 2100) return DATE_OUT_OF_RANGE;
  let local = y + "-" + pad2(mo) + "-" + pad2(d) + " " + pad2(h) + ":" + pad2(mi) + ":" + pad2(sec);
  // PostgreSQL keeps microseconds: digits beyond the sixth are dropped (truncated, not rounded, so a
  // value never moves into the next second).
  if (fraction !== undefined) local += "." + (fraction.length > 6 ? fraction.slice(0, 6) : fraction);
  return { ok: true, value: { local, offset } };
}

/** Text for a `timestamptz` parameter: with the file's offset, or local (the session's time zone applies). */
export function toTimestamptzText(v: ParsedDateTime): string {
  return v.offset === null ? v.local : v.local + v.offset;
}

// ---------------------------------------------------------------------------------------------------
// Amounts

// [sign] [currency] [sign] digits[,ddd…][.d[d]] [円]: at most one sign. After NFKC ￥ is ¥; a backslash
// counts as a yen sign too, since that is what the ¥ key types in Shift_JIS files.
// Groups: either plain digits or 1–3 digits then groups of exactly 3. Decimals: captured whatever their
// length so that "12.345" is refused rather than unmatched (same result, clearer intent).
const AMOUNT_RE = /^([-−▲△])?\s*([¥$\\])?\s*([-−▲△])?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(?:円)?$/;
const MAX_INTEGER_DIGITS = 12; // |value| < 1e12
const ZEROS_RE = /^0+$/;
// Non-ASCII that NFKC leaves as it is: "¥1,000" and "▲500" skip the (comparatively slow) normalisation.
const AMOUNT_NEEDS_NFKC = /[^\x00-\x7F¥円▲△−]/;

/** A money amount as normalised decimal text: "1234", "-1000.50". No floats involved. */
export function parseAmount(raw: string): Parsed<string> {
  const s = (AMOUNT_NEEDS_NFKC.test(raw) ? raw.normalize("NFKC") : raw).trim();
  if (s === "") return REQUIRED;
  const m = AMOUNT_RE.exec(s);
  if (m === null) return AMOUNT_INVALID;
  if (m[1] !== undefined && m[3] !== undefined) return AMOUNT_INVALID;
  const decimals = m[5];
  if (decimals !== undefined && decimals.length > 2) return AMOUNT_INVALID;
  let digits = m[4];
  if (digits.length > 3 && digits.indexOf(",") !== -1) digits = digits.split(",").join("");
  // Strip leading zeros, keeping one.
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++;
  if (start > 0) digits = digits.slice(start);
  if (digits.length > MAX_INTEGER_DIGITS) return AMOUNT_TOO_LARGE;
  // "-0" and "▲0.00" are plain zero.
  const negative =
    (m[1] ?? m[3]) !== undefined && !(digits === "0" && (decimals === undefined || ZEROS_RE.test(decimals)));
  let out = negative ? "-" + digits : digits;
  if (decimals !== undefined) out += "." + decimals;
  return { ok: true, value: out };
}

// ---------------------------------------------------------------------------------------------------
// Booleans, locales, e-mail, text

const BOOLEANS = new Map<string, boolean>();
for (const t of ["true", "1", "yes", "y", "on", "はい", "同意", "同意する", "有", "あり", "○", "〇", "◯"]) BOOLEANS.set(t, true);
for (const f of ["false", "0", "no", "n", "off", "いいえ", "拒否", "無", "なし", "×", "✕"]) BOOLEANS.set(f, false);

/** marketing_consent: yes/no words in English and Japanese, 1/0, ○/×. Empty → null (unknown). */
export function parseBoolean(raw: string): Parsed<boolean | null> {
  const s = normalizeCell(raw);
  if (s === "") return NULL_VALUE;
  const v = BOOLEANS.get(s.toLowerCase());
  return v === undefined ? BOOLEAN_INVALID : { ok: true, value: v };
}

const LOCALES = new Map<string, "ja" | "en">([
  ["ja", "ja"],
  ["日本語", "ja"],
  ["japanese", "ja"],
  ["en", "en"],
  ["英語", "en"],
  ["english", "en"],
]);
// ja-JP, ja_JP, en-US, en-GB, en_AU…: a region subtag is accepted for either language.
const LOCALE_TAG_RE = /^(ja|en)[-_][a-z]{2,3}$/;

export function parseLocale(raw: string): Parsed<"ja" | "en" | null> {
  const s = normalizeCell(raw);
  if (s === "") return NULL_VALUE;
  const lower = s.toLowerCase();
  const v = LOCALES.get(lower);
  if (v !== undefined) return { ok: true, value: v };
  const m = LOCALE_TAG_RE.exec(lower);
  return m === null ? LOCALE_INVALID : { ok: true, value: m[1] as "ja" | "en" };
}

/**
 * Trimmed (NFKC when non-ASCII, so an IME's full-width ＠ or letters still work), then zod's email rule
 * (isEmailAddress). Empty → null.
 */
export function parseEmail(raw: string): Parsed<string | null> {
  const s = normalizeCell(raw);
  if (s === "") return NULL_VALUE;
  if (!isEmailAddress(s)) return EMAIL_INVALID;
  return { ok: true, value: s };
}

/** Length in characters (code points), as PostgreSQL counts varchar(n). */
function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Trimmed text; empty → null; more than `max` characters → too_long. */
export function parseText(raw: string, max: number): Parsed<string | null> {
  const s = raw.trim();
  if (s === "") return NULL_VALUE;
  if (s.length > max && charLength(s) > max) return TOO_LONG;
  return { ok: true, value: s };
}

/** An identifier (customer ID, order number, referral code): NFKC + trim; empty → null. */
export function parseIdentifier(raw: string, max: number): Parsed<string | null> {
  const s = normalizeCell(raw);
  if (s === "") return NULL_VALUE;
  if (s.length > max && charLength(s) > max) return TOO_LONG;
  return { ok: true, value: s };
}
