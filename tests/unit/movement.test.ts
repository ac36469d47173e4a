import { describe, expect, it } from "vitest";
import { movementDates, shiftMonths } from "~/domain/movement";

describe("the movement page's dates", () => {
  const tokyo = { asOf: null, timeZone: "Asia/Tokyo" };

  it("ends today in the brand's time zone, not in UTC, when no refresh fixed a date", () => {
    // 20:00 UTC on 31 March is 05:00 on 1 April in Tokyo, and still 13:00 on 31 March in Los Angeles.
    const now = new Date("2026-03-31T20:00:00Z");
    expect(movementDates({}, { ...tokyo, now })).toEqual({ from: "2026-01-01", to: "2026-04-01", error: null });
    expect(movementDates({}, { asOf: null, timeZone: "America/Los_Angeles", now })).toEqual({ from: "2025-12-31", to: "2026-03-31", error: null });
  });

  it("ends on the metrics' date when they were computed as of one", () => {
    expect(movementDates({}, { ...tokyo, asOf: "2026-06-30", now: new Date("2026-11-01T00:00:00Z") })).toEqual({ from: "2026-03-30", to: "2026-06-30", error: null });
  });

  it("takes the dates asked for, ignores malformed ones, and says when they are in the wrong order", () => {
    const context = { ...tokyo, asOf: "2026-06-30" };
    expect(movementDates({ from: "2026-01-15", to: "2026-02-15" }, context)).toEqual({ from: "2026-01-15", to: "2026-02-15", error: null });
    expect(movementDates({ from: "15/01/2026", to: "2026-13-45" }, context)).toEqual({ from: "2026-03-30", to: "2026-06-30", error: null });
    expect(movementDates({ from: "2026-05-01", to: "2026-01-01" }, context)).toEqual({ from: "2026-05-01", to: "2026-01-01", error: "cpm.movementOrder" });
    expect(movementDates({ from: "2026-05-01", to: "2026-05-01" }, context).error).toBe("cpm.movementOrder");
  });

  it("shifts by calendar months", () => {
    expect(shiftMonths("2026-04-01", -3)).toBe("2026-01-01");
    expect(shiftMonths("2026-01-15", -3)).toBe("2025-10-15");
    expect(shiftMonths("2026-05-31", -3)).toBe("2026-03-03");
  });
});
