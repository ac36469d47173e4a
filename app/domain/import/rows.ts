// One CSV record → a typed customer or purchase, or every problem in the row. Errors name the column by
// the header as written in the file and carry the raw cell, so the report matches what the user sees.
import type { CsvRecord } from "../../services/import/csv-source.server";
import type { CustomerField, HeaderMapping, PurchaseField } from "./columns";
import {
  parseAmount,
  parseBoolean,
  parseDateTime,
  parseEmail,
  parseIdentifier,
  parseLocale,
  parseText,
  type ParsedDateTime,
  type ReasonCode,
} from "./values";

export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: ReasonCode;
}

export interface CustomerInput {
  externalId: string;
  email: string | null;
  name: string | null;
  locale: "ja" | "en" | null;
  marketingConsent: boolean | null;
  createdAt: ParsedDateTime | null;
}

export interface PurchaseInput {
  customerExternalId: string;
  purchasedAt: ParsedDateTime;
  amount: string;
  orderId: string | null;
  channel: string | null;
  store: string | null;
  staff: string | null;
  referralCode: string | null;
}

export type RowResult<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

export const maxLength = {
  customerId: 100,
  name: 200,
  code: 100, // order_id, channel, store, staff, referral_code
} as const;

/** Collects a row's errors; `errors` stays null until the first problem (no array for a valid row). */
class RowCheck {
  errors: RowError[] | null = null;
  constructor(
    readonly record: CsvRecord,
    readonly headers: string[],
  ) {}

  cell(i: number | undefined): string {
    if (i === undefined) return "";
    const v = this.record.values[i];
    return v === undefined ? "" : v; // a short row: missing cells are empty
  }

  add(i: number | undefined, reason: ReasonCode): void {
    const error: RowError = {
      row: this.record.row,
      column: i === undefined ? "" : this.headers[i],
      value: this.cell(i),
      reason,
    };
    if (this.errors === null) this.errors = [error];
    else this.errors.push(error);
  }
}

/** More cells than the header: the row is misaligned, so its cells are not checked one by one. */
function columnCountError<T>(record: CsvRecord, headers: string[]): RowResult<T> | null {
  if (record.values.length <= headers.length) return null;
  return {
    ok: false,
    errors: [{ row: record.row, column: "", value: String(record.values.length), reason: "column_count" }],
  };
}

function requiredId(check: RowCheck, i: number | undefined): string | null {
  const raw = check.cell(i);
  const r = parseIdentifier(raw, maxLength.customerId);
  if (!r.ok) {
    check.add(i, r.reason);
    return null;
  }
  if (r.value === null) {
    check.add(i, "required");
    return null;
  }
  return r.value;
}

function optional<T>(check: RowCheck, i: number | undefined, parse: (raw: string) => { ok: true; value: T } | { ok: false; reason: ReasonCode }): T | null {
  if (i === undefined) return null;
  const r = parse(check.cell(i));
  if (r.ok) return r.value;
  check.add(i, r.reason);
  return null;
}

function optionalText(check: RowCheck, i: number | undefined, max: number): string | null {
  if (i === undefined) return null;
  const r = parseText(check.cell(i), max);
  if (r.ok) return r.value;
  check.add(i, r.reason);
  return null;
}

function optionalId(check: RowCheck, i: number | undefined, max: number): string | null {
  if (i === undefined) return null;
  const r = parseIdentifier(check.cell(i), max);
  if (r.ok) return r.value;
  check.add(i, r.reason);
  return null;
}

function optionalDate(check: RowCheck, i: number | undefined): ParsedDateTime | null {
  if (i === undefined) return null;
  const raw = check.cell(i);
  if (raw.trim() === "") return null;
  const r = parseDateTime(raw);
  if (r.ok) return r.value;
  check.add(i, r.reason);
  return null;
}

export function validateCustomerRow(
  record: CsvRecord,
  columns: HeaderMapping<CustomerField>,
): RowResult<CustomerInput> {
  const countError = columnCountError<CustomerInput>(record, columns.headers);
  if (countError !== null) return countError;
  const { index } = columns;
  const check = new RowCheck(record, columns.headers);
  const externalId = requiredId(check, index.customer_id);
  const email = optional(check, index.email, parseEmail);
  const name = optionalText(check, index.name, maxLength.name);
  const locale = optional(check, index.locale, parseLocale);
  const marketingConsent = optional(check, index.marketing_consent, parseBoolean);
  const createdAt = optionalDate(check, index.created_at);
  if (check.errors !== null) return { ok: false, errors: check.errors };
  return {
    ok: true,
    value: { externalId: externalId!, email, name, locale, marketingConsent, createdAt },
  };
}

export function validatePurchaseRow(
  record: CsvRecord,
  columns: HeaderMapping<PurchaseField>,
): RowResult<PurchaseInput> {
  const countError = columnCountError<PurchaseInput>(record, columns.headers);
  if (countError !== null) return countError;
  const { index } = columns;
  const check = new RowCheck(record, columns.headers);
  const customerExternalId = requiredId(check, index.customer_id);

  let purchasedAt: ParsedDateTime | null = null;
  const date = parseDateTime(check.cell(index.purchased_at));
  if (date.ok) purchasedAt = date.value;
  else check.add(index.purchased_at, date.reason);

  let amount: string | null = null;
  const money = parseAmount(check.cell(index.amount));
  if (money.ok) amount = money.value;
  else check.add(index.amount, money.reason);

  const orderId = optionalId(check, index.order_id, maxLength.code);
  const channel = optionalText(check, index.channel, maxLength.code);
  const store = optionalText(check, index.store, maxLength.code);
  const staff = optionalText(check, index.staff, maxLength.code);
  const referralCode = optionalId(check, index.referral_code, maxLength.code);
  if (check.errors !== null) return { ok: false, errors: check.errors };
  return {
    ok: true,
    value: {
      customerExternalId: customerExternalId!,
      purchasedAt: purchasedAt!,
      amount: amount!,
      orderId,
      channel,
      store,
      staff,
      referralCode,
    },
  };
}
