import { describe, expect, it } from "vitest";
import { MAX_RECIPIENT_IDS, parseRecipientList, parseRecipientSelection } from "~/domain/survey/recipients";

describe("the send form's recipients", () => {
  it("reads a pasted list or file: one id per line or separated by commas, semicolons or spaces, each once", () => {
    expect(parseRecipientList("C1\nC2\r\nC3")).toEqual(["C1", "C2", "C3"]);
    expect(parseRecipientList("  C1 ,C2;;C1\n\tC3  C2 ")).toEqual(["C1", "C2", "C3"]);
    // A file saved with a byte-order mark: the mark is not part of the first id.
    expect(parseRecipientList("\uFEFFC1\nC2\n")).toEqual(["C1", "C2"]);
    expect(parseRecipientList(" \n,; ")).toEqual([]);
    // Ids are the brand's own: case and everything but the separators are kept.
    expect(parseRecipientList("c1 C1 顧客-7")).toEqual(["c1", "C1", "顧客-7"]);
  });

  it("takes everyone, a known CPM segment, or a list of one to 100,000 ids", () => {
    expect(parseRecipientSelection({ recipients: "all", segment: "loyal_active", list: "C1" })).toEqual({ kind: "all" });
    expect(parseRecipientSelection({ recipients: "segment", segment: "loyal_active" })).toEqual({ kind: "segment", segment: "loyal_active" });
    expect(parseRecipientSelection({ recipients: "list", list: "C2, C1, C2" })).toEqual({ kind: "list", externalIds: ["C2", "C1"] });
    const full = Array.from({ length: MAX_RECIPIENT_IDS }, (_, i) => `C${i}`);
    expect(parseRecipientSelection({ recipients: "list", list: full.join("\n") })).toEqual({ kind: "list", externalIds: full });
  });

  it("refuses an unknown segment, an empty or too long list, and an unknown choice", () => {
    expect(parseRecipientSelection({ recipients: "segment", segment: "vip" })).toBeNull();
    expect(parseRecipientSelection({ recipients: "segment", segment: null })).toBeNull();
    expect(parseRecipientSelection({ recipients: "list", list: " , \n" })).toBeNull();
    expect(parseRecipientSelection({ recipients: "list", list: null })).toBeNull();
    const tooMany = Array.from({ length: MAX_RECIPIENT_IDS + 1 }, (_, i) => `C${i}`).join(",");
    expect(parseRecipientSelection({ recipients: "list", list: tooMany })).toBeNull();
    expect(parseRecipientSelection({ recipients: "everyone" })).toBeNull();
    expect(parseRecipientSelection({ recipients: null })).toBeNull();
  });
});
