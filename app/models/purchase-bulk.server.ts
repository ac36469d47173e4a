// The statements of the bulk way into `purchases` (app/services/import/bulk.server.ts, which orders
// them and decides what a failure means): the size of the tables, their droppable indexes and the
// statements that drop and build them again, the locks, the customers already there, the customer
// sequence, the brand's zone and its offset changes, and the binary COPYs. Each runs in the import's
// bulk transaction (db/bulk.server.ts); the staging statements the bulk path shares with the staged way
// are in purchase-staging.server.ts.
import type { BulkTx } from "../../db/bulk.server";
import type { ColumnValue } from "../../db/columns";
import type { brandSettings, customers, purchases } from "../../db/schema";
import { purchaseStagingDdl } from "./purchase-staging.server";

export type BulkTable = "purchases" | "customers";

type CustomerId = ColumnValue<typeof customers.id>;

/** The planner's row count, or an exact count for a table never analysed. */
export async function tableRows(tx: BulkTx, table: BulkTable): Promise<number> {
  // pg_class.reltuples (float4, -1 before the first analyse), read as float8.
  const [{ n }] = await tx.query<{ n: number }>(`select reltuples::float8 as n from pg_class where oid = '${table}'::regclass`);
  if (n >= 0) return n;
  // count(*) is bigint: read as float8, exact for any table this size.
  const [{ exact }] = await tx.query<{ exact: number }>(`select count(*)::float8 as exact from ${table}`);
  return exact;
}

/** An index (or the primary key) dropped for a load and built again after it. */
export interface DroppableIndex {
  name: string;
  /** The statement that builds it again. */
  def: string;
  drop: string;
  primaryKey: boolean;
}

/** A table's indexes that can be dropped for a load and built again: secondary ones, and the primary key unless a foreign key needs it. */
export async function droppableIndexes(tx: BulkTx, table: BulkTable, withPrimaryKey: boolean): Promise<DroppableIndex[]> {
  // Catalog values: the index's name and pg_get_indexdef's CREATE INDEX statement.
  const indexes = await tx.query<{ name: string; def: string }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = '${table}'::regclass and not i.indisprimary
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by c.relname`,
  );
  const all: DroppableIndex[] = indexes.map((i) => ({ ...i, drop: `drop index ${quoteIdent(i.name)}`, primaryKey: false }));
  if (withPrimaryKey) {
    // Catalog values: the constraint's name and pg_get_constraintdef's "PRIMARY KEY (...)".
    const keys = await tx.query<{ name: string; def: string }>(
      `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
        where conrelid = '${table}'::regclass and contype = 'p'
          and not exists (select 1 from pg_constraint f where f.confrelid = '${table}'::regclass)`,
    );
    for (const k of keys) {
      all.unshift({
        name: k.name,
        def: `alter table ${table} add constraint ${quoteIdent(k.name)} ${k.def}`,
        drop: `alter table ${table} drop constraint ${quoteIdent(k.name)}`,
        primaryKey: true,
      });
    }
  }
  return all;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function dropIndex(tx: BulkTx, index: DroppableIndex) {
  await tx.exec(index.drop);
}

/** Builds the index again; a unique one the loaded rows break throws the database's unique violation (see isUniqueViolation). */
export async function buildIndex(tx: BulkTx, index: DroppableIndex) {
  await tx.exec(index.def);
}

/**
 * Locks for the load: other imports, and anything else that writes customers, wait; so do readers
 * of purchases (its indexes are about to go). On PostgreSQL, room to build the indexes again.
 */
export async function lockForBulkLoad(tx: BulkTx) {
  await tx.exec(`lock table purchases in access exclusive mode`);
  await tx.exec(`lock table customers in share row exclusive mode`);
  if (tx.kind === "postgres") await tx.exec(`set local maintenance_work_mem = '512MB'`);
}

/** Readers of customers wait too (its indexes are about to go). */
export async function lockCustomersExclusive(tx: BulkTx) {
  await tx.exec(`lock table customers in access exclusive mode`);
}

export interface CustomerIdRow {
  id: CustomerId;
  external_id: ColumnValue<typeof customers.externalId>;
}

/** Every customer's id and external id, in id order, handed to `each` 50,000 at a time. */
export async function eachCustomerIdBatch(tx: BulkTx, each: (batch: CustomerIdRow[]) => void) {
  for (let after = -1; ; ) {
    const batch = await tx.query<CustomerIdRow>(`select id::float8 as id, external_id from customers where id > $1 order by id limit 50000`, [after]);
    each(batch);
    if (batch.length < 50000) break;
    after = batch[batch.length - 1].id;
  }
}

/**
 * Customers that have purchases already, kept in the temporary table `import_prior_customers` (until
 * the commit) for insertStagedPurchases(tx, "prior customers"); returns their ids.
 */
export async function priorCustomers(tx: BulkTx): Promise<ColumnValue<typeof purchases.customerId>[]> {
  await tx.exec(`create temp table import_prior_customers on commit drop as select distinct customer_id from purchases`);
  const rows = await tx.query<{ id: ColumnValue<typeof purchases.customerId> }>(`select customer_id::float8 as id from import_prior_customers`);
  return rows.map((r) => r.id);
}

/** The next value of the customers' id sequence: it and those after it are the import's while nobody else inserts customers. */
export async function reserveCustomerIds(tx: BulkTx): Promise<CustomerId> {
  const [start] = await tx.query<{ customer: CustomerId }>(`select nextval(pg_get_serial_sequence('customers', 'id'))::float8 as customer`);
  return start.customer;
}

/** The sequence goes on after `last`, the last id the import gave. */
export async function setCustomerSequence(tx: BulkTx, last: CustomerId) {
  await tx.query(`select setval(pg_get_serial_sequence('customers', 'id'), $1)`, [last]);
}

export async function brandTimeZone(tx: BulkTx): Promise<ColumnValue<typeof brandSettings.timeZone>> {
  const [{ zone }] = await tx.query<{ zone: ColumnValue<typeof brandSettings.timeZone> }>(`select time_zone as zone from brand_settings where id = 1`);
  return zone;
}

/**
 * The zone's UTC offset at local noon (seconds) on 1899-12-25 and on every day it changes up to
 * 2101-01-07, from the database's own time-zone data (computed values): the input of
 * ZoneOffsets.fromChanges (app/services/import/copy-binary.server.ts).
 */
export async function zoneOffsetChanges(tx: BulkTx, zone: string): Promise<{ day: string; offset: number }[]> {
  return tx.query<{ day: string; offset: number }>(zoneOffsetChangesSql, [zone]);
}

const zoneOffsetChangesSql = `
    with days as (
      select d::date as day, d + interval '12 hours' as noon
        from generate_series(timestamp '1899-12-25', timestamp '2101-01-07', interval '1 day') d),
    offs as (
      select day, extract(epoch from noon - ((noon at time zone $1) at time zone 'UTC'))::int as "offset" from days)
    select to_char(day, 'YYYY-MM-DD') as day, "offset"
      from (select day, "offset", lag("offset") over (order by day) as prev from offs) o
     where prev is distinct from "offset"
     order by day`;

const PURCHASE_COLUMNS = "customer_id, purchased_at, amount, order_id, channel, store, staff, referral_code, dedupe_key";

/** Binary COPY rows (customer_id, purchased_at, amount, order_id, channel, store, staff, referral_code, dedupe_key) into purchases. */
export async function copyPurchasesBinary(tx: BulkTx, rows: AsyncIterable<Uint8Array>) {
  await tx.copyIn(`copy purchases (${PURCHASE_COLUMNS}) from stdin with (format binary)`, rows, "binary");
}

/** Binary COPY rows (id, external_id) into customers. */
export async function copyCustomersBinary(tx: BulkTx, rows: AsyncIterable<Uint8Array>) {
  await tx.copyIn(`copy customers (id, external_id) from stdin with (format binary)`, rows, "binary");
}

/** Creates the purchases' staging table and copies lines of staging text into it (purchaseLine's, in chunks that end at a line end). */
export async function stagePurchaseText(tx: BulkTx, lines: AsyncIterable<string | Uint8Array>) {
  await tx.exec(purchaseStagingDdl);
  await tx.copyIn(`copy import_staging from stdin`, lines, "text");
}
