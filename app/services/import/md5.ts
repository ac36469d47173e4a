// MD5 of short strings, for purchase dedupe keys (`md5('o:' || order_id)::uuid`, as the database
// computes them). A key that fits one 64-byte block (up to 55 bytes of UTF-8: nearly all of them) is
// hashed by the unrolled rounds below, several times faster than node:crypto's per-call overhead;
// longer ones go to node:crypto. Checked against node:crypto and PostgreSQL's md5() in the tests.
import crypto from "node:crypto";
import os from "node:os";

const block = Buffer.alloc(64);
// The message words are little-endian; on a big-endian machine everything goes to node:crypto.
const words = os.endianness() === "LE" ? new Int32Array(block.buffer, block.byteOffset, 16) : null;

/** Writes the 16 bytes of md5(UTF-8 of `prefix + text`) into `out` at `offset`. */
export function md5Into(prefix: string, text: string, out: Uint8Array, offset: number): void {
  let length = -1;
  const p = prefix.length;
  if (words !== null && p + text.length <= 55) {
    let ascii = true;
    for (let i = 0; i < p; i++) {
      const c = prefix.charCodeAt(i);
      if (c > 0x7f) ascii = false;
      block[i] = c;
    }
    for (let i = 0; ascii && i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) ascii = false;
      block[p + i] = c;
    }
    if (ascii) length = p + text.length;
    else if (Buffer.byteLength(prefix + text, "utf8") <= 55) length = block.write(prefix + text, 0, "utf8");
  }
  if (length < 0 || words === null) {
    out.set(crypto.createHash("md5").update(prefix + text, "utf8").digest(), offset);
    return;
  }
  md5Block(length, out, offset);
}

/** Writes md5(prefix bytes + source[start, end)) into `out` at `offset`. */
export function md5BytesInto(prefix: Uint8Array, source: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void {
  const length = prefix.length + end - start;
  if (words === null || length > 55) {
    out.set(crypto.createHash("md5").update(prefix).update(source.subarray(start, end)).digest(), offset);
    return;
  }
  for (let i = 0; i < prefix.length; i++) block[i] = prefix[i];
  for (let i = start, j = prefix.length; i < end; i++, j++) block[j] = source[i];
  md5Block(length, out, offset);
}

/** md5 of the first `length` bytes of `block` (at most 55), into `out` at `offset`. */
function md5Block(length: number, out: Uint8Array, offset: number): void {
  const words_ = words!;
  block[length] = 0x80;
  block.fill(0, length + 1, 56);
  words_[14] = length * 8;
  words_[15] = 0;
  const w0 = words_[0], w1 = words_[1], w2 = words_[2], w3 = words_[3], w4 = words_[4], w5 = words_[5], w6 = words_[6], w7 = words_[7];
  const w8 = words_[8], w9 = words_[9], w10 = words_[10], w11 = words_[11], w12 = words_[12], w13 = words_[13], w14 = words_[14], w15 = words_[15];
  let a = 0x67452301 | 0;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476 | 0;
  let x: number;
  // prettier-ignore
  {
  x = (a + ((b & c) | (~b & d)) + -680876936 + w0) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + -389564586 + w1) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + 606105819 + w2) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + -1044525330 + w3) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + -176418897 + w4) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + 1200080426 + w5) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + -1473231341 + w6) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + -45705983 + w7) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 1770035416 + w8) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + -1958414417 + w9) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + -42063 + w10) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + -1990404162 + w11) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 1804603682 + w12) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + -40341101 + w13) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + -1502002290 + w14) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + 1236535329 + w15) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((d & b) | (~d & c)) + -165796510 + w1) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + -1069501632 + w6) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + 643717713 + w11) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + -373897302 + w0) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((d & b) | (~d & c)) + -701558691 + w5) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + 38016083 + w10) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + -660478335 + w15) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + -405537848 + w4) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((d & b) | (~d & c)) + 568446438 + w9) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + -1019803690 + w14) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + -187363961 + w3) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + 1163531501 + w8) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((d & b) | (~d & c)) + -1444681467 + w13) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + -51403784 + w2) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + 1735328473 + w7) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + -1926607734 + w12) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (b ^ c ^ d) + -378558 + w5) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + -2022574463 + w8) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 1839030562 + w11) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + -35309556 + w14) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + -1530992060 + w1) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 1272893353 + w4) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + -155497632 + w7) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + -1094730640 + w10) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + 681279174 + w13) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + -358537222 + w0) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + -722521979 + w3) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 76029189 + w6) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + -640364487 + w9) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + -421815835 + w12) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 530742520 + w15) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + -995338651 + w2) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (c ^ (b | ~d)) + -198630844 + w0) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 1126891415 + w7) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + -1416354905 + w14) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + -57434055 + w5) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 1700485571 + w12) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + -1894986606 + w3) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + -1051523 + w10) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + -2054922799 + w1) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 1873313359 + w8) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + -30611744 + w15) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + -1560198380 + w6) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 1309151649 + w13) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + -145523070 + w4) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + -1120210379 + w11) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 718787259 + w2) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + -343485551 + w9) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  }
  writeLE(out, offset, (a + 0x67452301) | 0);
  writeLE(out, offset + 4, (b + (0xefcdab89 | 0)) | 0);
  writeLE(out, offset + 8, (c + (0x98badcfe | 0)) | 0);
  writeLE(out, offset + 12, (d + 0x10325476) | 0);
}

function writeLE(out: Uint8Array, at: number, v: number) {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

/** md5 as 32 hex digits (what `md5()` returns in SQL). */
export function md5Hex(text: string): string {
  const out = Buffer.alloc(16);
  md5Into("", text, out, 0);
  return out.toString("hex");
}
