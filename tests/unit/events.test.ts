// Town meetings' rules (issue 18): input edges, every status move written out by hand, seat allocation
// and waitlist promotion under the strict "nobody passes" rule, the RSVP window, the ticket code format.
import { describe, expect, it } from "vitest";
import {
  allocate,
  checkEventInput,
  eventStatuses,
  eventStatusEvents,
  eventTransition,
  isTicketCode,
  MAX_COMPANIONS,
  promote,
  rsvpAllowed,
  seatsAllowed,
  ticketCodeFrom,
  waitlistPositions,
  type EventInput,
  type EventStatus,
  type EventStatusEvent,
  type Rsvp,
} from "~/domain/events";

const start = new Date("2026-12-10T09:00:00Z");
const end = new Date("2026-12-10T11:00:00Z");
const base: EventInput = {
  title: { ja: "タウンミーティング", en: "Town meeting" },
  startsAt: start,
  endsAt: end,
  timeZone: "Asia/Tokyo",
  capacity: 50,
  rsvpDeadline: new Date("2026-12-08T15:00:00Z"),
  companionsAllowed: 1,
};
const problems = (patch: Partial<EventInput>) => checkEventInput({ ...base, ...patch });

describe("checkEventInput", () => {
  it("accepts a sound event", () => {
    expect(checkEventInput(base)).toEqual([]);
    expect(problems({ rsvpDeadline: null, companionsAllowed: 0, capacity: 1, timeZone: "UTC" })).toEqual([]);
  });
  it("needs a title in at least one language", () => {
    expect(problems({ title: { ja: "", en: "Town meeting" } })).toEqual([]);
    expect(problems({ title: { ja: "会議", en: "" } })).toEqual([]);
    expect(problems({ title: { ja: "  ", en: "" } })).toEqual([{ field: "title", problem: "required" }]);
  });
  it("refuses an end before or equal to the start, one millisecond after is fine", () => {
    expect(problems({ endsAt: start })).toEqual([{ field: "endsAt", problem: "end_not_after_start" }]);
    expect(problems({ endsAt: new Date(start.getTime() - 1) })).toEqual([{ field: "endsAt", problem: "end_not_after_start" }]);
    expect(problems({ endsAt: new Date(start.getTime() + 1) })).toEqual([]);
    expect(problems({ startsAt: new Date("nope") })).toContainEqual({ field: "startsAt", problem: "invalid_date" });
  });
  it("needs a positive integer capacity", () => {
    for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(problems({ capacity })).toEqual([{ field: "capacity", problem: "not_positive_integer" }]);
    }
    expect(problems({ capacity: 1 })).toEqual([]);
  });
  it("refuses a deadline after the start, allows it at the start", () => {
    expect(problems({ rsvpDeadline: start })).toEqual([]);
    expect(problems({ rsvpDeadline: new Date(start.getTime() + 1) })).toEqual([{ field: "rsvpDeadline", problem: "deadline_after_start" }]);
  });
  it("bounds companions", () => {
    expect(problems({ companionsAllowed: -1 })).toEqual([{ field: "companionsAllowed", problem: "negative" }]);
    expect(problems({ companionsAllowed: 1.5 })).toEqual([{ field: "companionsAllowed", problem: "not_integer" }]);
    expect(problems({ companionsAllowed: MAX_COMPANIONS })).toEqual([]);
    expect(problems({ companionsAllowed: MAX_COMPANIONS + 1 })).toEqual([{ field: "companionsAllowed", problem: "too_many" }]);
  });
  it("needs a known IANA time zone", () => {
    for (const timeZone of ["", "Mars/Base", "JST+9"]) {
      expect(problems({ timeZone })).toEqual([{ field: "timeZone", problem: "invalid_time_zone" }]);
    }
    expect(problems({ timeZone: "Europe/Amsterdam" })).toEqual([]);
  });
  it("reports several problems at once", () => {
    expect(problems({ capacity: 0, endsAt: start, title: { ja: "", en: "" } }).map((p) => p.field).sort()).toEqual(["capacity", "endsAt", "title"]);
  });
});

describe("eventTransition", () => {
  // Written out by hand: [from, event] → next status or error.
  const table: Record<EventStatus, Record<EventStatusEvent, EventStatus | string>> = {
    draft: { publish: "published", finish: "!not_published", cancel: "cancelled" },
    published: { publish: "!already_published", finish: "done", cancel: "cancelled" },
    done: { publish: "!already_done", finish: "!already_done", cancel: "!already_done" },
    cancelled: { publish: "!already_cancelled", finish: "!already_cancelled", cancel: "!already_cancelled" },
  };
  for (const from of eventStatuses) {
    for (const event of eventStatusEvents) {
      const want = table[from][event];
      it(`${from} + ${event} → ${want}`, () => {
        expect(eventTransition(from, event)).toEqual(want.startsWith("!") ? { ok: false, error: want.slice(1) } : { ok: true, status: want });
      });
    }
  }
});

const t0 = Date.parse("2026-12-01T00:00:00Z");
const rsvp = (i: number, seats = 1, status: Rsvp["status"] = "waitlisted"): Rsvp => ({
  id: `r${i}`,
  seats,
  status,
  answeredAt: new Date(t0 + i * 1000),
});

describe("allocate", () => {
  it("200 answers for 50 seats: exactly 50 confirmed in answer order, 150 waitlisted at positions 1..150", () => {
    // Given shuffled: order comes from answeredAt, not from the array.
    const all = Array.from({ length: 200 }, (_, i) => rsvp(i)).reverse();
    const a = allocate(50, all);
    expect(a.confirmed).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    expect(a.waitlist).toHaveLength(150);
    expect(a.waitlist.map((w) => w.position)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(a.waitlist.map((w) => w.id)).toEqual(Array.from({ length: 150 }, (_, i) => `r${i + 50}`));
    expect(a.seatsTaken).toBe(50);
    expect(a.seatsLeft).toBe(0);
  });
  it("keeps the given order for equal answer instants", () => {
    const same = new Date(t0);
    const a = allocate(1, [
      { id: "b", seats: 1, status: "waitlisted", answeredAt: same },
      { id: "a", seats: 1, status: "waitlisted", answeredAt: same },
    ]);
    expect(a.confirmed).toEqual(["b"]);
    expect(a.waitlist).toEqual([{ id: "a", position: 1, seats: 1 }]);
  });
  it("leaves declined and cancelled answers out", () => {
    const a = allocate(2, [rsvp(0, 1, "declined"), rsvp(1, 1, "cancelled"), rsvp(2), rsvp(3), rsvp(4)]);
    expect(a.confirmed).toEqual(["r2", "r3"]);
    expect(a.waitlist.map((w) => w.id)).toEqual(["r4"]);
  });
  it("multi-seat requests: one who asks more than remains waits, and nobody later passes them", () => {
    // 5 seats: 2 + 2 taken, 1 left; r2 asks 2 → waits; r3 asks 1 (would fit) → waits behind r2.
    const a = allocate(5, [rsvp(0, 2), rsvp(1, 2), rsvp(2, 2), rsvp(3, 1)]);
    expect(a.confirmed).toEqual(["r0", "r1"]);
    expect(a.waitlist).toEqual([
      { id: "r2", position: 1, seats: 2 },
      { id: "r3", position: 2, seats: 1 },
    ]);
    expect(a.seatsLeft).toBe(1);
  });
  it("a request filling the last seats exactly is confirmed", () => {
    expect(allocate(4, [rsvp(0, 2), rsvp(1, 2)]).confirmed).toEqual(["r0", "r1"]);
  });
});

describe("promote", () => {
  const settled = (capacity: number, list: Rsvp[]) => {
    const a = allocate(capacity, list);
    return list.map((r) => (r.status === "declined" || r.status === "cancelled" ? r : { ...r, status: a.confirmed.includes(r.id) ? "confirmed" : "waitlisted" }) as Rsvp);
  };

  it("nothing moves while seats are full", () => {
    const list = settled(50, Array.from({ length: 200 }, (_, i) => rsvp(i)));
    expect(promote(50, list)).toEqual([]);
  });
  it("a cancellation moves up the first in line", () => {
    const list = settled(50, Array.from({ length: 200 }, (_, i) => rsvp(i)));
    list[7] = { ...list[7]!, status: "cancelled" };
    expect(promote(50, list)).toEqual(["r50"]);
  });
  it("capacity growth moves up in order", () => {
    const list = settled(50, Array.from({ length: 200 }, (_, i) => rsvp(i)));
    expect(promote(55, list)).toEqual(["r50", "r51", "r52", "r53", "r54"]);
  });
  it("multi-seat: the head moves only when it fits, then the next ones behind it", () => {
    // 5 seats: r0 (2) + r1 (2) confirmed; waitlist r2 (2), r3 (1).
    const list = settled(5, [rsvp(0, 2), rsvp(1, 2), rsvp(2, 2), rsvp(3, 1)]);
    expect(promote(5, list)).toEqual([]); // 1 seat left, r2 needs 2, r3 may not pass.
    const oneLeaves = list.map((r) => (r.id === "r0" ? { ...r, status: "cancelled" as const } : r));
    expect(promote(5, oneLeaves)).toEqual(["r2", "r3"]); // 3 seats: r2 (2) then r3 (1).
  });
  it("a single seat freed does not move a two-seat head", () => {
    const list = settled(2, [rsvp(0), rsvp(1), rsvp(2, 2), rsvp(3)]);
    const freed = list.map((r) => (r.id === "r0" ? { ...r, status: "cancelled" as const } : r));
    expect(promote(2, freed)).toEqual([]);
    const both = freed.map((r) => (r.id === "r1" ? { ...r, status: "declined" as const } : r));
    expect(promote(2, both)).toEqual(["r2"]);
  });
  it("never takes seats back when capacity shrinks", () => {
    const list = settled(5, Array.from({ length: 8 }, (_, i) => rsvp(i)));
    expect(promote(3, list)).toEqual([]);
  });
  it("waitlist positions follow answer order", () => {
    const list = settled(1, [rsvp(2), rsvp(0), rsvp(1)]);
    expect(waitlistPositions(list)).toEqual([
      { id: "r1", position: 1, seats: 1 },
      { id: "r2", position: 2, seats: 1 },
    ]);
  });
});

describe("seatsAllowed", () => {
  it("is 1 plus companions at most", () => {
    expect(seatsAllowed(1, 0)).toBe(true);
    expect(seatsAllowed(2, 0)).toBe(false);
    expect(seatsAllowed(3, 2)).toBe(true);
    expect(seatsAllowed(0, 2)).toBe(false);
    expect(seatsAllowed(1.5, 2)).toBe(false);
  });
});

describe("rsvpAllowed", () => {
  const deadline = new Date("2026-12-08T15:00:00Z");
  const published = { status: "published" as const, startsAt: start, endsAt: end, rsvpDeadline: deadline };
  const at = (d: Date, ms = 0) => new Date(d.getTime() + ms);

  it("open before the deadline", () => {
    expect(rsvpAllowed(published, at(deadline, -1))).toEqual({ canAnswer: true, canCancel: true, reason: null });
  });
  it("closed at and after the deadline, cancelling still allowed", () => {
    expect(rsvpAllowed(published, deadline)).toEqual({ canAnswer: false, canCancel: true, reason: "deadline_passed" });
    expect(rsvpAllowed(published, at(start, 1))).toEqual({ canAnswer: false, canCancel: true, reason: "deadline_passed" });
  });
  it("without a deadline, answers close at the start", () => {
    const noDeadline = { ...published, rsvpDeadline: null };
    expect(rsvpAllowed(noDeadline, at(start, -1)).canAnswer).toBe(true);
    expect(rsvpAllowed(noDeadline, start)).toEqual({ canAnswer: false, canCancel: true, reason: "deadline_passed" });
  });
  it("nothing after the end, or when done, cancelled or a draft", () => {
    expect(rsvpAllowed(published, end)).toEqual({ canAnswer: false, canCancel: false, reason: "event_over" });
    expect(rsvpAllowed({ ...published, status: "done" }, at(deadline, -1))).toEqual({ canAnswer: false, canCancel: false, reason: "event_done" });
    expect(rsvpAllowed({ ...published, status: "cancelled" }, at(deadline, -1))).toEqual({ canAnswer: false, canCancel: false, reason: "event_cancelled" });
    expect(rsvpAllowed({ ...published, status: "draft" }, at(deadline, -1))).toEqual({ canAnswer: false, canCancel: false, reason: "event_not_published" });
  });
});

describe("ticketCodeFrom", () => {
  it("is base64url of the bytes, 22 characters for 128 bits", () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const code = ticketCodeFrom(bytes);
    expect(code).toBe(Buffer.from(bytes).toString("base64url"));
    expect(code).toHaveLength(22);
    expect(isTicketCode(code)).toBe(true);
  });
  it("matches Node's base64url for every length and all byte values", () => {
    for (let n = 16; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31 + 255) & 255);
      expect(ticketCodeFrom(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
    }
    expect(ticketCodeFrom(new Uint8Array(16).fill(255))).toBe("_____________________w");
  });
  it("refuses fewer than 128 bits", () => {
    expect(() => ticketCodeFrom(new Uint8Array(15))).toThrow(RangeError);
  });
  it("isTicketCode rejects what no ticket looks like", () => {
    expect(isTicketCode("short")).toBe(false);
    expect(isTicketCode("a".repeat(21))).toBe(false);
    expect(isTicketCode("a+b/".repeat(6))).toBe(false);
  });
});
