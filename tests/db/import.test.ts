import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { getImportJob, runImport, type ImportMode } from "~/services/import/import.server";
import { importErrorRows } from "~/models/import-jobs.server";
import { useTestDatabase } from "../setup/db";

const importText = (kind: "customers" | "purchases", text: string | Buffer, mode: ImportMode = "all_or_nothing") =>
  runImport({ kind, fileName: `${kind}.csv`, mode, open: () => Readable.from([typeof text === "string" ? Buffer.from(text) : text]) });

/** The import page's table of invalid rows, rendered as the server renders it (English). */
async function renderErrorsTable(errors: { row: number; column: string; value: string; reason: string }[]) {
  const [{ createElement }, { renderToStaticMarkup }, i18next, { I18nextProvider }, { groupByRow, ImportErrorsTable }, { importMessages }, { i18nOptions }] = await Promise.all([
    import("react"),
    import("react-dom/server"),
    import("i18next"),
    import("react-i18next"),
    import("~/components/import-errors"),
    import("~/domain/import/messages"),
    import("~/i18n"),
  ]);
  const i18n = i18next.default.createInstance();
  await i18n.init(i18nOptions("en"));
  const rows = groupByRow(errors.map((e) => ({ ...e, reason: importMessages.en[e.reason as keyof typeof importMessages.en] })));
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(ImportErrorsTable, { rows })));
}

const counts = async () => {
  const [row] = await queryRows<{ customers: number; purchases: number; total: string | null }>(
    sql`select (select count(*)::int from customers) as customers, count(*)::int as purchases, sum(amount)::text as total from purchases`,
  );
  return row;
};

describe("purchase import", () => {
  useTestDatabase();

  it("reads a Shift_JIS file with Japanese headers, creates unknown customers and segments them", async () => {
    const text = [
      "顧客ID,購入日,金額,注文番号,店舗",
      "C001,2024/1/5,\"￥1,200\",A-1,渋谷店",
      "C001,2024-03-01 14:30,\"¥3,400\",A-2,渋谷店",
      "C002,2024-02-10T10:00:00+09:00,５００,A-3,梅田店",
      "C002,2024/2/20,▲500,A-4,梅田店",
    ].join("\r\n");
    const result = await importText("purchases", iconv.encode(text, "cp932"));
    expect(result).toMatchObject({ status: "done", rowsRead: 4, rowsValid: 4, errorCount: 0, inserted: 4, customersCreated: 2 });
    const rows = await queryRows<{ external_id: string; purchase_count: number; total_amount: string; cpm_segment: string | null; store: string }>(
      sql`select c.external_id, m.purchase_count, m.total_amount::text, m.cpm_segment,
                 (select store from purchases p where p.customer_id = c.id order by purchased_at limit 1) as store
            from customers c join customer_metrics m on m.customer_id = c.id order by c.external_id`,
    );
    expect(rows).toEqual([
      { external_id: "C001", purchase_count: 2, total_amount: "4600.00", cpm_segment: "toddler_lapsed", store: "渋谷店" },
      { external_id: "C002", purchase_count: 1, total_amount: "0.00", cpm_segment: "first_lapsed", store: "梅田店" },
    ]);
    // No zone in the file: the brand's time zone (Asia/Tokyo) applies.
    const [first] = await queryRows<{ at: string }>(sql`select to_char(purchased_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at from purchases where order_id = 'A-1'`);
    expect(first.at).toBe("2024-01-04 15:00");
  });

  it("refuses a file with bad rows, writes nothing, and reports row, column, value and reason", async () => {
    const result = await importText(
      "purchases",
      ["customer_id,purchased_at,amount,order_id", "C1,2024-01-05,1000,O1", "C2,2024-02-30,1000,O2", "C3,2024-01-05,abc,O3", ",2024-01-05,100,O4", "C5,2024-01-06,2000,O5"].join("\n"),
    );
    expect(result.status).toBe("rejected");
    expect(result.errorCount).toBe(3);
    expect(result.errors).toEqual([
      { row: 3, column: "purchased_at", value: "2024-02-30", reason: "date_invalid" },
      { row: 4, column: "amount", value: "abc", reason: "amount_invalid" },
      { row: 5, column: "customer_id", value: "", reason: "required" },
    ]);
    expect(await counts()).toEqual({ customers: 0, purchases: 0, total: null });
    const all = [];
    for await (const batch of importErrorRows(result.jobId)) all.push(...batch);
    expect(all).toHaveLength(3);
  });

  it("counts invalid rows, not bad cells, and reports each invalid row once with all its errors", async () => {
    // Row 3 has a bad date and a bad amount: one invalid row, two errors (issue 13 item 3).
    const file = ["customer_id,purchased_at,amount,order_id", "C1,2024-01-05,1000,O1", "C2,2024-02-30,abc,O2", "C3,2024-01-05,100,O3", ",2024-01-05,100,O4", "C5,2024-01-06,2000,O5"].join("\n");
    for (const reader of ["fast", "csv-parse"] as const) {
      const result = await runImport({ kind: "purchases", fileName: "p.csv", mode: "all_or_nothing", open: () => Readable.from([Buffer.from(file)]) }, undefined, { reader });
      expect(result).toMatchObject({ status: "rejected", rowsRead: 5, rowsValid: 3, rowsInvalid: 2, errorCount: 3 });

      // The page: the job's counts say rows, and each invalid row comes once with every error under it.
      const { staffSession, run, get } = await import("../support/requests");
      const page = await import("~/routes/staff.imports.$id");
      const viewer = await staffSession("viewer", `viewer-${reader}@example.com`);
      const response = await run((args: Parameters<typeof page.loader>[0]) => page.loader({ ...args, params: { id: String(result.jobId) } }), get(`/staff/imports/${result.jobId}`, viewer.cookie));
      const { job, errors } = (await response.json()) as { job: { rowsRead: number; rowsValid: number; errorCount: number }; errors: { row: number; column: string; value: string; reason: string }[] };
      expect(job.rowsRead - job.rowsValid).toBe(2);
      const html = await renderErrorsTable(errors);
      const rows = [...html.matchAll(/<tr data-row="(\d+)">(.*?)<\/tr>/g)].map(([, row, body]) => ({ row: Number(row), cells: [...body.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1].replace(/<[^>]+>/g, "")) }));
      expect(rows).toEqual([
        { row: 3, cells: ["amount “abc”Not an amount. Use digits, optionally with ¥ or $, thousands separators (1,234), up to 2 decimals and a leading - or ▲ for refunds.", "purchased_at “2024-02-30”Not a date. Use 2024-01-05, 2024/1/5 or an ISO date-time."] },
        { row: 5, cells: ["customer_idThis value is required."] },
      ]);

      // The CSV: one line per bad cell, each with its row number.
      const csv = await import("~/routes/staff.imports.$id.errors[.]csv");
      const download = await run((args: Parameters<typeof csv.loader>[0]) => csv.loader({ ...args, params: { id: String(result.jobId) } }), get(`/staff/imports/${result.jobId}/errors.csv`, viewer.cookie));
      const lines = (await download.text()).trim().split(/\r?\n/).map((line) => line.split(",").slice(0, 4).join(","));
      expect(lines).toEqual(["row,column,value,reason", "3,amount,abc,amount_invalid", "3,purchased_at,2024-02-30,date_invalid", "5,customer_id,,required"]);
    }
  });

  it("shows the first 100 invalid rows with all their errors, however many errors each has", async () => {
    const lines = ["customer_id,purchased_at,amount"];
    for (let i = 0; i < 150; i++) lines.push(`C${i},2024-13-01,x${i}`);
    const result = await importText("purchases", lines.join("\n"));
    expect(result).toMatchObject({ status: "rejected", rowsRead: 150, rowsInvalid: 150, errorCount: 300 });
    const found = await getImportJob(result.jobId);
    const shown = new Set(found!.errors.map((e) => e.row));
    expect(shown.size).toBe(100);
    expect(found!.errors).toHaveLength(200);
    expect(Math.max(...shown)).toBe(101);
  });

  it("imports only the valid rows when asked", async () => {
    const result = await importText("purchases", ["customer_id,purchased_at,amount,order_id", "C1,2024-01-05,1000,O1", "C2,2024-02-30,1000,O2", "C3,2024-01-07,2000,O3"].join("\n"), "valid_only");
    expect(result).toMatchObject({ status: "done", rowsValid: 2, errorCount: 1, inserted: 2 });
    expect(await counts()).toEqual({ customers: 2, purchases: 2, total: "3000.00" });
  });

  it("changes nothing when the same file is imported twice, with or without order ids", async () => {
    const file = [
      "customer_id\tpurchased_at\tamount\torder_id",
      "C1\t2024-01-05 10:00\t1000\t",
      "C1\t2024-01-05 10:00\t1000\t", // the same purchase twice in one file: two purchases
      "C1\t2024-02-05\t500\tX-9",
      "C2\t2024-03-05\t700\t",
    ].join("\n");
    const first = await importText("purchases", file);
    expect(first).toMatchObject({ status: "done", inserted: 4 });
    const before = await counts();
    const second = await importText("purchases", file);
    expect(second).toMatchObject({ status: "done", inserted: 0, customersCreated: 0 });
    expect(await counts()).toEqual(before);
    expect(before).toEqual({ customers: 2, purchases: 4, total: "3200.00" });
  });

  it("rejects a file without a required column, naming it", async () => {
    const result = await importText("purchases", "customer_id,amount\nC1,100\n");
    expect(result).toMatchObject({ status: "rejected", fileError: { reason: "missing_column", column: "purchased_at" } });
  });

  it("rejects malformed CSV with the row, writing nothing", async () => {
    const result = await importText("purchases", 'customer_id,purchased_at,amount\nC1,2024-01-01,100\nC2,"2024-01-02,100\n');
    expect(result.status).toBe("rejected");
    expect(result.fileError).toMatchObject({ reason: "malformed_csv" });
    expect((await counts()).purchases).toBe(0);
  });
});

describe("customer import", () => {
  useTestDatabase();

  it("creates and updates customers; empty cells keep what is known; a re-import changes nothing", async () => {
    const file = "\uFEFFcustomer_id,email,name,locale,marketing_consent,created_at\nC1,a@example.com,山田 太郎,ja,はい,2023-04-01\nC2,,Ann Lee,en-US,no,\n";
    const first = await importText("customers", file);
    expect(first).toMatchObject({ status: "done", inserted: 2, updated: 0 });
    const second = await importText("customers", "customer_id,name,marketing_consent\nC1,,いいえ\nC2,Ann Lee-Smith,\n");
    expect(second).toMatchObject({ status: "done", inserted: 0, updated: 2 });
    const third = await importText("customers", "customer_id,name,marketing_consent\nC1,,いいえ\nC2,Ann Lee-Smith,\n");
    expect(third).toMatchObject({ status: "done", inserted: 0, updated: 0 });
    const rows = await queryRows<{ external_id: string; email: string | null; name: string; locale: string; marketing_consent: boolean; created: string }>(
      sql`select external_id, email, name, locale, marketing_consent, to_char(created_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as created from customers order by external_id`,
    );
    expect(rows).toEqual([
      { external_id: "C1", email: "a@example.com", name: "山田 太郎", locale: "ja", marketing_consent: false, created: "2023-04-01" },
      expect.objectContaining({ external_id: "C2", email: null, name: "Ann Lee-Smith", locale: "en", marketing_consent: false }),
    ]);
  });
});

describe("who may import", () => {
  useTestDatabase();

  it("lets a viewer see imports but not upload one; staff may", async () => {
    const { staffSession, run, get } = await import("../support/requests");
    const upload = await import("~/routes/staff.imports.upload");
    const list = await import("~/routes/staff.imports._index");
    const viewer = await staffSession("viewer");
    const staff = await staffSession("staff", "staff@example.com");
    const form = () => {
      const body = new FormData();
      body.set("kind", "purchases");
      body.set("file", new Blob(["customer_id,purchased_at,amount\nV1,2026-01-01,100\n"]), "v.csv");
      return body;
    };
    const request = (cookie: string) =>
      new Request("http://portal.test/staff/imports/upload", { method: "POST", body: form(), headers: { Cookie: cookie, Accept: "application/json" } });

    expect((await run(list.loader, get("/staff/imports", viewer.cookie))).status).toBe(200);
    expect((await run(upload.action, request(viewer.cookie))).status).toBe(403);
    expect(await counts()).toMatchObject({ customers: 0, purchases: 0 });

    const accepted = await run(upload.action, request(staff.cookie));
    expect(accepted.status).toBe(200);
    const { jobId } = (await accepted.json()) as { jobId: number };
    // The import is queued for the job runner (a served portal runs it); run the queue.
    const { getImportJob } = await import("~/services/import/import.server");
    const { drainJobs } = await import("~/services/jobs/runner.server");
    await drainJobs();
    expect((await getImportJob(jobId))?.job.status).toBe("done");
    expect(await counts()).toMatchObject({ customers: 1, purchases: 1 });
  });
});
