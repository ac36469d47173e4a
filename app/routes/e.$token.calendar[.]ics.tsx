// The confirmed attendee's calendar file (issue 18): the event in UTC with its own zone named, built by
// app/services/events/ics.server.ts. Only a confirmed seat has one; anything else answers 404 or 410.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { rsvpForPage, textIn, venueOf } from "~/services/events.server";
import { eventIcs } from "~/services/events/ics.server";
import { publicUrl } from "~/utils/unsubscribe.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const page = await rsvpForPage(token);
  if (!page) throw new Response("Not found", { status: 404 });
  if (page.state === "expired" || page.event.status === "cancelled") throw new Response("Gone", { status: 410 });
  if (page.invitee.rsvpStatus !== "confirmed") throw new Response("No seat", { status: 404 });
  const locale = page.invitee.locale === "en" ? "en" : "ja";
  const { event } = page;
  const result = eventIcs({
    uid: `event-${event.id}-${page.invitee.id}@${new URL(publicUrl("")).host}`,
    title: textIn(event, locale),
    description: textIn({ ja: event.descriptionJa, en: event.descriptionEn }, locale),
    location: venueOf(event),
    url: publicUrl(`e/${token}`),
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timeZone: event.timeZone,
  });
  if (!result.ok) throw new Error(result.error);
  return new Response(result.ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="event.ics"',
      "Cache-Control": "private, no-store",
    },
  });
}
