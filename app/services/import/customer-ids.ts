// External customer id → customer id, in memory, for the bulk import. Ids of up to 12 characters
// between U+0001 and U+00FF (nearly all real ones, e.g. "C0498419") are packed into three int32s and
// kept in one open-addressing table of typed arrays: a lookup touches one 16-byte slot. A Map with
// string keys took ten times as long per lookup at a million customers (three dependent memory
// reads per lookup, on a machine where each costs hundreds of nanoseconds). Other ids go to a Map.

const EMPTY = 0;

export class CustomerIds {
  /** Per slot: three ints of packed key, then 1 + the index of the id in `ids` (0: empty). */
  private slots: Int32Array;
  private mask: number;
  private ids: Float64Array = new Float64Array(1 << 16);
  private packedCount = 0;
  private readonly other = new Map<string, number>();
  private k0 = 0;
  private k1 = 0;
  private k2 = 0;

  constructor(capacity = 1 << 16) {
    let slots = 1 << 10;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots * 4);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.packedCount + this.other.size;
  }

  /** Packs `key` into k0..k2; false when it does not fit. */
  private pack(key: string): boolean {
    const n = key.length;
    if (n === 0 || n > 12) return false;
    let a = 0;
    let b = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const ch = key.charCodeAt(i);
      if (ch === 0 || ch > 0xff) return false;
      if (i < 4) a |= ch << (8 * i);
      else if (i < 8) b |= ch << (8 * (i - 4));
      else c |= ch << (8 * (i - 8));
    }
    this.k0 = a;
    this.k1 = b;
    this.k2 = c;
    return true;
  }

  private home(): number {
    let h = Math.imul(this.k0 ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ this.k1 ^ (h >>> 15), 0xc2b2ae35);
    h = Math.imul(h ^ this.k2 ^ (h >>> 13), 0x27d4eb2f);
    return (h ^ (h >>> 16)) & this.mask;
  }

  get(key: string): number | undefined {
    if (!this.pack(key)) return this.other.get(key);
    const slots = this.slots;
    for (let slot = this.home(); ; slot = (slot + 1) & this.mask) {
      const p = slot * 4;
      const v = slots[p + 3];
      if (v === EMPTY) return undefined;
      if (slots[p] === this.k0 && slots[p + 1] === this.k1 && slots[p + 2] === this.k2) return this.ids[v - 1];
    }
  }

  /** Adds a key that is not there yet. */
  set(key: string, id: number): void {
    if (!this.pack(key)) {
      this.other.set(key, id);
      return;
    }
    if ((this.packedCount + 1) * 2 > this.mask + 1) {
      this.grow(); // uses k0..k2 itself
      this.pack(key);
    }
    if (this.packedCount === this.ids.length) {
      const bigger = new Float64Array(this.ids.length * 2);
      bigger.set(this.ids);
      this.ids = bigger;
    }
    this.ids[this.packedCount] = id;
    this.packedCount++;
    this.place(this.packedCount);
  }

  /** Puts k0..k2 with `ref` (1 + index in ids) into the first free slot of its probe sequence. */
  private place(ref: number) {
    const slots = this.slots;
    for (let slot = this.home(); ; slot = (slot + 1) & this.mask) {
      const p = slot * 4;
      if (slots[p + 3] === EMPTY) {
        slots[p] = this.k0;
        slots[p + 1] = this.k1;
        slots[p + 2] = this.k2;
        slots[p + 3] = ref;
        return;
      }
    }
  }

  private grow() {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length / 2 - 1;
    for (let p = 0; p < old.length; p += 4) {
      if (old[p + 3] === EMPTY) continue;
      this.k0 = old[p];
      this.k1 = old[p + 1];
      this.k2 = old[p + 2];
      this.place(old[p + 3]);
    }
  }
}
