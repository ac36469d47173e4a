// The import's two readers (fast, csv-parse) and two ways into `purchases` (staged, bulk) must store
// exactly the same rows; whatever the fast ones cannot take falls back and is reported as before.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { runImport, type ImportMode, type ImportReader, type ImportStrategy } from "~/services/import/import.server";
import { BULK_MIN_ROWS } from "~/services/import/bulk.server";
import { BinaryRows, timestampMicros, ZoneOffsets } from "~/services/import/copy-binary.server";
import { withBulkTransaction } from "../../db/bulk.server";
import { brandTimeZone, zoneOffsetChanges } from "~/models/purchase-bulk.server";
import { useTestDatabase, usingPostgres } from "../setup/db";

type Path = { reader?: ImportReader; strategy?: ImportStrategy | "auto" };

const importFile = (bytes: string | Buffer, path: Path = {}, mode: ImportMode = "all_or_nothing", bytesTotal?: number) =>
  runImport({
    kind: "purchases",
    fileName: "p.csv",
    mode,
    open: () => Readable.from([typeof bytes === "string" ? Buffer.from(bytes) : bytes]),
    refresh: false,
    bytesTotal,
  }, undefined, path);

/** Every stored purchase, by customer's external id (ids differ between runs). */
const stored = () =>
  queryRows<Record<string, string | null>>(
    sql`select c.external_id, to_char(p.purchased_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at, p.amount::text as amount,
               p.order_id, p.channel, p.store, p.staff, p.referral_code, p.dedupe_key::text as key
          from purchases p join customers c on c.id = p.customer_id
         order by c.external_id, p.purchased_at, p.amount, p.order_id, p.dedupe_key`,
  );

const reset = async () => {
  await getDb().execute(sql`delete from purchases`);
  await getDb().execute(sql`delete from customers`);
};

const setZone = (zone: string) => getDb().execute(sql`update brand_settings set time_zone = ${zone} where id = 1`);

/** The same file through every path: the stored rows must be identical. */
async function samePurchasesEveryWay(file: string | Buffer, expectedRows: number) {
  const paths: Path[] = [
    { reader: "csv-parse", strategy: "staged" },
    { reader: "fast", strategy: "staged" },
    { reader: "fast", strategy: "bulk" },
  ];
  const results = [];
  for (const path of paths) {
    await reset();
    const result = await importFile(file, path);
    expect(result).toMatchObject({ status: "done", inserted: expectedRows, errorCount: 0, ...path, restarts: [] });
    results.push(await stored());
  }
  expect(results[0]).toHaveLength(expectedRows);
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
  return results[0];
}

// Every accepted form of every cell, canonical or not, with and without order ids.
const variants = [
  "顧客ID,購入日,金額,注文番号,チャネル,店舗,担当者,紹介コード,メモ",
  "C001,2024-01-05,1200,A-1,store,渋谷店,佐藤,R1,x",
  "C001,2024-01-05 13:04:59,-300,A-2, online ,\" 梅田店 \",,,",
  "C001,2024-01-05T13:04:59,12.5,A-3,app,,,,",
  "C002,2024-01-05T13:04:59Z,0.50,A-4,,,,,",
  "C002,2024-01-05T13:04:59+09:00,99,A-5,,,,,",
  "C002,2024-01-05T13:04:59-05:30,1,A-6,,,,,",
  "C002,2024/1/5,\"¥1,200\",A-7,,,,,",
  "C003,2024/01/05 9:05,\"￥1,234,567.8\",A-8,,,,,",
  "C003,2024-01-05T13:04:59.123456789+0900,$5,A-9,,,,,",
  "C003,2024-01-05 13:04:59.5,▲500,A-10,,,,,",
  "C003,2024年1月5日 13:04,−500,A-11,,,,,",
  "Ｃ００４,２０２４-０１-０５,５００円,Ａ-12,,,,,",
  "C004,2024-02-29,0,,,,,,",
  "C004,2024-02-29,0,,,,,,",
  "C004,2024-02-29,-0,,,,,,",
  "C005,2024-03-10 02:30,100,,,,,,",
  "C005,2024-03-10 02:30,100,A-13,,,,,",
  "C005,2024-11-03 01:30,100,A-14,,,,,",
  "C005,2024-07-01 12:00,100,A-15,,,,,",
  "\"C,006\",\"2024-01-05\",\"1,000\",\"A \"\"16\"\"\",\"multi",
  "line\",,,,",
  "C007,2100-12-31 23:59:59,999999999999.99,A-17,,,,,",
  "C007,1900-01-01 00:00:00,-999999999999.99,A-18,,,,,",
].join("\r\n");

describe("the import's readers and ways into purchases", () => {
  const db = useTestDatabase();

  it("writes amounts, instants and keys in binary exactly as the database reads their text", async () => {
    const amounts = ["0", "1", "-1", "0.5", "-0.5", "0.05", "10", "9999", "10000", "10000.01", "12345678.9", "100000000", "999999999999.99", "-999999999999.99", "0.00", "1200.50"];
    const times: [string, string | null][] = [
      ["2024-01-05 13:04:59", null], ["2024-01-05 13:04:59.5", "Z"], ["2024-01-05 13:04:59.123456", "+09:00"], ["1900-01-10 00:00:00", "-05:30"],
      ["2100-12-30 23:59:59.000001", null], ["2000-01-01 00:00:00", "Z"], ["1999-12-31 23:59:59.999999", "+14:00"], ["2024-02-29 12:00:00", "-00:00"],
    ];
    const keys = ["O1", "A-16", "注文１", "x".repeat(53), "x".repeat(54), "漢".repeat(20), 'A "16"'];
    const rows = await withBulkTransaction(db.current, async (tx) => {
      const offsets = ZoneOffsets.fromChanges(await zoneOffsetChanges(tx, await brandTimeZone(tx)));
      await tx.exec(`create temp table b (n bigint, amount numeric(14,2), at timestamptz, key uuid) on commit drop`);
      const writer = new BinaryRows();
      const total = Math.max(amounts.length, times.length, keys.length);
      for (let i = 0; i < total; i++) {
        writer.room(4096);
        writer.row(4);
        writer.int8(i);
        writer.numeric(amounts[i % amounts.length]);
        const [local, offset] = times[i % times.length];
        writer.timestamptz(timestampMicros(local, offset, offsets)!);
        writer.uuidMd5("o:", keys[i % keys.length]);
      }
      await tx.copyIn(`copy b (n, amount, at, key) from stdin with (format binary)`, (async function* () { yield writer.take(true)!; })(), "binary");
      // The same values as text, converted by the database.
      const pick = <T>(xs: T[], i: number) => xs[i % xs.length];
      const n = [...Array(total).keys()];
      const expected = await tx.query<{ n: number; ok: boolean }>(
        `select b.n::int as n,
                b.amount = e.amount::numeric(14,2)
                and b.at = (case when e.off = '' then e.local::timestamp at time zone (select time_zone from brand_settings where id = 1)
                                 else (e.local || e.off)::timestamptz end)
                and b.key = md5('o:' || e.key)::uuid as ok
           from b join unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality e(amount, local, off, key, i) on e.i = b.n + 1
          order by b.n`,
        [n.map((i) => pick(amounts, i)), n.map((i) => pick(times, i)[0]), n.map((i) => pick(times, i)[1] ?? ""), n.map((i) => pick(keys, i))],
      );
      return expected;
    });
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows).toHaveLength(Math.max(amounts.length, times.length, keys.length));
  });

  it("store identical rows for every accepted form of every cell (brand zone Asia/Tokyo)", async () => {
    const rows = await samePurchasesEveryWay(variants, 22);
    expect(rows.find((r) => r.order_id === "A-1")).toMatchObject({ external_id: "C001", at: "2024-01-04T15:00:00.000000", amount: "1200.00", store: "渋谷店", staff: "佐藤", referral_code: "R1" });
    expect(rows.find((r) => r.order_id === "A-9")).toMatchObject({ at: "2024-01-05T04:04:59.123456", amount: "5.00" });
    expect(rows.find((r) => r.order_id === 'A "16"')).toMatchObject({ external_id: "C,006", channel: "multi\r\nline", amount: "1000.00" });
    expect(rows.filter((r) => r.external_id === "C004" && r.order_id === null)).toHaveLength(3);
  });

  it("store identical rows around daylight-saving changes (brand zone America/New_York)", async () => {
    await setZone("America/New_York");
    const rows = await samePurchasesEveryWay(variants, 22);
    // 2024-03-10 02:30 does not exist in New York and 2024-11-03 01:30 exists twice: the database decides (the
    // offset before the change; standard time), on every path.
    expect(rows.find((r) => r.order_id === "A-13")?.at).toBe("2024-03-10T07:30:00.000000");
    expect(rows.find((r) => r.order_id === "A-14")?.at).toBe("2024-11-03T06:30:00.000000");
    expect(rows.find((r) => r.order_id === "A-15")?.at).toBe("2024-07-01T16:00:00.000000");
  });

  it("store identical rows from Shift_JIS and tab-separated files", async () => {
    const tabbed = variants.split("\r\n").slice(0, 13).map((line) => line.replaceAll('"¥1,200"', "\\1200").replaceAll('"￥1,234,567.8"', "￥1234567.8").replaceAll("−", "－").replaceAll(",", "\t")).join("\n");
    await samePurchasesEveryWay(iconv.encode(tabbed, "cp932"), 12);
  });

  it("bulk: adds to customers and purchases already there, and a re-import adds nothing", async () => {
    await importFile("customer_id,purchased_at,amount,order_id\nOLD1,2024-01-01,100,X1\nOLD2,2024-01-02,200,\n", { strategy: "staged" });
    const file = [
      "customer_id,purchased_at,amount,order_id",
      "OLD1,2024-01-01,100,X1", // there already
      "OLD1,2024-01-03,150,X2",
      "OLD2,2024-01-02,200,", // there already (no order id: keyed by customer, time, amount, occurrence)
      "OLD2,2024-01-02,200,", // its second occurrence: new
      "NEW1,2024-01-04,300,Y1",
      "NEW1,2024-01-04,300,",
    ].join("\n");
    const first = await importFile(file, { strategy: "bulk" });
    expect(first).toMatchObject({ status: "done", strategy: "bulk", inserted: 4, customersCreated: 1 });
    const after = await stored();
    expect(after).toHaveLength(6);
    const again = await importFile(file, { strategy: "bulk" });
    expect(again).toMatchObject({ status: "done", strategy: "bulk", inserted: 0, customersCreated: 0 });
    expect(await stored()).toEqual(after);
    const staged = await importFile(file, { strategy: "staged" });
    expect(staged).toMatchObject({ status: "done", inserted: 0 });
    // Customer ids continue after the ones bulk gave out; the primary key and the indexes are back (the
    // (customer, time) index and the partial one on referral codes, which holds coded purchases only).
    await importFile("customer_id,purchased_at,amount,order_id\nNEW2,2024-02-01,1,Z1\n", { strategy: "staged" });
    const [ids] = await queryRows<{ customers: number; distinct_ids: number; indexes: number }>(
      sql`select (select count(*)::int from customers) as customers, (select count(distinct id)::int from customers) as distinct_ids,
                 (select count(*)::int from pg_indexes where tablename = 'purchases') as indexes`,
    );
    expect(ids).toEqual({ customers: 4, distinct_ids: 4, indexes: 3 });
  });

  it("bulk: a file that repeats an order id starts again staged, where the first row wins", async () => {
    const file = "customer_id,purchased_at,amount,order_id\nC1,2024-01-02,200,O1\nC1,2024-01-01,100,O1\nC2,2024-01-01,100,O2\n";
    const bulk = await importFile(file, { strategy: "bulk" });
    expect(bulk).toMatchObject({ status: "done", strategy: "staged", inserted: 2, restarts: [expect.stringContaining("purchases_pkey")] });
    const rows = await stored();
    await reset();
    expect(await importFile(file, { strategy: "staged" })).toMatchObject({ inserted: 2 });
    expect(await stored()).toEqual(rows);
    expect(rows.find((r) => r.order_id === "O1")?.amount).toBe("100.00");
  });

  it("bulk: a repeated order id among the rows set aside (a customer with purchases) also starts again staged", async () => {
    await importFile("customer_id,purchased_at,amount,order_id\nOLD1,2024-01-01,100,X1\n", { strategy: "staged" });
    const file = "customer_id,purchased_at,amount,order_id\nOLD1,2024-02-02,200,X2\nOLD1,2024-02-01,100,X2\nC2,2024-01-01,100,O2\n";
    const bulk = await importFile(file, { strategy: "bulk" });
    expect(bulk).toMatchObject({ status: "done", strategy: "staged", inserted: 2, restarts: [expect.stringContaining("purchases_pkey")] });
    const rows = await stored();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.order_id === "X2")?.amount).toBe("100.00"); // the first in customer and time order
  });

  it("fails (does not hang) when the database refuses a value, on every path", async () => {
    const file = "customer_id,purchased_at,amount,order_id,store\nC1,2024-01-01,100,O1,a\u0000b\n";
    for (const strategy of ["bulk", "staged"] as const) {
      const result = await importFile(file, { strategy });
      expect(result).toMatchObject({ status: "failed", fileError: { reason: "failed" } });
      expect(await stored()).toEqual([]);
    }
  });

  it("a file the fast reader cannot follow is read again by csv-parse, which reports it", async () => {
    const file = 'customer_id,purchased_at,amount,order_id\nC1,2024-01-01,100,O1\nC2,2024-01-01,1"00,O2\nC3,2024-01-01,100,O3\n';
    const result = await importFile(file, { strategy: "bulk" });
    expect(result).toMatchObject({ status: "rejected", reader: "csv-parse", restarts: [expect.stringContaining("quote")] });
    expect(result.fileError).toMatchObject({ reason: "malformed_csv", row: 3 });
    expect(await stored()).toEqual([]);
  });

  it("an invalid row is reported with its row, column, value and reason on the fast paths, and nothing is written", async () => {
    const file = "customer_id,purchased_at,amount,order_id\nC1,2024-01-01,100,O1\nC2,2024-02-30,100,O2\nC3,2024-01-01,1.234,O3\nC4,2024-01-01,100,O4\n";
    for (const strategy of ["bulk", "staged"] as const) {
      const result = await importFile(file, { strategy });
      expect(result).toMatchObject({ status: "rejected", reader: "fast", errorCount: 2, inserted: 0, restarts: [] });
      expect(result.errors).toEqual([
        { row: 3, column: "purchased_at", value: "2024-02-30", reason: "date_invalid" },
        { row: 4, column: "amount", value: "1.234", reason: "amount_invalid" },
      ]);
      expect(await stored()).toEqual([]);
      const valid = await importFile(file, { strategy }, "valid_only");
      expect(valid).toMatchObject({ status: "done", strategy, errorCount: 2, inserted: 2 });
      expect((await stored()).map((r) => r.external_id)).toEqual(["C1", "C4"]);
      await reset();
    }
  });

  it(`takes the bulk way by itself for a large file (${BULK_MIN_ROWS.toLocaleString("en")} rows or more) into a smaller table`, async () => {
    const rows = BULK_MIN_ROWS + 2000;
    let text = "customer_id,purchased_at,amount,order_id\n";
    for (let i = 0; i < rows; i++) text += `C${i % 5000},2024-01-01 10:00:00,${i % 900},O${i}\n`;
    const bytes = Buffer.from(text);
    const result = await importFile(bytes, {}, "all_or_nothing", bytes.length);
    expect(result).toMatchObject({ status: "done", reader: "fast", strategy: "bulk", inserted: rows, customersCreated: 5000, restarts: [] });
    // The same file again: the table is as large as the file now, still bulk, and nothing is added.
    const again = await importFile(bytes, {}, "all_or_nothing", bytes.length);
    expect(again).toMatchObject({ status: "done", inserted: 0, customersCreated: 0 });
    // A small file goes staged.
    const small = await importFile("customer_id,purchased_at,amount,order_id\nC1,2024-01-02,1,Q1\n", {}, "all_or_nothing", 60);
    expect(small).toMatchObject({ status: "done", strategy: "staged", inserted: 1 });
  }, usingPostgres ? 60_000 : 120_000);
});
