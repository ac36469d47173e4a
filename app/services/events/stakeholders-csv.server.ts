// Stakeholders from a CSV (issue 18): UTF-8 (with or without a BOM) or Shift_JIS (cp932, as Excel in
// Japan saves it), parsed by csv-parse; headers in English or Japanese. The rows are checked together by
// checkStakeholders in the service: one bad row keeps none.
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import type { StakeholderInput } from "~/domain/events";

const HEADERS: Record<string, keyof StakeholderInput> = {
  name: "name",
  氏名: "name",
  名前: "name",
  email: "email",
  "e-mail": "email",
  メール: "email",
  メールアドレス: "email",
  type: "kind",
  kind: "kind",
  種別: "kind",
  organisation: "organisation",
  organization: "organisation",
  company: "organisation",
  所属: "organisation",
  会社: "organisation",
  role: "role",
  title: "role",
  役職: "role",
  language: "locale",
  locale: "locale",
  言語: "locale",
};

export const MAX_STAKEHOLDER_ROWS = 5_000;

export type StakeholderFile = { ok: true; rows: StakeholderInput[] } | { ok: false; error: "noRows" | "missingColumns" | "tooMany" } | { ok: false; error: "badFile"; reason: string };

export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return iconv.decode(Buffer.from(bytes), "cp932");
  }
}

export function readStakeholderCsv(bytes: Uint8Array): StakeholderFile {
  let records: string[][];
  try {
    records = parse(decodeCsv(bytes), { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    return { ok: false, error: "badFile", reason: error instanceof Error ? error.message : String(error) };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, error: "noRows" };
  const columns = header.map((h) => HEADERS[h.trim().toLowerCase()] ?? HEADERS[h.trim()] ?? null);
  if (!columns.includes("name") || !columns.includes("email") || !columns.includes("kind")) return { ok: false, error: "missingColumns" };
  if (body.length === 0) return { ok: false, error: "noRows" };
  if (body.length > MAX_STAKEHOLDER_ROWS) return { ok: false, error: "tooMany" };
  return {
    ok: true,
    rows: body.map((record) => {
      const row: StakeholderInput = { name: "", email: "", kind: "" };
      columns.forEach((field, i) => {
        if (field) row[field] = record[i] ?? "";
      });
      return row;
    }),
  };
}
