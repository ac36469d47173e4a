// The bulk import's external sort: every row comes out once, in (customer, time) order for new
// customers, with its customer's id and its dedupe key filled in.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { CustomerIds } from "~/services/import/customer-ids";
import { CustomerOrder } from "~/services/import/customer-order.server";

const TWO_32 = 4_294_967_296;
const int8 = (b: Buffer, at: number) => b.readInt32BE(at) * TWO_32 + b.readUInt32BE(at + 4);

/** Rows of a COPY binary stream (no header): [customer, time, order id, dedupe key hex]. */
function rows(stream: Buffer) {
  const out: { customer: number; time: number; order: string; key: string }[] = [];
  for (let at = 0; at < stream.length; ) {
    const fields = stream.readInt16BE(at);
    let p = at + 2;
    const values: Buffer[] = [];
    for (let f = 0; f < fields; f++) {
      const n = stream.readInt32BE(p);
      values.push(stream.subarray(p + 4, p + 4 + Math.max(0, n)));
      p += 4 + Math.max(0, n);
    }
    out.push({ customer: int8(values[0], 0), time: int8(values[1], 0), order: values[3].toString(), key: values[8].toString("hex") });
    at = p;
  }
  return out;
}

describe("CustomerOrder", () => {
  it.each([
    ["one piece per part", 1 << 20],
    ["parts cut into pieces", 2048],
  ])("sorts by customer and time and resolves customers (%s)", async (_name, pieceBytes) => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const existing = new CustomerIds();
    existing.set("OLD7", 7); // existing customers keep their ids
    existing.set("OLD3", 3);
    const order = new CustomerOrder(4, pieceBytes);
    const written: { ext: string; time: number; order: string }[] = [];
    for (let i = 0; i < 5000; i++) {
      const ext = rand() < 0.1 ? `OLD${rand() < 0.5 ? 7 : 3}` : `C${Math.floor(rand() * 700)}${rand() < 0.05 ? "顧客" : ""}`;
      const time = Math.floor(rand() * 1e6) * 1e6;
      const w = order.writerFor(ext);
      w.row(9);
      w.int8(0);
      w.timestamptz(time);
      w.numeric("1");
      w.text(`O${i}`);
      w.text(null);
      w.text(i % 3 ? "S1" : null);
      w.text(null);
      w.text(null);
      w.uuidBlank();
      order.written();
      written.push({ ext, time, order: `O${i}` });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of order.sorted(existing, 50)) chunks.push(chunk);
    const out = rows(Buffer.concat(chunks));
    const customerRows: Buffer[] = [];
    for await (const chunk of order.newCustomerRows()) customerRows.push(chunk);
    order.remove();

    expect(out).toHaveLength(written.length);
    // Every row once, with its own key.
    expect(new Set(out.map((r) => r.order)).size).toBe(written.length);
    for (const r of out) expect(r.key).toBe(crypto.createHash("md5").update(`o:${r.order}`).digest("hex"));
    // Customers: existing ids kept; new ones numbered from 50 in the order they come out.
    const extOf = new Map(written.map((w) => [w.order, w.ext]));
    const idOf = new Map<string, number>();
    for (const r of out) {
      const ext = extOf.get(r.order)!;
      if (idOf.has(ext)) expect(r.customer).toBe(idOf.get(ext));
      idOf.set(ext, r.customer);
    }
    expect(idOf.get("OLD7")).toBe(7);
    expect(idOf.get("OLD3")).toBe(3);
    const newIds = [...idOf.entries()].filter(([ext]) => !ext.startsWith("OLD")).map(([, id]) => id);
    expect(newIds.sort((a, b) => a - b)).toEqual(newIds.map((_, i) => 50 + i));
    // New customers' rows: in (customer id, time) order.
    const fresh = out.filter((r) => r.customer >= 50);
    for (let i = 1; i < fresh.length; i++) {
      const a = fresh[i - 1];
      const b = fresh[i];
      expect(a.customer < b.customer || (a.customer === b.customer && a.time <= b.time)).toBe(true);
    }
    // Each customer's rows together.
    const seen = new Set<number>();
    for (let i = 0; i < out.length; i++) {
      if (i > 0 && out[i].customer !== out[i - 1].customer) {
        expect(seen.has(out[i].customer)).toBe(false);
        seen.add(out[i - 1].customer);
      }
    }
    // The new customers' rows (id, external id), in id order.
    const customers = rows2(Buffer.concat(customerRows));
    expect(customers.map((c) => c.id)).toEqual(newIds.map((_, i) => 50 + i));
    for (const c of customers) expect(idOf.get(c.ext)).toBe(c.id);
  });
});

function rows2(stream: Buffer) {
  const out: { id: number; ext: string }[] = [];
  for (let at = 0; at < stream.length; ) {
    const id = int8(stream, at + 6);
    const n = stream.readInt32BE(at + 14);
    out.push({ id, ext: stream.toString("utf8", at + 18, at + 18 + n) });
    at += 18 + n;
  }
  return out;
}
