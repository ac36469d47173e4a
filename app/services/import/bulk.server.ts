// The bulk way into `purchases`, for a large file into a table that is not larger than it (a first
// load, a migration of history). A bare COPY of the file into a table of text columns is the yardstick
// (bench/behaviour.ts); what a staged import adds to it — parsing every value again, an md5 per row,
// a join to customers, a sort and three index insertions per row — is done here in JavaScript, or
// once for the whole table:
//
// - JavaScript computes the instant of each purchase (the brand's UTC offset per day comes from the
//   database's own time-zone data, see ZoneOffsets) and encodes the rows in COPY's binary format;
// - it puts them in customer order through temporary files, resolving customers on the way (those
//   that exist, loaded at the start, keep their ids; new ones get the next ids of the sequence;
//   customers are locked against writes until the commit) and computing the dedupe keys
//   md5('o:' || order_id) (customer-order.server.ts);
// - it COPYs them straight into `purchases`, whose indexes (the primary key too, when no foreign key
//   needs it) are dropped for the duration and built at the end — pages that read purchases wait
//   until the commit. Building the primary key also proves that the file repeats no key; if it does,
//   the import starts again staged, where the first row wins as before. Many new customers: their
//   secondary indexes are built once at the end too.
//
// Rows it cannot place on its own go through the staged statements (import.server.ts) once the
// primary key is back: rows without an order id (their key needs the database's time-zone arithmetic
// and the occurrence among identical rows), rows of customers that already had purchases (they may be
// there already) and rows on days when the brand's zone changes its offset.
// IMPORT_DEBUG=1 prints where the time goes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import type { PurchaseInput } from "~/domain/import/rows";
import { timestampMicros, ZoneOffsets } from "./copy-binary.server";
import { CustomerIds } from "./customer-ids";
import { CustomerOrder } from "./customer-order.server";
import type { BulkTx } from "../../../db/bulk.server";
import { analyzeMerged, createStagedCustomers, insertStagedPurchases, isUniqueViolation, purchaseLine, type ValidRows } from "~/models/purchase-staging.server";
import {
  brandTimeZone,
  buildIndex,
  copyCustomersBinary,
  copyPurchasesBinary,
  droppableIndexes,
  dropIndex,
  eachCustomerIdBatch,
  lockCustomersExclusive,
  lockForBulkLoad,
  priorCustomers,
  reserveCustomerIds,
  setCustomerSequence,
  stagePurchaseText,
  tableRows,
  zoneOffsetChanges,
  type DroppableIndex,
} from "~/models/purchase-bulk.server";

/** Bulk is not possible after all (the file repeats a key, or names too many customers): import it staged. */
export class RetryStaged extends Error {}

export interface BulkDecision {
  estimatedRows: number | null;
}

/** Smaller files are cheaper staged than rebuilding the table's indexes. */
export const BULK_MIN_ROWS = 100_000;
/** Existing customers held in memory at most (about 30 bytes each); with more, files go staged. */
export const MAP_CAP = 4_000_000;

/** Bulk when the file holds at least BULK_MIN_ROWS rows and at least as many as `purchases`. */
export async function chooseBulk(tx: BulkTx, bytesTotal: number, sample: { bytes: number; lines: number }): Promise<BulkDecision | null> {
  const estimatedRows = estimateRows(bytesTotal, sample);
  if (estimatedRows === null || estimatedRows < BULK_MIN_ROWS) return null;
  if ((await tableRows(tx, "purchases")) > estimatedRows || (await tableRows(tx, "customers")) > MAP_CAP) return null;
  return { estimatedRows };
}

/** Rows in a file of `bytesTotal` bytes whose first `sample.bytes` held `sample.lines` lines. */
export function estimateRows(bytesTotal: number, sample: { bytes: number; lines: number }): number | null {
  if (sample.lines < 2 || sample.bytes <= 0) return null;
  return Math.round(bytesTotal / (sample.bytes / sample.lines));
}

const debug = process.env.IMPORT_DEBUG
  ? (label: string, t0: number) => console.error(`[bulk] ${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s`)
  : () => {};

async function rebuild(tx: BulkTx, indexes: DroppableIndex[]) {
  for (const index of indexes) {
    const t0 = performance.now();
    try {
      await buildIndex(tx, index);
    } catch (error) {
      if (isUniqueViolation(error)) throw new RetryStaged(`the file repeats a key of ${index.name}`);
      throw error;
    }
    debug(index.name, t0);
  }
}

export async function runBulkPurchases(
  tx: BulkTx,
  rows: AsyncGenerator<ValidRows<PurchaseInput>>,
  readDone: () => void,
  estimatedRows: number | null,
): Promise<{ inserted: number; customersCreated: number; updated: number }> {
  let t0 = performance.now();
  // Other imports, and anything else that writes customers, wait; so do readers of purchases (its
  // indexes are about to go).
  await lockForBulkLoad(tx);

  const customers = new CustomerIds(Math.max(1 << 16, await tableRows(tx, "customers")));
  await eachCustomerIdBatch(tx, (batch) => {
    for (const c of batch) customers.set(c.external_id, c.id);
  });
  const customersBefore = customers.size;
  // Customers that have purchases already: only their rows can be in the table (see insertStagedPurchases).
  const withPurchases = new Set(await priorCustomers(tx));
  // Customer ids: the next values of the sequence are ours (nobody else inserts until the commit).
  const firstCustomerId = await reserveCustomerIds(tx);
  const offsets = ZoneOffsets.fromChanges(await zoneOffsetChanges(tx, await brandTimeZone(tx)));
  const indexes = await droppableIndexes(tx, "purchases", true);
  for (const index of indexes) await dropIndex(tx, index);
  debug("prepare", t0);
  t0 = performance.now();

  const spool = new Spool();
  // Rows in customer order, customers resolved a part at a time (see customer-order.server.ts).
  const order = CustomerOrder.forRows(estimatedRows ?? 0);
  try {
    for await (const { rows: numbers, values } of rows) {
      for (let i = 0; i < values.length; i++) {
        const p = values[i];
        // Rows of customers that had purchases may be there already: those go staged, as do rows
        // without an order id and rows whose time the zone table does not settle.
        let fresh = true;
        if (withPurchases.size > 0) {
          const id = customers.get(p.customerExternalId);
          fresh = id === undefined || !withPurchases.has(id);
        }
        const micros = p.orderId !== null && fresh ? timestampMicros(p.purchasedAt.local, p.purchasedAt.offset, offsets) : null;
        if (micros === null) {
          spool.add(purchaseLine(numbers[i], p));
          continue;
        }
        const writer = order.writerFor(p.customerExternalId);
        writer.row(9);
        writer.int8(0); // the customer id: given in customer order
        writer.timestamptz(micros);
        writer.numeric(p.amount);
        writer.text(p.orderId);
        writer.text(p.channel);
        writer.text(p.store);
        writer.text(p.staff);
        writer.text(p.referralCode);
        writer.uuidBlank(); // md5('o:' || order_id), computed in customer order
        order.written();
      }
      await spool.flush(false);
    }
    await spool.flush(true);
    readDone();
    debug(`read (${order.rows} rows to sort by customer, ${spool.rows} set aside)`, t0);
    t0 = performance.now();
    const direct = order.rows;
    await copyPurchasesBinary(tx, order.sorted(customers, firstCustomerId));
    debug("copy purchases", t0);

    const newCustomers = order.newCustomers;
    const addCustomers = async () => {
      const t1 = performance.now();
      if (newCustomers === 0) return;
      // Many new customers: their indexes too are built once at the end (readers of customers wait from here).
      const rebuildCustomers = newCustomers >= BULK_MIN_ROWS && newCustomers >= customersBefore;
      const customerIndexes = rebuildCustomers ? await droppableIndexes(tx, "customers", false) : [];
      if (rebuildCustomers) await lockCustomersExclusive(tx);
      for (const index of customerIndexes) await dropIndex(tx, index);
      await copyCustomersBinary(tx, order.newCustomerRows());
      await setCustomerSequence(tx, firstCustomerId + newCustomers - 1);
      await rebuild(tx, customerIndexes);
      debug(`customers (${newCustomers} new)`, t1);
    };

    // The primary key first (it proves the COPY repeated no key): the rows set aside are compared with
    // the rows there through it.
    await rebuild(tx, indexes.filter((i) => i.primaryKey));
    const secondary = indexes.filter((i) => !i.primaryKey);
    let inserted = direct;
    let customersCreated = newCustomers;
    if (spool.rows > 0) {
      const t1 = performance.now();
      await addCustomers();
      await stagePurchaseText(tx, spool.read());
      customersCreated += await createStagedCustomers(tx);
      // Only rows that were there before the import can be skipped; those are all of customers that had
      // purchases then (the COPY took none of theirs). A key the file repeats violates the primary key.
      try {
        inserted += await insertStagedPurchases(tx, "prior customers");
      } catch (error) {
        if (isUniqueViolation(error)) throw new RetryStaged("the file repeats a key of purchases_pkey");
        throw error;
      }
      debug("rows set aside", t1);
      await rebuild(tx, secondary);
    } else {
      await rebuild(tx, secondary);
      await addCustomers();
    }
    t0 = performance.now();
    await analyzeMerged(tx, "purchases");
    debug("analyze", t0);
    return { inserted, customersCreated, updated: 0 };
  } finally {
    spool.remove();
    order.remove();
  }
}

/** Staging rows set aside while the direct COPY runs, in a temporary file. */
class Spool {
  rows = 0;
  private text = "";
  private file: string | null = null;
  private out: fs.WriteStream | null = null;

  add(line: string) {
    this.rows++;
    this.text += line;
  }

  async flush(end: boolean) {
    if (this.text.length >= 1 << 20 || (end && this.text.length > 0)) {
      if (!this.out) {
        this.file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-import-")), "spool.tsv");
        this.out = fs.createWriteStream(this.file);
      }
      const text = this.text;
      this.text = "";
      if (!this.out.write(text)) await once(this.out, "drain");
    }
    if (end && this.out) {
      this.out.end();
      await once(this.out, "close");
      this.out = null;
    }
  }

  /** The file in chunks that end at a line end (PGlite cuts its COPY input between chunks). */
  async *read(): AsyncGenerator<Buffer> {
    if (!this.file) return;
    let rest: Buffer = Buffer.alloc(0);
    for await (const chunk of fs.createReadStream(this.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const all = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      const cut = all.lastIndexOf(0x0a) + 1;
      rest = all.subarray(cut);
      if (cut > 0) yield all.subarray(0, cut);
    }
    if (rest.length > 0) yield rest;
  }

  remove() {
    this.out?.destroy();
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.file = null;
  }
}
