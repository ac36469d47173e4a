// Rows for `COPY ... FROM STDIN WITH (FORMAT binary)`: the database stores the values as they come,
// without parsing text (parsing timestamps, numerics and uuids was half the cost of a text COPY into
// `purchases`). Types written: int8, timestamptz, numeric, uuid, text.
//
// Stream layout (PostgreSQL docs, "COPY → Binary Format"): a header, then per row an int16 field count
// and each field as an int32 byte length (-1 for NULL) plus its bytes, then an int16 -1 trailer. The
// writer hands out whole rows only, so the chunks can be cut into several COPY statements (PGlite).
import { md5Into } from "~/services/import/md5";


const TWO_32 = 4_294_967_296;

export class BinaryRows {
  private buf: Buffer;
  private pos = 0;
  private rowStart = 0;
  private readonly full: number;

  constructor(chunkBytes = 1 << 20, slack = 64 << 10) {
    this.buf = Buffer.allocUnsafe(chunkBytes + slack);
    this.full = chunkBytes;
  }

  /** Starts a row of `fields` fields. Make sure there is room for it first (`room`). */
  row(fields: number) {
    this.rowStart = this.pos;
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
  }

  /** Grows the buffer if a row of up to `bytes` bytes would not fit. */
  room(bytes: number) {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes + (64 << 10)));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  null() {
    this.buf.writeInt32BE(-1, this.pos);
    this.pos += 4;
  }

  int8(v: number) {
    const b = this.buf;
    let at = this.pos;
    b[at] = 0;
    b[at + 1] = 0;
    b[at + 2] = 0;
    b[at + 3] = 8;
    const hi = Math.floor(v / TWO_32);
    const lo = v - hi * TWO_32;
    b[at + 4] = (hi >>> 24) & 0xff;
    b[at + 5] = (hi >>> 16) & 0xff;
    b[at + 6] = (hi >>> 8) & 0xff;
    b[at + 7] = hi & 0xff;
    b[at + 8] = (lo >>> 24) & 0xff;
    b[at + 9] = (lo >>> 16) & 0xff;
    b[at + 10] = (lo >>> 8) & 0xff;
    b[at + 11] = lo & 0xff;
    this.pos = at + 12;
  }

  /** Microseconds since 2000-01-01 UTC (exact as a double for years 1900–2100). */
  timestamptz(micros: number) {
    this.int8(micros);
  }

  /** Text as UTF-8 (or NULL). At most 3 bytes per UTF-16 unit: call `room` with that in mind. */
  text(v: string | null) {
    if (v === null) return this.null();
    const b = this.buf;
    const at = this.pos;
    const n = v.length;
    // Short ASCII (ids, codes) byte by byte: cheaper than a call into Buffer#write.
    if (n <= 32) {
      let i = 0;
      for (; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c > 0x7f) break;
        b[at + 4 + i] = c;
      }
      if (i === n) {
        b.writeInt32BE(n, at);
        this.pos = at + 4 + n;
        return;
      }
    }
    const bytes = b.write(v, at + 4, "utf8");
    b.writeInt32BE(bytes, at);
    this.pos = at + 4 + bytes;
  }

  /** A uuid of zeros, to be filled in later. */
  uuidBlank() {
    const b = this.buf;
    const at = this.pos;
    b.writeInt32BE(16, at);
    for (let i = at + 4; i < at + 20; i++) b[i] = 0;
    this.pos = at + 20;
  }

  /** md5(prefix + key) as a uuid. */
  uuidMd5(prefix: string, key: string) {
    this.buf.writeInt32BE(16, this.pos);
    md5Into(prefix, key, this.buf, this.pos + 4);
    this.pos += 20;
  }

  /**
   * A decimal as numeric: "-?digits(.digits)?" (the import's normalised amounts: at most 12 integer
   * digits and 2 decimals). Base-10000 digit groups aligned on the decimal point, without leading or
   * trailing zero groups; the column's numeric(14,2) type applies its scale on receipt, as for text.
   */
  numeric(decimal: string) {
    const n = decimal.length;
    const negative = decimal.charCodeAt(0) === 0x2d;
    let dot = decimal.indexOf(".");
    if (dot === -1) dot = n;
    const from = negative ? 1 : 0;
    // Up to 4 groups: three of the integer part (most significant first), one of the decimals.
    const groups = this.groups;
    let count = 0;
    let group = 0;
    let digitsInGroup = (dot - from) % 4 || 4;
    for (let i = from; i < dot; i++) {
      group = group * 10 + (decimal.charCodeAt(i) - 48);
      if (--digitsInGroup === 0) {
        groups[count++] = group;
        group = 0;
        digitsInGroup = 4;
      }
    }
    let weight = count - 1;
    const scale = dot < n ? n - dot - 1 : 0;
    if (scale > 0) {
      let f = 0;
      for (let i = 0; i < 4; i++) f = f * 10 + (dot + 1 + i < n ? decimal.charCodeAt(dot + 1 + i) - 48 : 0);
      groups[count++] = f;
    }
    let first = 0;
    while (first < count && groups[first] === 0) {
      first++;
      weight--;
    }
    let last = count;
    while (last > first && groups[last - 1] === 0) last--;
    const ndigits = last - first;
    const b = this.buf;
    const at = this.pos;
    b.writeInt32BE(8 + 2 * ndigits, at);
    b.writeInt16BE(ndigits, at + 4);
    b.writeInt16BE(ndigits === 0 ? 0 : weight, at + 6);
    b.writeUInt16BE(negative && ndigits > 0 ? 0x4000 : 0, at + 8);
    b.writeInt16BE(scale, at + 10);
    for (let i = 0; i < ndigits; i++) b.writeUInt16BE(groups[first + i], at + 12 + 2 * i);
    this.pos = at + 12 + 2 * ndigits;
  }
  private readonly groups = new Int32Array(8);

  /** A key ahead of a row, for the import's own use (not COPY format): uint16 byte length, UTF-8. */
  key(v: string) {
    const at = this.pos;
    const n = this.buf.write(v, at + 2, "utf8");
    this.buf.writeUInt16BE(n, at);
    this.pos = at + 2 + n;
  }

  /** Bytes copied as they are (whole rows from another writer). */
  raw(source: Buffer, at: number, length: number) {
    this.room(length);
    source.copy(this.buf, this.pos, at, at + length);
    this.pos += length;
  }

  /** Drops the row being written (nothing of it is handed out). */
  cancelRow() {
    this.pos = this.rowStart;
  }

  /** Hands the whole rows written so far to `sink` without copying them (at least chunkBytes, or any with `force`). */
  drain(sink: (bytes: Buffer) => void, force = false): void {
    if (this.pos === 0 || (!force && this.pos < this.full)) return;
    sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Whole rows written so far, once there are at least chunkBytes of them (or `force`); else null. */
  take(force = false): Buffer | null {
    if (this.pos === 0 || (!force && this.pos < this.full)) return null;
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

// ---- Time zones ---------------------------------------------------------------------------------

/**
 * The brand's UTC offset for local date-times, from the database's own time-zone data: per calendar
 * day from 1900 to 2100, the offset in seconds, or null for a day within two days of a change of
 * offset (DST, or a change of the zone's rules), where the database's handling of skipped and repeated
 * hours applies instead: rows on such days go through SQL.
 */
export class ZoneOffsets {
  static readonly FIRST_DAY = daysSince2000(1899, 12, 25);
  static readonly DAYS = daysSince2000(2101, 1, 8) - ZoneOffsets.FIRST_DAY;
  private static readonly UNSAFE = -0x7fffffff;

  private constructor(private readonly offsets: Int32Array) {}

  /**
   * From rows (day "YYYY-MM-DD", offset seconds at local noon) for the first day and every day the
   * offset changes: zoneOffsetChanges (app/models/purchase-bulk.server.ts) reads them from the database.
   */
  static fromChanges(changes: { day: string; offset: number }[]): ZoneOffsets {
    const offsets = new Int32Array(ZoneOffsets.DAYS);
    const index = (day: string) => daysSince2000(+day.slice(0, 4), +day.slice(5, 7), +day.slice(8, 10)) - ZoneOffsets.FIRST_DAY;
    const sorted = [...changes].sort((a, b) => index(a.day) - index(b.day));
    for (let k = 0; k < sorted.length; k++) {
      const from = Math.max(0, index(sorted[k].day));
      const to = k + 1 < sorted.length ? index(sorted[k + 1].day) : ZoneOffsets.DAYS;
      offsets.fill(sorted[k].offset, from, Math.min(to, ZoneOffsets.DAYS));
    }
    for (let k = 1; k < sorted.length; k++) {
      const at = index(sorted[k].day);
      offsets.fill(ZoneOffsets.UNSAFE, Math.max(0, at - 2), Math.min(ZoneOffsets.DAYS, at + 3));
    }
    // The ends of the table are not known well enough to be sure.
    offsets.fill(ZoneOffsets.UNSAFE, 0, 3);
    offsets.fill(ZoneOffsets.UNSAFE, ZoneOffsets.DAYS - 3);
    return new ZoneOffsets(offsets);
  }

  /** Offset in seconds for a local date, or null when rows of that day must go through SQL. */
  offsetFor(y: number, month: number, d: number): number | null {
    const i = daysSince2000(y, month, d) - ZoneOffsets.FIRST_DAY;
    if (i < 0 || i >= ZoneOffsets.DAYS) return null;
    const v = this.offsets[i];
    return v === ZoneOffsets.UNSAFE ? null : v;
  }
}

/**
 * Microseconds since 2000-01-01 UTC for a checked date-time ("YYYY-MM-DD HH:MM:SS[.ffffff]" and an
 * offset "Z" / "±HH:MM", or none: the zone's offset for that day), or null when the zone's offset for
 * that day is not certain (see ZoneOffsets).
 */
export function timestampMicros(local: string, offset: string | null, zone: ZoneOffsets): number | null {
  const y = num(local, 0, 4);
  const mo = num(local, 5, 2);
  const d = num(local, 8, 2);
  let offsetSeconds: number;
  if (offset === null) {
    const o = zone.offsetFor(y, mo, d);
    if (o === null) return null;
    offsetSeconds = o;
  } else if (offset === "Z") {
    offsetSeconds = 0;
  } else {
    offsetSeconds = (offset.charCodeAt(0) === 0x2d ? -1 : 1) * (num(offset, 1, 2) * 3600 + num(offset, 4, 2) * 60);
  }
  const seconds = daysSince2000(y, mo, d) * 86_400 + num(local, 11, 2) * 3600 + num(local, 14, 2) * 60 + num(local, 17, 2) - offsetSeconds;
  let fraction = 0;
  if (local.length > 20) {
    for (let i = 20; i < 26; i++) fraction = fraction * 10 + (i < local.length ? local.charCodeAt(i) - 48 : 0);
  }
  return seconds * 1_000_000 + fraction;
}

/** The decimal number written at s[from, from + length). */
function num(s: string, from: number, length: number): number {
  let v = 0;
  for (let i = from; i < from + length; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** Days from 2000-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysSince2000(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 - 10_957; // 719468: 0000-03-01 → 1970-01-01; 10957: 1970 → 2000
}
