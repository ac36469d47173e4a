// The purchase row check with a shortcut for cells already in canonical form — an ASCII id without
// surrounding spaces, "2024-01-05 13:04:59", "1234" or "-1234.50", text without surrounding spaces —
// whose checked value is the cell itself (or a fixed rewrite of it). Any other row goes to
// validatePurchaseRow, which stays the one definition of the rules and of every error. The shortcut
// only ever answers with the value validatePurchaseRow would return (tests/unit/fast-rows.test.ts
// compares the two on generated cells).
import type { HeaderMapping, PurchaseField } from "./columns";
import type { CsvRecord } from "../../services/import/csv-source.server";
import { maxLength, validatePurchaseRow, type PurchaseInput, type RowResult } from "./rows";
import type { ParsedDateTime } from "./values";

const WHITESPACE = /\s/; // the characters String.prototype.trim removes, by definition

/** Not changed by trim(): neither end is whitespace. */
function untrimmed(s: string): boolean {
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(s.length - 1);
  return (a > 0x20 && a < 0x7f ? true : !WHITESPACE.test(s[0])) && (b > 0x20 && b < 0x7f ? true : !WHITESPACE.test(s[s.length - 1]));
}

/** An identifier that NFKC and trim leave as it is: printable ASCII, no space at either end. Else undefined. */
export function fastIdentifier(s: string, max: number): string | null | undefined {
  const n = s.length;
  if (n === 0) return null;
  if (n > max) return undefined;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return undefined;
  }
  if (s.charCodeAt(0) === 0x20 || s.charCodeAt(n - 1) === 0x20) return undefined;
  return s;
}

/** Free text that trim leaves as it is and that is short enough. Else undefined. */
export function fastText(s: string, max: number): string | null | undefined {
  if (s.length === 0) return null;
  if (s.length > max || !untrimmed(s)) return undefined;
  return s;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

/**
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS", the last two with "Z" or "±HH:MM", years
 * 1900–2100 and a real calendar day and time. Else undefined.
 */
export function fastDateTime(s: string): ParsedDateTime | undefined {
  const n = s.length;
  if (n !== 10 && n !== 19 && n !== 20 && n !== 25) return undefined;
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return undefined;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const mo = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1) return undefined;
  if (d > (mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS_IN_MONTH[mo])) return undefined;
  if (n === 10) return { local: s + " 00:00:00", offset: null };
  const sep = s.charCodeAt(10);
  if ((sep !== 0x20 && sep !== 0x54) || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return undefined;
  const h = digit(s, 11) * 10 + digit(s, 12);
  const mi = digit(s, 14) * 10 + digit(s, 15);
  const sec = digit(s, 17) * 10 + digit(s, 18);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const local = sep === 0x20 ? s.slice(0, 19) : s.slice(0, 10) + " " + s.slice(11, 19);
  if (n === 19) return { local, offset: null };
  if (n === 20) return s.charCodeAt(19) === 0x5a ? { local, offset: "Z" } : undefined; // "Z"
  const sign = s.charCodeAt(19);
  if ((sign !== 0x2b && sign !== 0x2d) || s.charCodeAt(22) !== 0x3a) return undefined;
  const oh = digit(s, 20) * 10 + digit(s, 21);
  const om = digit(s, 23) * 10 + digit(s, 24);
  if (oh < 0 || oh > 14 || om < 0 || om > 59) return undefined;
  return { local, offset: s.slice(19) };
}

/** "0", "1234", "-1234", with ".d" or ".dd"; no leading zero, at most 12 digits, not a negative zero. Else undefined. */
export function fastAmount(s: string): string | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let i = s.charCodeAt(0) === 0x2d ? 1 : 0;
  const start = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const digits = i - start;
  if (digits === 0 || digits > 12) return undefined;
  if (digits > 1 && s.charCodeAt(start) === 48) return undefined; // leading zero
  if (start === 1 && digits === 1 && s.charCodeAt(1) === 48) return undefined; // "-0", "-0.5": let the rules decide
  if (i === n) return s;
  if (s.charCodeAt(i) !== 0x2e) return undefined;
  const decimals = n - i - 1;
  if (decimals < 1 || decimals > 2) return undefined;
  for (let k = i + 1; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return undefined;
  }
  return s;
}

/** validatePurchaseRow, with the shortcut for canonical rows. */
export function purchaseRowChecker(mapping: HeaderMapping<PurchaseField>): (record: CsvRecord) => RowResult<PurchaseInput> {
  const { index, headers } = mapping;
  const customerAt = index.customer_id!;
  const dateAt = index.purchased_at!;
  const amountAt = index.amount!;
  const orderAt = index.order_id;
  const channelAt = index.channel;
  const storeAt = index.store;
  const staffAt = index.staff;
  const referralAt = index.referral_code;
  const width = headers.length;
  const code = maxLength.code;
  const cell = (values: string[], i: number | undefined) => (i === undefined ? "" : (values[i] ?? ""));

  return (record) => {
    const v = record.values;
    if (v.length <= width) {
      const customerExternalId = fastIdentifier(cell(v, customerAt), maxLength.customerId);
      const purchasedAt = customerExternalId ? fastDateTime(cell(v, dateAt)) : undefined;
      const amount = purchasedAt !== undefined ? fastAmount(cell(v, amountAt)) : undefined;
      if (amount !== undefined) {
        const orderId = orderAt === undefined ? null : fastIdentifier(cell(v, orderAt), code);
        const channel = channelAt === undefined ? null : fastText(cell(v, channelAt), code);
        const store = storeAt === undefined ? null : fastText(cell(v, storeAt), code);
        const staff = staffAt === undefined ? null : fastText(cell(v, staffAt), code);
        const referralCode = referralAt === undefined ? null : fastIdentifier(cell(v, referralAt), code);
        if (orderId !== undefined && channel !== undefined && store !== undefined && staff !== undefined && referralCode !== undefined) {
          return {
            ok: true,
            value: { customerExternalId: customerExternalId!, purchasedAt: purchasedAt!, amount, orderId, channel, store, staff, referralCode },
          };
        }
      }
    }
    return validatePurchaseRow(record, mapping);
  };
}
