// Header row → field mapping for the two import kinds, in English and Japanese. Headers are compared
// after normalisation (NFKC, trim, lower case, runs of spaces/hyphens → "_"), so "Customer ID",
// "customer-id", "顧客ＩＤ" and "顧客ID" are all the same header.

export type ImportKind = "customers" | "purchases";

export const customerFields = ["customer_id", "email", "name", "locale", "marketing_consent", "created_at"] as const;
export const purchaseFields = [
  "customer_id",
  "purchased_at",
  "amount",
  "order_id",
  "channel",
  "store",
  "staff",
  "referral_code",
] as const;

export type CustomerField = (typeof customerFields)[number];
export type PurchaseField = (typeof purchaseFields)[number];
export type ImportField = CustomerField | PurchaseField;
export type FieldOf<K extends ImportKind> = K extends "customers" ? CustomerField : PurchaseField;

export const requiredFields = {
  customers: ["customer_id"],
  purchases: ["customer_id", "purchased_at", "amount"],
} as const satisfies { customers: readonly CustomerField[]; purchases: readonly PurchaseField[] };

/** The header names each field answers to (before normalisation; the field's own name is implied). */
const aliases: Record<ImportField, readonly string[]> = {
  customer_id: ["顧客ID", "顧客番号", "会員ID", "会員番号", "お客様番号"],
  email: ["email address", "e-mail", "メールアドレス", "メール", "Eメール", "Eメールアドレス"],
  name: ["customer name", "full name", "氏名", "名前", "顧客名", "お名前"],
  locale: ["language", "言語"],
  marketing_consent: ["メール配信同意", "配信同意", "マーケティング同意", "メルマガ"],
  created_at: ["登録日", "登録日時", "作成日", "入会日"],
  purchased_at: ["date", "purchase date", "購入日", "購入日時", "注文日", "注文日時", "売上日"],
  amount: ["total", "price", "金額", "購入金額", "合計金額", "売上金額", "税込金額"],
  order_id: ["order", "order no", "注文番号", "注文ID", "受注番号", "伝票番号"],
  channel: ["チャネル", "販売チャネル"],
  store: ["店舗", "店舗名"],
  staff: ["担当者", "スタッフ", "販売員"],
  referral_code: ["紹介コード"],
};

const SEPARATORS = /[\s-]+/g;

export function normalizeHeader(header: string): string {
  return header.normalize("NFKC").trim().toLowerCase().replace(SEPARATORS, "_");
}

function lookupFor(fields: readonly ImportField[]): Map<string, ImportField> {
  const map = new Map<string, ImportField>();
  for (const field of fields) {
    for (const name of [field, ...aliases[field]]) map.set(normalizeHeader(name), field);
  }
  return map;
}

const lookups: Record<ImportKind, Map<string, ImportField>> = {
  customers: lookupFor(customerFields),
  purchases: lookupFor(purchaseFields),
};

export const fieldsOf = { customers: customerFields, purchases: purchaseFields } as const;

/** Where each field is in the file; `headers` are the file's own header cells (errors name them). */
export interface HeaderMapping<F extends string> {
  ok: true;
  index: Record<F, number | undefined>;
  headers: string[];
  ignored: string[];
}

export interface HeaderMappingError {
  ok: false;
  /** `column`: for duplicate_column the second header as written in the file; for missing_column the field name. */
  error: { reason: "missing_column" | "duplicate_column"; column: string };
}

export function mapHeaders<K extends ImportKind>(
  kind: K,
  headers: string[],
): HeaderMapping<FieldOf<K>> | HeaderMappingError {
  const lookup = lookups[kind];
  const index = {} as Record<ImportField, number | undefined>;
  for (const field of fieldsOf[kind]) index[field] = undefined;
  const ignored: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const key = normalizeHeader(headers[i]);
    if (key === "") continue; // an empty header cell (trailing delimiter): nothing to map or report
    const field = lookup.get(key);
    if (field === undefined) ignored.push(headers[i]);
    else if (index[field] !== undefined) return { ok: false, error: { reason: "duplicate_column", column: headers[i] } };
    else index[field] = i;
  }
  for (const field of requiredFields[kind]) {
    if (index[field] === undefined) return { ok: false, error: { reason: "missing_column", column: field } };
  }
  return { ok: true, index: index as Record<FieldOf<K>, number | undefined>, headers, ignored };
}
