// A new town meeting (issue 18): saved as a draft; invitations added to a draft go out on publishing.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { EventForm } from "~/components/events/event-form";
import { PageHeader } from "~/components/ui";
import { getBrandSettings } from "~/models/settings.server";
import { eventFormSchema } from "~/schemas/events";
import { createEvent, EventInputError } from "~/services/events.server";
import { eventInputFrom, fieldErrorsOf, localInput } from "~/services/events/form.server";
import { timeZones } from "~/services/events/time-zones.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "staff");
  const { timeZone } = await getBrandSettings();
  // A suggestion: four weeks from now at 18:30–20:30 local time, answers closing two days before.
  const day = new Date(Date.now() + 28 * 86_400_000);
  const date = localInput(day, timeZone).slice(0, 10);
  const deadline = localInput(new Date(day.getTime() - 2 * 86_400_000), timeZone).slice(0, 10);
  return {
    timeZones: timeZones(timeZone),
    defaults: {
      titleJa: "",
      titleEn: "",
      descriptionJa: "",
      descriptionEn: "",
      agendaJa: "",
      agendaEn: "",
      startsAt: `${date}T18:30`,
      endsAt: `${date}T20:30`,
      timeZone,
      venue: "",
      onlineUrl: "",
      capacity: 50,
      rsvpDeadline: `${deadline}T23:59`,
      companionsAllowed: 0,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const parsed = await parseForm(request, eventFormSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  try {
    const event = await createEvent(eventInputFrom(parsed.data), user.id);
    return redirect(`/staff/events/${event.id}?created=1`);
  } catch (error) {
    if (error instanceof EventInputError) return data({ fieldErrors: fieldErrorsOf(error) }, { status: 400 });
    throw error;
  }
}

export default function NewEvent() {
  const { timeZones, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("events.form.newTitle")} subtitle={t("events.form.subtitle")} />
      <EventForm defaults={defaults} timeZones={timeZones} serverErrors={result?.fieldErrors} busy={busy} submitLabel={t("events.form.create")} />
    </>
  );
}
