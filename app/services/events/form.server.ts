// Between the event form (wall-clock times in the event's zone) and the service (instants). date-fns-tz
// does the zone arithmetic, daylight-saving gaps included, rather than hand-written offset guesses.
import { formatInTimeZone, fromZonedTime } from "date-fns-tz";
import type { EventRow } from "~/models/events.server";
import type { EventFormValues } from "~/schemas/events";
import type { EventFormInput, EventInputError } from "~/services/events.server";

const LOCAL = "yyyy-MM-dd'T'HH:mm";

export function eventInputFrom(v: EventFormValues): EventFormInput {
  const at = (local: string) => fromZonedTime(local, v.timeZone);
  return {
    title: { ja: v.titleJa, en: v.titleEn },
    description: { ja: v.descriptionJa, en: v.descriptionEn },
    agenda: { ja: v.agendaJa, en: v.agendaEn },
    startsAt: at(v.startsAt),
    endsAt: at(v.endsAt),
    timeZone: v.timeZone,
    venue: v.venue || null,
    onlineUrl: v.onlineUrl || null,
    capacity: v.capacity,
    rsvpDeadline: v.rsvpDeadline ? at(v.rsvpDeadline) : null,
    companionsAllowed: v.companionsAllowed,
  };
}

/** "2026-12-10T18:00" in the zone: the value of a datetime-local field. */
export const localInput = (at: Date, timeZone: string) => formatInTimeZone(at, timeZone, LOCAL);

export function eventFormValues(e: EventRow): EventFormValues {
  return {
    titleJa: e.titleJa,
    titleEn: e.titleEn,
    descriptionJa: e.descriptionJa,
    descriptionEn: e.descriptionEn,
    agendaJa: e.agendaJa,
    agendaEn: e.agendaEn,
    startsAt: localInput(e.startsAt, e.timeZone),
    endsAt: localInput(e.endsAt, e.timeZone),
    timeZone: e.timeZone,
    venue: e.venue ?? "",
    onlineUrl: e.onlineUrl ?? "",
    capacity: e.capacity,
    rsvpDeadline: e.rsvpDeadline ? localInput(e.rsvpDeadline, e.timeZone) : "",
    companionsAllowed: e.companionsAllowed,
  };
}

/** The service's refusals as the form's field errors (the same keys the schema uses). */
export function fieldErrorsOf(error: EventInputError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.field === "title" ? "titleJa" : issue.field;
    const key = issue.field === "title" ? "title_required" : issue.field === "venue" ? "venue_required" : issue.problem;
    out[field] ??= `events.errors.${key}`;
  }
  return out;
}

/** "Thursday, 10 December 2026, 18:00 – 20:00 (Asia/Tokyo)", in the event's zone, formatted on the server. */
export function eventWhen(e: Pick<EventRow, "startsAt" | "endsAt" | "timeZone">, locale: string): string {
  const format = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", { year: "numeric", month: "long", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: e.timeZone });
  return `${format.formatRange(e.startsAt, e.endsAt)} (${e.timeZone})`;
}

/** A single instant in the event's zone, e.g. the RSVP deadline. */
export function eventInstant(at: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
}
