// The calendar file attached to an event confirmation (DESIGN §6, issue 18). Times are written in
// UTC (DTSTART:…Z) so every calendar client converts them to its own zone correctly; the event's own
// time zone is named in the description's last line with the local start and end, for people reading it.
import { createEvent } from "ics";
import { isTimeZone } from "~/domain/events";

export interface EventIcsInput {
  /** Stable per event and attendee, e.g. "<event id>-<rsvp id>@<host>", so a resend updates the entry. */
  uid: string;
  title: string;
  description?: string;
  location?: string;
  url?: string;
  startsAt: Date;
  endsAt: Date;
  /** IANA zone the event is held in, e.g. "Asia/Tokyo". */
  timeZone: string;
  organizer?: { name?: string; email?: string };
}

export type EventIcsResult = { ok: true; ics: string } | { ok: false; error: string };

const validDate = (d: Date) => d instanceof Date && !Number.isNaN(d.getTime());

/** "2026-12-10 18:00" in the zone. */
function localTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The .ics text of one event, or a clear error (bad input, or what the ics package reported). */
export function eventIcs(input: EventIcsInput): EventIcsResult {
  if (!input.uid.trim()) return { ok: false, error: "ics: the event needs a uid" };
  if (!validDate(input.startsAt) || !validDate(input.endsAt)) return { ok: false, error: "ics: start or end is not a valid date" };
  if (input.endsAt.getTime() <= input.startsAt.getTime()) return { ok: false, error: "ics: the end must be after the start" };
  if (!isTimeZone(input.timeZone)) return { ok: false, error: `ics: unknown time zone "${input.timeZone}"` };

  const zoneLine = `${localTime(input.startsAt, input.timeZone)} – ${localTime(input.endsAt, input.timeZone)} (${input.timeZone})`;
  const description = input.description?.trim() ? `${input.description.trim()}\n\n${zoneLine}` : zoneLine;
  const organizer = input.organizer && (input.organizer.name || input.organizer.email) ? { ...input.organizer } : undefined;

  const { error, value } = createEvent({
    uid: input.uid,
    title: input.title,
    description,
    ...(input.location ? { location: input.location } : {}),
    ...(input.url ? { url: input.url } : {}),
    ...(organizer ? { organizer } : {}),
    start: input.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: input.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    status: "CONFIRMED",
    productId: "loyalty-portal/events",
  });
  if (error || !value) return { ok: false, error: `ics: ${error?.message ?? "no calendar file was produced"}` };
  return { ok: true, ics: foldOctets(value) };
}

/**
 * RFC 5545 §3.1: lines SHOULD be at most 75 octets. The ics package folds at 75 characters, which for
 * Japanese text is up to 225 octets; unfold and fold again by UTF-8 octets, never inside a character.
 */
export function foldOctets(ics: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  for (const line of ics.replace(/\r\n[ \t]/g, "").split("\r\n")) {
    let current = "";
    let size = 0;
    let limit = 75;
    for (const ch of line) {
      const n = encoder.encode(ch).length;
      if (size + n > limit) {
        out.push(current);
        current = " ";
        size = 1;
        limit = 75;
      }
      current += ch;
      size += n;
    }
    out.push(current);
  }
  return out.join("\r\n");
}
