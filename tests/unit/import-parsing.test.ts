import iconv from "iconv-lite";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isEmailAddress } from "~/domain/email-address";
import { mapHeaders, type HeaderMapping, type PurchaseField } from "~/domain/import/columns";
import { ImportFileError, readCsv, type CsvRecord, type CsvSource } from "~/services/import/csv-source.server";
import { describeError, importMessages } from "~/domain/import/messages";
import { validateCustomerRow, validatePurchaseRow } from "~/domain/import/rows";
import {
  parseAmount,
  parseBoolean,
  parseDateTime,
  parseEmail,
  parseLocale,
  parseText,
  reasonCodes,
  toTimestamptzText,
} from "~/domain/import/values";

/** The bytes as an async iterable of `size`-byte chunks. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(bytes: Uint8Array, chunkSize = 64 * 1024): Promise<{ source: CsvSource; rows: CsvRecord[] }> {
  const source = await readCsv(chunked(bytes, chunkSize));
  const rows: CsvRecord[] = [];
  for await (const r of source.records) rows.push(r);
  return { source, rows };
}

const utf8 = (text: string) => Buffer.from(text, "utf8");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function fileError(bytes: Uint8Array): Promise<ImportFileError> {
  try {
    await readAll(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportFileError);
    return e as ImportFileError;
  }
  throw new Error("expected an ImportFileError");
}

describe("readCsv: encodings", () => {
  it("reads UTF-8 with a BOM and strips it from the first header", async () => {
    const { source, rows } = await readAll(Buffer.concat([BOM, utf8("顧客ID,氏名\r\nC1,山田太郎\r\n")]));
    expect(source.encoding).toBe("utf-8");
    expect(source.delimiter).toBe(",");
    expect(source.headers).toEqual(["顧客ID", "氏名"]);
    expect(rows).toEqual([{ row: 2, values: ["C1", "山田太郎"] }]);
  });

  it("reads UTF-8 without a BOM", async () => {
    const { source, rows } = await readAll(utf8("customer_id,name\nC1,Jürgen 山田\nC2,佐藤\n"));
    expect(source.encoding).toBe("utf-8");
    expect(source.headers).toEqual(["customer_id", "name"]);
    expect(rows.map((r) => r.values[1])).toEqual(["Jürgen 山田", "佐藤"]);
  });

  it("detects and decodes CP932 (Shift_JIS from Excel)", async () => {
    // In CP932 the yen key types 0x5C, which decodes as a backslash (parseAmount takes it as ¥).
    const text = "顧客ID,購入日,金額,注文番号,氏名\r\nＡ001,2024/1/5,\"\\1,000\",注文-１,髙橋①\r\nA002,2024/1/6,500,,渡辺　結衣\r\n";
    const { source, rows } = await readAll(iconv.encode(text, "cp932"));
    expect(source.encoding).toBe("cp932");
    expect(source.headers).toEqual(["顧客ID", "購入日", "金額", "注文番号", "氏名"]);
    expect(rows).toEqual([
      { row: 2, values: ["Ａ001", "2024/1/5", "\\1,000", "注文-１", "髙橋①"] },
      { row: 3, values: ["A002", "2024/1/6", "500", "", "渡辺　結衣"] },
    ]);
    expect(parseAmount(rows[0].values[2])).toEqual({ ok: true, value: "1000" });
  });

  it("keeps multi-byte characters split across 1-byte chunks (UTF-8 and CP932)", async () => {
    const text = "顧客ID,氏名\n1,山田太郎\n2,\"渡辺, 結衣\"\n";
    for (const bytes of [utf8(text), iconv.encode(text, "cp932")]) {
      const { rows } = await readAll(bytes, 1);
      expect(rows.map((r) => r.values)).toEqual([
        ["1", "山田太郎"],
        ["2", "渡辺, 結衣"],
      ]);
    }
  });

  it("keeps characters split between chunks after the sniffed sample (odd chunk sizes, > 64 KiB)", async () => {
    let text = "顧客ID,氏名\n";
    for (let i = 0; i < 8000; i++) text += `${i},山田太郎ｱｲｳ\n`;
    for (const [bytes, encoding] of [
      [utf8(text), "utf-8"],
      [iconv.encode(text, "cp932"), "cp932"],
    ] as const) {
      expect(bytes.length).toBeGreaterThan(100 * 1024);
      const { source, rows } = await readAll(bytes, 7);
      expect(source.encoding).toBe(encoding);
      expect(rows).toHaveLength(8000);
      expect(rows.every((r, i) => r.row === i + 2 && r.values[1] === "山田太郎ｱｲｳ")).toBe(true);
    }
  });

  it("does not take a character cut at the end of the 64 KiB sample for invalid UTF-8", async () => {
    // 1 ASCII byte then 3-byte characters: a 65,536-byte first chunk ends inside a character.
    const bytes = utf8("n\n" + "あ".repeat(30_000) + "\n");
    const { source, rows } = await readAll(bytes, 65_536);
    expect(source.encoding).toBe("utf-8");
    expect(rows[0].values[0]).toBe("あ".repeat(30_000));
  });

  it("reads a Node stream", async () => {
    const source = await readCsv(Readable.from([utf8("a,b\n"), utf8("1,2\n")]));
    const rows: CsvRecord[] = [];
    for await (const r of source.records) rows.push(r);
    expect(rows).toEqual([{ row: 2, values: ["1", "2"] }]);
  });

  it("refuses UTF-16 and Excel workbooks with a clear message", async () => {
    expect((await fileError(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).message).toMatch(/UTF-16/);
    expect((await fileError(Buffer.from("PK\x03\x04rest", "latin1"))).message).toMatch(/Excel workbook/);
  });

  it("names the row where a file switches encoding after the sample", async () => {
    const bytes = Buffer.concat([utf8("a,b\n" + "1,x\n".repeat(300_000)), iconv.encode("2,山田\n", "cp932")]);
    const e = await fileError(bytes);
    expect(e.row).toBe(300_002);
    expect(e.message).toContain("Row 300002");
  });

  it("gives an empty file empty headers and no rows", async () => {
    const { source, rows } = await readAll(new Uint8Array(0));
    expect(source.headers).toEqual([]);
    expect(rows).toEqual([]);
  });
});

describe("readCsv: delimiter, quoting, row numbers", () => {
  it("detects tab-separated files from the header line", async () => {
    const { source, rows } = await readAll(utf8("顧客ID\t金額\t店舗, 本店\nC1\t1,000\t渋谷\n"));
    expect(source.delimiter).toBe("\t");
    expect(source.headers).toEqual(["顧客ID", "金額", "店舗, 本店"]);
    expect(rows[0].values).toEqual(["C1", "1,000", "渋谷"]);
  });

  it("ignores delimiters inside quoted header cells", async () => {
    const { source } = await readAll(utf8('"a\tb\tc",d\n1,2\n'));
    expect(source.delimiter).toBe(",");
  });

  it("handles quoted commas, doubled quotes and newlines, and keeps row numbers right after them", async () => {
    const csv =
      'id,note,amount\n' +
      '1,"Tokyo, Japan",100\n' +
      '2,"She said ""hi""",200\n' +
      '3,"line one\nline two\r\nline three",300\n' +
      "4,plain,400\n" +
      "\n" + // a blank line: skipped, but a spreadsheet shows it as row 6
      "5,after blank,500\n";
    const { rows } = await readAll(utf8(csv));
    expect(rows).toEqual([
      { row: 2, values: ["1", "Tokyo, Japan", "100"] },
      { row: 3, values: ["2", 'She said "hi"', "200"] },
      { row: 4, values: ["3", "line one\nline two\r\nline three", "300"] },
      { row: 5, values: ["4", "plain", "400"] },
      { row: 7, values: ["5", "after blank", "500"] },
    ]);
  });

  it("does not trim cells and lets rows have the wrong number of cells", async () => {
    const { rows } = await readAll(utf8("a,b\n x , y \n1\n1,2,3\n"));
    expect(rows.map((r) => r.values)).toEqual([[" x ", " y "], ["1"], ["1", "2", "3"]]);
  });

  it("turns an unclosed quote into an ImportFileError naming the row", async () => {
    const e = await fileError(utf8('id,note\n1,ok\n2,"multi\nline"\n3,"never closed\n4,x\n5,y\n'));
    expect(e.row).toBe(4);
    expect(e.reason).toBe("malformed_csv");
    expect(e.message).toMatch(/^Row 4: a quoted field is never closed/);
  });

  it("turns stray quotes into an ImportFileError naming the row", async () => {
    expect((await fileError(utf8('id,note\n1,ok\n2,"a"b\n'))).row).toBe(3);
    expect((await fileError(utf8('id,note\n1,ok\n2,ok\n3,12" tv\n'))).message).toMatch(/^Row 4:/);
  });

  it("fails an unclosed quote in a big file early instead of buffering the rest", async () => {
    async function* endless() {
      yield utf8('id,note\n1,"oops\n');
      for (let i = 0; i < 100_000; i++) yield utf8("2,filler filler filler filler filler\n");
    }
    // The error may come while the header is read or from the records: either way it names row 2.
    await expect(async () => {
      const source = await readCsv(endless());
      for await (const _ of source.records) void _;
    }).rejects.toThrow(/^Row 2: the row is longer than 1 MiB/);
  });
});

describe("parseDateTime", () => {
  const ok = (raw: string) => {
    const r = parseDateTime(raw);
    if (!r.ok) throw new Error(`${raw}: ${r.reason}`);
    return r.value;
  };

  it("accepts dates with - or / and one or two digits", () => {
    expect(ok("2024-01-05")).toEqual({ local: "2024-01-05 00:00:00", offset: null });
    expect(ok("2024/1/5")).toEqual({ local: "2024-01-05 00:00:00", offset: null });
    expect(ok("2024-1-5")).toEqual({ local: "2024-01-05 00:00:00", offset: null });
    expect(ok(" 2024/12/31 ")).toEqual({ local: "2024-12-31 00:00:00", offset: null });
  });

  it("accepts times with and without seconds", () => {
    expect(ok("2024/01/05 13:04")).toEqual({ local: "2024-01-05 13:04:00", offset: null });
    expect(ok("2024/01/05 13:04:59")).toEqual({ local: "2024-01-05 13:04:59", offset: null });
    expect(ok("2024/1/5 9:04")).toEqual({ local: "2024-01-05 09:04:00", offset: null });
  });

  it("accepts ISO date-times with fractions and zones", () => {
    expect(ok("2024-01-05T13:04:59")).toEqual({ local: "2024-01-05 13:04:59", offset: null });
    expect(ok("2024-01-05T13:04:59.123")).toEqual({ local: "2024-01-05 13:04:59.123", offset: null });
    expect(ok("2024-01-05T13:04:59.123456789Z")).toEqual({ local: "2024-01-05 13:04:59.123456", offset: "Z" });
    expect(ok("2024-01-05T13:04:59+09:00")).toEqual({ local: "2024-01-05 13:04:59", offset: "+09:00" });
    expect(ok("2024-01-05T13:04:59+0900")).toEqual({ local: "2024-01-05 13:04:59", offset: "+09:00" });
    expect(ok("2024-01-05T13:04:59-0530")).toEqual({ local: "2024-01-05 13:04:59", offset: "-05:30" });
    expect(ok("2024-01-05T13:04Z")).toEqual({ local: "2024-01-05 13:04:00", offset: "Z" });
  });

  it("accepts full-width digits and the Japanese 年月日 form", () => {
    expect(ok("２０２４／１／５")).toEqual({ local: "2024-01-05 00:00:00", offset: null });
    expect(ok("２０２４-０１-０５ １３：０４")).toEqual({ local: "2024-01-05 13:04:00", offset: null });
    expect(ok("2024年1月5日")).toEqual({ local: "2024-01-05 00:00:00", offset: null });
    expect(ok("2024年1月5日 13:04")).toEqual({ local: "2024-01-05 13:04:00", offset: null });
  });

  it("checks the calendar and the clock", () => {
    for (const raw of ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00"]) {
      expect(parseDateTime(raw), raw).toEqual({ ok: false, reason: "date_invalid" });
    }
    expect(ok("2024-02-29").local).toBe("2024-02-29 00:00:00");
    expect(ok("2000-02-29").local).toBe("2000-02-29 00:00:00");
    expect(parseDateTime("1900-02-29")).toEqual({ ok: false, reason: "date_invalid" });
    for (const raw of ["2024-01-05 24:00", "2024-01-05 12:60", "2024-01-05 12:00:60", "2024-01-05T10:00+15:00", "2024-01-05T10:00+09:75"]) {
      expect(parseDateTime(raw), raw).toEqual({ ok: false, reason: "date_invalid" });
    }
  });

  it("refuses other shapes and years outside 1900–2100", () => {
    for (const raw of ["05/01/2024", "2024-01/05", "20240105", "2024-01-05 1:2", "yesterday", "2024-01-05+09:00", "45296"]) {
      expect(parseDateTime(raw), raw).toEqual({ ok: false, reason: "date_invalid" });
    }
    expect(parseDateTime("1899-12-31")).toEqual({ ok: false, reason: "date_out_of_range" });
    expect(parseDateTime("2101-01-01")).toEqual({ ok: false, reason: "date_out_of_range" });
    expect(ok("1900-01-01").local).toBe("1900-01-01 00:00:00");
    expect(parseDateTime("  ")).toEqual({ ok: false, reason: "required" });
  });

  it("gives PostgreSQL timestamptz text", () => {
    expect(toTimestamptzText(ok("2024-01-05T13:04:59+0900"))).toBe("2024-01-05 13:04:59+09:00");
    expect(toTimestamptzText(ok("2024-01-05T13:04:59Z"))).toBe("2024-01-05 13:04:59Z");
    expect(toTimestamptzText(ok("2024/1/5"))).toBe("2024-01-05 00:00:00");
  });
});

describe("parseAmount", () => {
  it.each([
    ["1234", "1234"],
    ["¥1,234", "1234"],
    ["￥１，２３４", "1234"],
    ["$12.50", "12.50"],
    ["12.5", "12.5"],
    ["-¥500", "-500"],
    ["¥-1,000", "-1000"],
    ["-¥1,000.50", "-1000.50"],
    ["▲500", "-500"],
    ["△1,000", "-1000"],
    ["−300", "-300"],
    ["1,234,567円", "1234567"],
    [" 1000 円 ", "1000"],
    ["\\1,000", "1000"],
    ["0", "0"],
    ["007", "7"],
    ["-0", "0"],
    ["▲0.00", "0.00"],
    ["999999999999.99", "999999999999.99"],
  ])("%s → %s", (raw, expected) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(["1,23", "12.345", "1e5", "1,2345", ",123", "12.", ".5", "¥", "-", "--5", "-▲5", "1.000,00", "abc", "12 34", "(500)"])(
    "refuses %s",
    (raw) => {
      expect(parseAmount(raw)).toEqual({ ok: false, reason: "amount_invalid" });
    },
  );

  it("refuses amounts of 1e12 and more, and requires a value", () => {
    expect(parseAmount("1,000,000,000,000")).toEqual({ ok: false, reason: "amount_too_large" });
    expect(parseAmount("-1000000000000")).toEqual({ ok: false, reason: "amount_too_large" });
    expect(parseAmount("")).toEqual({ ok: false, reason: "required" });
  });
});

describe("parseBoolean, parseLocale, parseEmail, parseText", () => {
  it("reads yes/no words in both languages", () => {
    for (const t of ["true", "TRUE", "1", "yes", "Y", "on", "はい", "同意", "同意する", "有", "あり", "○", "〇", "ｙｅｓ"]) {
      expect(parseBoolean(t), t).toEqual({ ok: true, value: true });
    }
    for (const f of ["false", "False", "0", "no", "N", "off", "いいえ", "拒否", "無", "なし", "×", "✕"]) {
      expect(parseBoolean(f), f).toEqual({ ok: true, value: false });
    }
    expect(parseBoolean(" ")).toEqual({ ok: true, value: null });
    expect(parseBoolean("maybe")).toEqual({ ok: false, reason: "boolean_invalid" });
  });

  it("reads locales", () => {
    for (const ja of ["ja", "JA", "ja-JP", "ja_JP", "日本語", "Japanese"]) expect(parseLocale(ja), ja).toEqual({ ok: true, value: "ja" });
    for (const en of ["en", "en-US", "en-GB", "英語", "english"]) expect(parseLocale(en), en).toEqual({ ok: true, value: "en" });
    expect(parseLocale("")).toEqual({ ok: true, value: null });
    expect(parseLocale("fr")).toEqual({ ok: false, reason: "locale_invalid" });
    expect(parseLocale("jap")).toEqual({ ok: false, reason: "locale_invalid" });
  });

  it("checks e-mail addresses", () => {
    expect(parseEmail(" taro@example.co.jp ")).toEqual({ ok: true, value: "taro@example.co.jp" });
    expect(parseEmail("taro＠example.com")).toEqual({ ok: true, value: "taro@example.com" });
    expect(parseEmail("")).toEqual({ ok: true, value: null });
    for (const good of ["john+tag@example.com", "o'brien@example.ie", "hanako.yamada@mail.example.co.jp"]) expect(parseEmail(good), good).toEqual({ ok: true, value: good });
    for (const bad of ["taro", "taro@example", "a@b@example.com", "ta ro@example.com", "@example.com", "taro@.com", "taro@example.", "taro@example..com", `${"a".repeat(250)}@example.com`,
      // What the provider refuses and zod's rule (the forms') refuses too: quotes, brackets, commas, no top-level domain, non-ASCII local parts.
      'ta"ro@example.com', "<taro>@example.com", "taro@example,com.jp", "taro@localhost", "taro@example.c", "山田@example.jp", ".taro@example.com"]) {
      expect(parseEmail(bad), bad).toEqual({ ok: false, reason: "email_invalid" });
    }
  });

  it("accepts an e-mail address exactly when the forms' zod rule does", () => {
    const form = z.string().max(254).email();
    const corpus = ["taro@example.co.jp", "john+tag@example.com", "o'brien@example.ie", "a_b-c.d@sub-1.example.museum", "x@y.jp", "x@y.j",
      "x@-y.jp", "x@y-.jp", "x@y..jp", ".x@y.jp", "x.@y.jp", "x..y@z.jp", 'x"y@z.jp', "x y@z.jp", "x@y z.jp", "x@y_z.jp", "x@1.2.3.4", "x@[1.2.3.4]",
      "山田@example.jp", "x@例え.jp", "x@y.jp.", "X@Y.JP", "%@y.jp", "x@@y.jp", "", "@", `${"a".repeat(243)}@example.com`, `${"a".repeat(242)}@example.com`];
    for (const text of corpus) expect(isEmailAddress(text), text).toBe(form.safeParse(text).success);
  });

  it("trims text and checks its length in characters", () => {
    expect(parseText("  渋谷店 ", 100)).toEqual({ ok: true, value: "渋谷店" });
    expect(parseText("   ", 100)).toEqual({ ok: true, value: null });
    expect(parseText("😀".repeat(100), 100).ok).toBe(true);
    expect(parseText("a".repeat(101), 100)).toEqual({ ok: false, reason: "too_long" });
  });
});

describe("mapHeaders", () => {
  it("maps English headers, whatever the case, spaces or hyphens", () => {
    const m = mapHeaders("purchases", ["Customer ID", "purchase-date", "TOTAL", "order no", "memo"]);
    expect(m).toEqual({
      ok: true,
      index: { customer_id: 0, purchased_at: 1, amount: 2, order_id: 3, channel: undefined, store: undefined, staff: undefined, referral_code: undefined },
      headers: ["Customer ID", "purchase-date", "TOTAL", "order no", "memo"],
      ignored: ["memo"],
    });
  });

  it("maps Japanese headers, including full-width letters", () => {
    const m = mapHeaders("customers", ["顧客ＩＤ", "メールアドレス", "お名前", "言語", "メルマガ", "入会日", "備考"]);
    expect(m.ok && m.index).toEqual({ customer_id: 0, email: 1, name: 2, locale: 3, marketing_consent: 4, created_at: 5 });
    expect(m.ok && m.ignored).toEqual(["備考"]);
    const p = mapHeaders("purchases", ["会員番号", "売上日", "税込金額", "伝票番号", "販売チャネル", "店舗名", "販売員", "紹介コード"]);
    expect(p.ok && p.index).toEqual({ customer_id: 0, purchased_at: 1, amount: 2, order_id: 3, channel: 4, store: 5, staff: 6, referral_code: 7 });
  });

  it("reports a missing required column by its field name", () => {
    expect(mapHeaders("purchases", ["顧客ID", "購入日"])).toEqual({ ok: false, error: { reason: "missing_column", column: "amount" } });
    expect(mapHeaders("customers", ["email"])).toEqual({ ok: false, error: { reason: "missing_column", column: "customer_id" } });
    // "date" means purchased_at for purchases only
    expect(mapHeaders("customers", ["id", "date"])).toEqual({ ok: false, error: { reason: "missing_column", column: "customer_id" } });
  });

  it("reports the second of two headers for the same field", () => {
    expect(mapHeaders("purchases", ["顧客ID", "金額", "購入日", "合計金額"])).toEqual({
      ok: false,
      error: { reason: "duplicate_column", column: "合計金額" },
    });
  });
});

describe("row validation", () => {
  const purchaseHeaders = ["顧客ID", "購入日", "金額", "注文番号", "店舗", "紹介コード"];
  const purchases = mapHeaders("purchases", purchaseHeaders) as HeaderMapping<PurchaseField>;

  it("turns a purchase row into typed input", () => {
    const r = validatePurchaseRow({ row: 2, values: [" Ｃ００１ ", "2024/1/5 13:04", "￥１，２００", "A-1", " 渋谷店 ", "ＦＲＩＥＮＤ１"] }, purchases);
    expect(r).toEqual({
      ok: true,
      value: {
        customerExternalId: "C001",
        purchasedAt: { local: "2024-01-05 13:04:00", offset: null },
        amount: "1200",
        orderId: "A-1",
        channel: null,
        store: "渋谷店",
        staff: null,
        referralCode: "FRIEND1",
      },
    });
  });

  it("names the file's header and the row in every error", () => {
    const r = validatePurchaseRow({ row: 17, values: ["", "2024/02/30", "1,23", "x".repeat(101)] }, purchases);
    expect(r).toEqual({
      ok: false,
      errors: [
        { row: 17, column: "顧客ID", value: "", reason: "required" },
        { row: 17, column: "購入日", value: "2024/02/30", reason: "date_invalid" },
        { row: 17, column: "金額", value: "1,23", reason: "amount_invalid" },
        { row: 17, column: "注文番号", value: "x".repeat(101), reason: "too_long" },
      ],
    });
  });

  it("treats missing cells as empty and reports extra cells once", () => {
    expect(validatePurchaseRow({ row: 3, values: ["C1", "2024-01-05"] }, purchases)).toEqual({
      ok: false,
      errors: [{ row: 3, column: "金額", value: "", reason: "required" }],
    });
    expect(validatePurchaseRow({ row: 4, values: ["C1", "2024-01-05", "1", "", "", "", "extra", "x"] }, purchases)).toEqual({
      ok: false,
      errors: [{ row: 4, column: "", value: "8", reason: "column_count" }],
    });
  });

  it("validates customer rows", () => {
    const headers = ["customer_id", "Email", "Name", "Language", "Consent?", "登録日"];
    const m = mapHeaders("customers", headers);
    if (!m.ok) throw new Error("mapping");
    expect(m.ignored).toEqual(["Consent?"]);
    expect(validateCustomerRow({ row: 2, values: ["c-1", "a@example.com", "山田 太郎", "ja-JP", "yes", "2023/4/1"] }, m)).toEqual({
      ok: true,
      value: {
        externalId: "c-1",
        email: "a@example.com",
        name: "山田 太郎",
        locale: "ja",
        marketingConsent: null, // the consent column was not recognised
        createdAt: { local: "2023-04-01 00:00:00", offset: null },
      },
    });
    expect(validateCustomerRow({ row: 9, values: ["c-2", "nope", "n".repeat(201), "fr", "", "2023/2/29"] }, m)).toEqual({
      ok: false,
      errors: [
        { row: 9, column: "Email", value: "nope", reason: "email_invalid" },
        { row: 9, column: "Name", value: "n".repeat(201), reason: "too_long" },
        { row: 9, column: "Language", value: "fr", reason: "locale_invalid" },
        { row: 9, column: "登録日", value: "2023/2/29", reason: "date_invalid" },
      ],
    });
    const m2 = mapHeaders("customers", ["会員ID", "配信同意"]);
    if (!m2.ok) throw new Error("mapping");
    expect(validateCustomerRow({ row: 5, values: ["x", "たぶん"] }, m2)).toEqual({
      ok: false,
      errors: [{ row: 5, column: "配信同意", value: "たぶん", reason: "boolean_invalid" }],
    });
  });

  it("numbers rows from the file end to end", async () => {
    const csv = "顧客ID,購入日,金額\nC1,2024/1/5,100\nC2,\"2024/1/\n6\",200\n\nC3,2024/1/7,abc\n";
    const source = await readCsv(chunked(utf8(csv), 5));
    const m = mapHeaders("purchases", source.headers);
    if (!m.ok) throw new Error("mapping");
    const errors = [];
    for await (const rec of source.records) {
      const r = validatePurchaseRow(rec, m);
      if (!r.ok) errors.push(...r.errors);
    }
    expect(errors).toEqual([
      { row: 3, column: "購入日", value: "2024/1/\n6", reason: "date_invalid" },
      { row: 5, column: "金額", value: "abc", reason: "amount_invalid" },
    ]);
  });
});

describe("messages", () => {
  it("has one non-empty sentence per reason code in each language", () => {
    expect(Object.keys(importMessages.en).sort()).toEqual([...reasonCodes].sort());
    expect(Object.keys(importMessages.ja).sort()).toEqual([...reasonCodes].sort());
    for (const lng of ["en", "ja"] as const) {
      for (const code of reasonCodes) expect(importMessages[lng][code].trim(), `${lng}:${code}`).not.toBe("");
    }
  });

  it("describes an error with the row, the file's column and the value", () => {
    const e = { row: 12, column: "購入日", value: "2024/02/30", reason: "date_invalid" } as const;
    expect(describeError(e, "en")).toBe(`Row 12, column "購入日" ("2024/02/30"): ${importMessages.en.date_invalid}`);
    expect(describeError(e, "ja")).toBe(`12行目「購入日」（「2024/02/30」）: ${importMessages.ja.date_invalid}`);
    expect(describeError({ row: 3, column: "顧客ID", value: "", reason: "required" }, "en")).toBe(
      `Row 3, column "顧客ID": ${importMessages.en.required}`,
    );
    expect(describeError({ row: 4, column: "", value: "8", reason: "column_count" }, "ja")).toBe(
      `4行目（セル8個）: ${importMessages.ja.column_count}`,
    );
    expect(describeError({ row: 0, column: "amount", value: "", reason: "missing_column" }, "en")).toBe(
      `Column "amount": ${importMessages.en.missing_column}`,
    );
  });
});

describe("streaming", () => {
  it("streams 200,000 generated rows with back-pressure", async () => {
    const total = 200_000;
    let produced = 0;
    let maxAhead = 0;
    let consumed = 0;
    async function* generate(): AsyncGenerator<Uint8Array> {
      yield utf8("顧客ID,購入日,金額,注文番号,店舗\n");
      let chunk = "";
      for (let i = 0; i < total; i++) {
        chunk += `C${i % 5000},2024/${1 + (i % 12)}/${1 + (i % 28)} 13:${String(i % 60).padStart(2, "0")},"¥${1 + (i % 90)},${String(i % 1000).padStart(3, "0")}",ORD-${i},渋谷店\n`;
        produced++;
        if (chunk.length > 60_000) {
          maxAhead = Math.max(maxAhead, produced - consumed);
          yield utf8(chunk);
          chunk = "";
        }
      }
      if (chunk) yield utf8(chunk);
    }
    const started = performance.now();
    const source = await readCsv(generate());
    const m = mapHeaders("purchases", source.headers);
    if (!m.ok) throw new Error("mapping");
    let invalid = 0;
    for await (const rec of source.records) {
      consumed++;
      if (!validatePurchaseRow(rec, m).ok) invalid++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`readCsv + validatePurchaseRow: ${Math.round(total / seconds).toLocaleString("en")} rows/s (${total} rows in ${seconds.toFixed(2)} s)`);
    expect(consumed).toBe(total);
    expect(invalid).toBe(0);
    // The generator is pulled only as records are consumed: it never runs far ahead of the consumer.
    expect(maxAhead).toBeLessThan(total / 4);
  }, 60_000);
});
