// The import's staging table and the set-based statements that merge it into `customers` and
// `purchases` (the "staged" way in; see app/services/import/import.server.ts). Each runs in the
// import's bulk transaction (db/bulk.server.ts).
import type { BulkTx } from "../../db/bulk.server";
import type { ImportKind } from "~/domain/import/columns";
import type { CustomerInput, PurchaseInput } from "~/domain/import/rows";
import { toTimestamptzText, type ParsedDateTime } from "~/domain/import/values";

/** The valid rows of one batch of records, in file order (row numbers and checked values side by side). */
export interface ValidRows<T> {
  rows: number[];
  values: T[];
}

export const stagingDdl: Record<ImportKind, string> = {
  purchases: `create temp table import_staging (
      row_no integer not null, customer_ext text not null, at_local timestamp, at_zoned timestamptz,
      amount numeric(14, 2) not null, order_id text, channel text, store text, staff text, referral_code text
    ) on commit drop`,
  customers: `create temp table import_staging (
      row_no integer not null, customer_ext text not null, email text, name text, locale text,
      consent boolean, created_local timestamp, created_zoned timestamptz
    ) on commit drop`,
};
export const purchaseStagingDdl = stagingDdl.purchases;

/** Room to sort a large file's rows in memory during the merge (this transaction only). */
export async function allowLargeSorts(tx: BulkTx) {
  await tx.exec(`set local work_mem = '256MB'`);
}

/** Creates the staging table for `kind` and copies the valid rows into it. */
export async function stageRows(tx: BulkTx, kind: ImportKind, rows: AsyncGenerator<ValidRows<unknown>>) {
  await tx.exec(stagingDdl[kind]);
  await tx.copyIn(`copy import_staging from stdin`, stagingLines(kind, rows), "text");
}

/** Fresh statistics after a merge, so the refresh that follows is planned for the tables as they now are. */
export async function analyzeMerged(tx: BulkTx, kind: ImportKind) {
  await tx.exec(kind === "purchases" ? "analyze purchases, customers" : "analyze customers");
}

/** The staging table's COPY text, about a megabyte at a time. */
export async function* stagingLines(kind: ImportKind, rows: AsyncGenerator<ValidRows<unknown>>): AsyncGenerator<string> {
  let batch = "";
  for await (const { rows: numbers, values } of rows) {
    for (let i = 0; i < numbers.length; i++) {
      batch += kind === "purchases" ? purchaseLine(numbers[i], values[i] as PurchaseInput) : customerLine(numbers[i], values[i] as CustomerInput);
    }
    if (batch.length >= 1 << 20) {
      yield batch;
      batch = "";
    }
  }
  if (batch) yield batch;
}

/** COPY text format: tab-separated, \N for null, backslash escapes. */
function copyValue(value: string | number | boolean | null): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

/** [local, zoned]: a date-time without a zone goes to the first column (the brand's zone applies later). */
function dateCells(d: ParsedDateTime | null): [string | null, string | null] {
  if (!d) return [null, null];
  return d.offset === null ? [d.local, null] : [null, toTimestamptzText(d)];
}

/** One staging row of a purchase (COPY text format). */
export function purchaseLine(row: number, p: PurchaseInput) {
  const [local, zoned] = dateCells(p.purchasedAt);
  return [row, p.customerExternalId, local, zoned, p.amount, p.orderId, p.channel, p.store, p.staff, p.referralCode].map(copyValue).join("\t") + "\n";
}

function customerLine(row: number, c: CustomerInput) {
  const [local, zoned] = dateCells(c.createdAt);
  return [row, c.externalId, c.email, c.name, c.locale, c.marketingConsent, local, zoned].map(copyValue).join("\t") + "\n";
}

/** The brand's time zone applies to date-times written without one. */
const brandZone = `(select time_zone from brand_settings where id = 1)`;

/** Creates the customers the staged rows name that do not exist yet; returns how many. */
export async function createStagedCustomers(tx: BulkTx): Promise<number> {
  const [created] = await tx.query<{ n: number }>(
    `with new as (
       insert into customers (external_id)
       select distinct customer_ext from import_staging
       on conflict (external_id) do nothing
       returning 1)
     select count(*)::int as n from new`,
  );
  return created.n;
}

/**
 * Inserts the staged purchases that are not in `purchases` yet. Purchases with an order id are keyed
 * by it; the others by customer, time, amount and their occurrence among identical rows of the file.
 * `existing`: which rows of `purchases` to skip, by an anti-join on the key: "all" there, or only those
 * of "prior customers" (in `import_prior_customers`, see app/services/import/bulk.server.ts); or "on conflict" to
 * let the primary key skip them (also skips a key the file repeats: the first row in customer and time
 * order wins).
 */
export async function insertStagedPurchases(tx: BulkTx, existing: "all" | "prior customers" | "on conflict"): Promise<number> {
  // Prior customers joined inside the subquery, so that it stays one anti-join (a condition on the
  // outer row there would make it a per-row subplan).
  const prior = existing === "prior customers" ? ` join import_prior_customers x on x.customer_id = p.customer_id` : "";
  const antiJoin =
    existing === "on conflict" ? "" : `where not exists (select 1 from purchases p${prior} where p.customer_id = c.id and p.dedupe_key = k.dedupe_key)`;
  const [inserted] = await tx.query<{ n: number }>(
    `with tz as (select ${brandZone} as zone),
     timed as not materialized (
       select s.*, coalesce(s.at_zoned, s.at_local at time zone tz.zone) as purchased_at
         from import_staging s cross join tz),
     keyed as (
       select t.*, md5('o:' || t.order_id)::uuid as dedupe_key from timed t where t.order_id is not null
       union all
       select t.*, md5('k:' || t.customer_ext || '|' || to_char(t.purchased_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                      || '|' || t.amount::text || '|'
                      || row_number() over (partition by t.customer_ext, t.purchased_at, t.amount order by t.row_no))::uuid
         from timed t where t.order_id is null),
     ins as (
       insert into purchases (customer_id, purchased_at, amount, order_id, channel, store, staff, referral_code, dedupe_key)
       select c.id, k.purchased_at, k.amount, k.order_id, k.channel, k.store, k.staff, k.referral_code, k.dedupe_key
         from keyed k join customers c on c.external_id = k.customer_ext
        ${antiJoin}
        -- In customer order: the (customer_id, purchased_at) index grows in order and each customer's
        -- purchases sit together on disk, which the customer page and the refresh read.
        order by c.id, k.purchased_at
       ${existing === "on conflict" ? "on conflict (customer_id, dedupe_key) do nothing" : ""}
       returning 1)
     select count(*)::int as n from ins`,
  );
  return inserted.n;
}

export async function mergePurchases(tx: BulkTx) {
  const customersCreated = await createStagedCustomers(tx);
  // Imports of purchases take turns from here to the commit (pages still read the table): then the
  // rows already there are all that a staged row can collide with, and a plain anti-join finds them,
  // without ON CONFLICT's per-row speculative insertion. A key the file itself repeats makes the unique
  // index refuse the insert; then the ON CONFLICT statement runs instead.
  await tx.exec(`lock table purchases in share row exclusive mode`);
  let inserted: number;
  try {
    inserted = await tx.savepoint((sp) => insertStagedPurchases(sp, "all"));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    inserted = await insertStagedPurchases(tx, "on conflict");
  }
  return { inserted, customersCreated, updated: 0 };
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "23505";
}

export async function mergeCustomers(tx: BulkTx) {
  // The last row wins when a file names a customer twice; empty cells keep what is already known.
  const [updated] = await tx.query<{ n: number }>(
    `with latest as (
       select distinct on (customer_ext) * from import_staging order by customer_ext, row_no desc),
     src as (
       select l.customer_ext, l.email, l.name, l.locale, l.consent,
              coalesce(l.created_zoned, l.created_local at time zone ${brandZone}) as created_at
         from latest l),
     upd as (
       update customers c
          set email = coalesce(s.email, c.email), name = coalesce(s.name, c.name), locale = coalesce(s.locale, c.locale),
              marketing_consent = coalesce(s.consent, c.marketing_consent), created_at = coalesce(s.created_at, c.created_at)
         from src s
        where c.external_id = s.customer_ext
          and (c.email, c.name, c.locale, c.marketing_consent, c.created_at) is distinct from
              (coalesce(s.email, c.email), coalesce(s.name, c.name), coalesce(s.locale, c.locale),
               coalesce(s.consent, c.marketing_consent), coalesce(s.created_at, c.created_at))
       returning 1)
     select count(*)::int as n from upd`,
  );
  const [inserted] = await tx.query<{ n: number }>(
    `with latest as (
       select distinct on (customer_ext) * from import_staging order by customer_ext, row_no desc),
     ins as (
       insert into customers (external_id, email, name, locale, marketing_consent, created_at)
       select l.customer_ext, l.email, l.name, l.locale, coalesce(l.consent, false),
              coalesce(l.created_zoned, l.created_local at time zone ${brandZone}, now())
         from latest l
       on conflict (external_id) do nothing
       returning 1)
     select count(*)::int as n from ins`,
  );
  return { inserted: inserted.n, updated: updated.n, customersCreated: inserted.n };
}

