// The packed table of customer ids must behave exactly like a Map.
import { describe, expect, it } from "vitest";
import { CustomerIds } from "~/services/import/customer-ids";

describe("CustomerIds", () => {
  it("answers like a Map for packed and unpacked keys, through growth", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ["C", "0", "1", "9", " ", "é", "ÿ", "顧", "\u0100", "-", "a"];
    const ids = new CustomerIds(4);
    const map = new Map<string, number>();
    for (let n = 0; n < 200_000; n++) {
      let key = "";
      const len = 1 + Math.floor(rand() * 14);
      for (let i = 0; i < len; i++) key += alphabet[Math.floor(rand() * (rand() < 0.9 ? 3 : alphabet.length))];
      expect(ids.get(key)).toBe(map.get(key));
      if (!map.has(key)) {
        const id = 1e12 + n; // beyond int32
        map.set(key, id);
        ids.set(key, id);
      }
    }
    expect(ids.size).toBe(map.size);
    for (const [k, v] of map) expect(ids.get(k)).toBe(v);
    // Many distinct ids of the usual shape, looked up again after every growth of the table.
    const usual = new CustomerIds(4);
    const key = (i: number) => `C${String(i).padStart(7, "0")}`;
    const wrong: number[] = [];
    for (let i = 0; i < 300_000; i++) {
      if (usual.get(key(i)) !== undefined) wrong.push(i);
      usual.set(key(i), i);
      if (usual.get(key(i)) !== i) wrong.push(i);
    }
    for (let i = 0; i < 300_000; i++) if (usual.get(key(i)) !== i) wrong.push(i);
    expect(wrong).toEqual([]);
    // Keys that differ only by what packing could confuse.
    for (const k of ["C1", "C1\u0001", "C10", "123456789012", "1234567890123", "ab\u0000"]) expect(ids.get(k)).toBe(map.get(k));
  });
});
