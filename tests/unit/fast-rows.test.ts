// The shortcut for canonical purchase rows must answer exactly as validatePurchaseRow, row for row.
import { describe, expect, it } from "vitest";
import { mapHeaders, type HeaderMapping, type PurchaseField } from "~/domain/import/columns";
import { fastAmount, fastDateTime, purchaseRowChecker } from "~/domain/import/fast-rows";
import { validatePurchaseRow } from "~/domain/import/rows";
import { parseAmount, parseDateTime } from "~/domain/import/values";

const mapping = (headers: string[]) => {
  const m = mapHeaders("purchases", headers);
  if (!m.ok) throw new Error("bad headers");
  return m as HeaderMapping<PurchaseField>;
};

let seed = 987;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const dates = [
  "2024-01-05", "2024-01-05 13:04:59", "2024-01-05T13:04:59", "2024-01-05T13:04:59Z", "2024-01-05T13:04:59+09:00",
  "2024-01-05 13:04:59-05:30", "2024-02-29", "2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "1899-12-31",
  "2101-01-01", "1900-01-01 00:00:00", "2100-12-31 23:59:59", "2024-01-05 24:00:00", "2024-01-05 23:60:00",
  "2024-01-05 23:59:60", "2024-01-05T13:04:59+15:00", "2024-01-05T13:04:59+14:60", "2024-01-05T13:04:59z",
  "2024-01-05t13:04:59", "2024/01/05", "2024/1/5", "2024-1-5", " 2024-01-05", "2024-01-05 ", "2024-01-05 13:04",
  "2024-01-05 13:04:59.123", "2024-01-05T13:04:59+0900", "2024-01-05T13:04:59+09", "２０２４-01-05", "2024年1月5日",
  "abcd-ef-gh", "2024-01-05 1a:04:59", "", "2024-01-05X13:04:59", "2024-01-05 13-04-59",
];
const amounts = [
  "0", "1", "1234", "-1234", "123456789012", "1234567890123", "-0", "-0.0", "-0.50", "0.5", "0.50", "0.505", "1234.",
  ".5", "01", "00", "-01", "1,234", "¥1,200", "￥1200", "$5", "▲500", "−500", "５００", " 12", "12 ", "1e3", "+5", "--5",
  "12.34", "-12.3", "", "abc", "1234円",
];
const ids = ["C1", "C 1", " C1", "C1 ", "Ｃ１", "顧客1", "", "a".repeat(100), "a".repeat(101), "C\t1", "C\u007f", "O-1/2"];
const texts = ["store", "渋谷店", " 渋谷店", "渋谷店　", "", "  ", "x".repeat(100), "x".repeat(101), "a\nb", "\u00a0x", "x\u2028"];

describe("canonical purchase rows", () => {
  it("fastDateTime and fastAmount agree with the full parsers whenever they answer", () => {
    for (const d of dates) {
      const fast = fastDateTime(d);
      if (fast !== undefined) expect({ d, r: { ok: true, value: fast } }).toEqual({ d, r: parseDateTime(d) });
    }
    for (const a of amounts) {
      const fast = fastAmount(a);
      if (fast !== undefined) expect({ a, r: { ok: true, value: fast } }).toEqual({ a, r: parseAmount(a) });
    }
    expect(fastDateTime("2024-01-05 13:04:59")).toEqual({ local: "2024-01-05 13:04:59", offset: null });
    expect(fastAmount("-1234.50")).toBe("-1234.50");
  });

  it("the row checker returns exactly what validatePurchaseRow returns", () => {
    const layouts = [
      ["customer_id", "purchased_at", "amount", "order_id", "channel", "store"],
      ["顧客ID", "購入日", "金額", "注文番号", "店舗", "担当者", "紹介コード", "メモ"],
      ["amount", "customer_id", "purchased_at"],
      ["customer_id", "purchased_at", "amount", "referral_code", "staff", ""],
    ];
    let fastAnswers = 0;
    for (const headers of layouts) {
      const m = mapping(headers);
      const check = purchaseRowChecker(m);
      for (let n = 0; n < 20_000; n++) {
        const width = headers.length + (rand() < 0.05 ? 1 : 0) - (rand() < 0.05 ? 1 : 0);
        const values: string[] = [];
        for (let i = 0; i < width; i++) {
          const field = i < headers.length ? (m.index as Record<string, number | undefined>) : {};
          const name = Object.keys(field).find((k) => field[k] === i);
          values.push(
            name === "purchased_at" ? pick(dates)
            : name === "amount" ? pick(amounts)
            : name === "customer_id" || name === "order_id" || name === "referral_code" ? pick(ids)
            : pick(texts),
          );
        }
        const record = { row: n + 2, values };
        const expected = validatePurchaseRow(record, m);
        expect({ values, r: check(record) }).toEqual({ values, r: expected });
        if (expected.ok) fastAnswers++;
      }
    }
    expect(fastAnswers).toBeGreaterThan(1000);
  });
});
