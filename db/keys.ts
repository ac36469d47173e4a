// Purchase de-duplication keys, shared by the demo seed (computed here) and the import (computed in
// SQL as md5(...)::uuid): the same purchase always gets the same key, so importing twice adds nothing.
import crypto from "node:crypto";

function md5Uuid(text: string) {
  const h = crypto.createHash("md5").update(text, "utf8").digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A purchase with an order id: the order id alone identifies it. */
export function orderKey(orderId: string) {
  return md5Uuid(`o:${orderId}`);
}
