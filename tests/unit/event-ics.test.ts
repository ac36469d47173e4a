// The confirmation's calendar file (issue 18): it parses as iCalendar, carries the right UTC instants
// for an event held in Asia/Tokyo, and the title, location and URL.
import { describe, expect, it } from "vitest";
import { eventIcs, type EventIcsInput } from "~/services/events/ics.server";

const input: EventIcsInput = {
  uid: "event-7-rsvp-42@portal.test",
  title: "Town meeting, Shibuya; burgers & feedback",
  description: "Agenda: menu, service, stores",
  location: "Shibuya store, 2F",
  url: "https://portal.test/e/ticket/abc",
  startsAt: new Date("2026-12-10T18:00:00+09:00"),
  endsAt: new Date("2026-12-10T20:30:00+09:00"),
  timeZone: "Asia/Tokyo",
  organizer: { name: "Brand team", email: "events@portal.test" },
};

/** Unfolds continuation lines (RFC 5545 §3.1) and reads NAME[;params]:value pairs of the VEVENT. */
function parse(ics: string): { lines: string[]; props: Map<string, string> } {
  expect(ics.endsWith("\r\n")).toBe(true);
  const lines = ics.replace(/\r\n[ \t]/g, "").split("\r\n").filter(Boolean);
  const props = new Map<string, string>();
  let inEvent = false;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") inEvent = true;
    else if (line === "END:VEVENT") inEvent = false;
    else if (inEvent) {
      const colon = line.indexOf(":");
      expect(colon).toBeGreaterThan(0);
      props.set(line.slice(0, colon).split(";")[0]!, line.slice(colon + 1));
    }
  }
  return { lines, props };
}
const unescape = (v: string) => v.replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1");

describe("eventIcs", () => {
  it("writes a well-formed calendar with the UTC instants of a Tokyo evening", () => {
    const result = eventIcs(input);
    if (!result.ok) throw new Error(result.error);
    const { lines, props } = parse(result.ics);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(lines).toContain("VERSION:2.0");
    expect(lines).toContain("DTSTART:20261210T090000Z");
    expect(lines).toContain("DTEND:20261210T113000Z");
    expect(props.get("UID")).toBe(input.uid);
    expect(unescape(props.get("SUMMARY")!)).toBe(input.title);
    expect(unescape(props.get("LOCATION")!)).toBe(input.location);
    expect(props.get("URL")).toBe(input.url);
    const description = unescape(props.get("DESCRIPTION")!);
    expect(description).toContain("Agenda: menu, service, stores");
    expect(description).toContain("2026-12-10 18:00 – 2026-12-10 20:30 (Asia/Tokyo)");
    expect([...props.keys()].find((k) => k === "ORGANIZER")).toBe("ORGANIZER");
    expect(result.ics.toLowerCase()).toContain("mailto:events@portal.test");
  });
  it("keeps lines within 75 octets", () => {
    const result = eventIcs({ ...input, description: "長い説明。".repeat(60) });
    if (!result.ok) throw new Error(result.error);
    for (const line of result.ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const { props } = parse(result.ics);
    expect(unescape(props.get("DESCRIPTION")!)).toContain("長い説明。".repeat(60));
  });
  it("needs no description, location or url", () => {
    const result = eventIcs({ uid: "u@x", title: "T", startsAt: input.startsAt, endsAt: input.endsAt, timeZone: "UTC" });
    if (!result.ok) throw new Error(result.error);
    expect(result.ics).toContain("DTSTART:20261210T090000Z");
    expect(result.ics).not.toContain("LOCATION");
  });
  it("returns a clear error for bad input", () => {
    expect(eventIcs({ ...input, endsAt: input.startsAt })).toEqual({ ok: false, error: "ics: the end must be after the start" });
    expect(eventIcs({ ...input, startsAt: new Date("x") })).toEqual({ ok: false, error: "ics: start or end is not a valid date" });
    expect(eventIcs({ ...input, timeZone: "Mars/Base" })).toEqual({ ok: false, error: 'ics: unknown time zone "Mars/Base"' });
    expect(eventIcs({ ...input, uid: " " })).toEqual({ ok: false, error: "ics: the event needs a uid" });
  });
});
