// Import problems in words, one sentence per reason code, each saying what is expected. The app's i18n
// loads these under `import.reasons`; both languages have exactly the same keys (checked by the type).
import type { RowError } from "./rows";
import type { ReasonCode } from "./values";

type ReasonMessages = Record<ReasonCode, string>;

const en = {
  required: "This value is required.",
  date_invalid: "Not a date. Use 2024-01-05, 2024/1/5 or an ISO date-time.",
  date_out_of_range: "The date must be between the years 1900 and 2100.",
  amount_invalid:
    "Not an amount. Use digits, optionally with ¥ or $, thousands separators (1,234), up to 2 decimals and a leading - or ▲ for refunds.",
  amount_too_large: "The amount is too large: it must be below 1,000,000,000,000.",
  boolean_invalid: "Not a yes/no value. Use yes/no, true/false, 1/0, はい/いいえ or ○/×.",
  locale_invalid: "Unknown language. Use ja or en (日本語 or 英語 also work).",
  email_invalid: "Not an e-mail address. Use the form name@example.com, without spaces.",
  too_long: "Too long: IDs, codes, stores and staff up to 100 characters, names up to 200.",
  column_count: "This row has more cells than the header row. Check for an unquoted comma in a value.",
  missing_column: "A required column is missing from the header row.",
  duplicate_column: "Two columns in the header row mean the same thing. Keep only one of them.",
  malformed_csv:
    "The file cannot be read as CSV, for example because a quote is not closed. Save it again from your spreadsheet as “CSV UTF-8” or “CSV”.",
} satisfies ReasonMessages;

const ja = {
  required: "必須項目です。値を入力してください。",
  date_invalid: "日付として読めません。2024-01-05、2024/1/5 または ISO 形式で入力してください。",
  date_out_of_range: "日付は1900年から2100年の間で入力してください。",
  amount_invalid:
    "金額として読めません。数字で入力してください（¥・$、桁区切りのカンマ（1,234）、小数2桁まで、返金はマイナスまたは▲を先頭に付けられます）。",
  amount_too_large: "金額が大きすぎます。1兆未満で入力してください。",
  boolean_invalid: "はい・いいえとして読めません。はい/いいえ、1/0、○/×、yes/no のいずれかで入力してください。",
  locale_invalid: "言語が不明です。ja または en（日本語・英語でも可）で入力してください。",
  email_invalid: "メールアドレスとして読めません。name@example.com の形式で、空白を含めずに入力してください。",
  too_long: "長すぎます。ID・コード・店舗・担当者は100文字以内、氏名は200文字以内で入力してください。",
  column_count: "この行はヘッダー行よりセルが多くなっています。値の中に引用符で囲まれていないカンマがないか確認してください。",
  missing_column: "必須の列がヘッダー行にありません。",
  duplicate_column: "ヘッダー行に同じ意味の列が2つあります。どちらか一方だけにしてください。",
  malformed_csv:
    "CSV として読み込めません（引用符が閉じられていないなど）。表計算ソフトから「CSV UTF-8」または「CSV」形式で保存し直してください。",
} satisfies ReasonMessages;

export const importMessages: { en: ReasonMessages; ja: ReasonMessages } = { en, ja };

const MAX_SHOWN_VALUE = 60;

function shown(value: string): string {
  return value.length > MAX_SHOWN_VALUE ? value.slice(0, MAX_SHOWN_VALUE) + "…" : value;
}

/**
 * One line for the error report, e.g. `Row 12, column "購入日" ("2024/02/30"): Not a date. …` /
 * `12行目「購入日」（「2024/02/30」）: 日付として読めません。…`. The column part is left out when
 * `column` is "" (a whole-row or whole-file problem), the value part when the cell was empty. Missing
 * and duplicate columns name the column and no row (pass row 0 or 1).
 */
export function describeError(e: RowError, locale: "ja" | "en"): string {
  const message = importMessages[locale][e.reason];
  if (e.reason === "missing_column" || e.reason === "duplicate_column") {
    return locale === "ja" ? `列「${e.column}」: ${message}` : `Column "${e.column}": ${message}`;
  }
  if (e.reason === "column_count") {
    return locale === "ja"
      ? `${e.row}行目（セル${e.value}個）: ${message}`
      : `Row ${e.row} (${e.value} cells): ${message}`;
  }
  const where = e.row > 0 ? (locale === "ja" ? `${e.row}行目` : `Row ${e.row}`) : "";
  const parts: string[] = [];
  if (locale === "ja") {
    let head = where;
    if (e.column !== "") head += `「${e.column}」`;
    if (e.value.trim() !== "") head += `（「${shown(e.value)}」）`;
    return head === "" ? message : `${head}: ${message}`;
  }
  if (where !== "") parts.push(where);
  if (e.column !== "") parts.push(`column "${e.column}"`);
  let head = parts.join(", ");
  if (e.value.trim() !== "") head += `${head === "" ? "" : " "}("${shown(e.value)}")`;
  return head === "" ? message : `${head}: ${message}`;
}
