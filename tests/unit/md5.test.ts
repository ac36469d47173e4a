// The import's MD5 must be MD5: compared with node:crypto on short, long, ASCII and non-ASCII input.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { md5BytesInto, md5Hex, md5Into } from "~/services/import/md5";

const reference = (s: string) => crypto.createHash("md5").update(s, "utf8").digest("hex");

describe("md5", () => {
  it("agrees with node:crypto", () => {
    const inputs = ["", "a", "o:O1", "o:" + "x".repeat(53), "o:" + "x".repeat(54), "o:注文１２３", "o:" + "漢".repeat(17), "o:" + "漢".repeat(18), "k:C1|2024-01-05T04:00:00.000000|1200.00|1"];
    for (let i = 0; i < 5000; i++) inputs.push(`o:O${i * 7919}`, "é".repeat(i % 40));
    const out = Buffer.alloc(16);
    for (const s of inputs) {
      expect(md5Hex(s)).toBe(reference(s));
      md5Into(s.slice(0, 2), s.slice(2), out, 0);
      expect(out.toString("hex")).toBe(reference(s));
      const bytes = Buffer.concat([Buffer.from("--"), Buffer.from(s.slice(2)), Buffer.from("++")]);
      md5BytesInto(Buffer.from(s.slice(0, 2)), bytes, 2, bytes.length - 2, out, 0);
      expect(out.toString("hex")).toBe(reference(s));
    }
  });
});
