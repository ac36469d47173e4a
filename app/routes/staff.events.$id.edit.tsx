// Edit a town meeting (issue 18). A done or cancelled event is final; more seats move the waitlist up
// (and email those who moved), fewer take no seat away.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { EventForm } from "~/components/events/event-form";
import { Alert, PageHeader } from "~/components/ui";
import { eventFormSchema } from "~/schemas/events";
import { EventError, EventInputError, eventOverview, textIn, updateEvent } from "~/services/events.server";
import { eventFormValues, eventInputFrom, fieldErrorsOf } from "~/services/events/form.server";
import { timeZones } from "~/services/events/time-zones.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { idParam, pageNotFound } from "~/utils/params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "staff");
  const overview = await eventOverview(idParam(params.id));
  if (!overview) throw pageNotFound(request);
  const { event } = overview;
  return {
    id: event.id,
    title: textIn(event, await getLocale(request)),
    final: event.status === "done" ? "already_done" : event.status === "cancelled" ? "already_cancelled" : null,
    timeZones: timeZones(event.timeZone),
    defaults: eventFormValues(event),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const id = idParam(params.id);
  const parsed = await parseForm(request, eventFormSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, error: null }, { status: 400 });
  try {
    const { promoted } = await updateEvent(id, eventInputFrom(parsed.data));
    return redirect(`/staff/events/${id}?saved=1&promoted=${promoted}`);
  } catch (error) {
    if (error instanceof EventInputError) return data({ fieldErrors: fieldErrorsOf(error), error: null }, { status: 400 });
    if (error instanceof EventError) return data({ fieldErrors: null, error: error.key }, { status: error.status });
    throw error;
  }
}

export default function EditEvent() {
  const { title, final, timeZones, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("events.form.editTitle")} subtitle={title} />
      {result?.error ? <Alert tone="error">{t(`events.errors.${result.error}`)}</Alert> : null}
      {final ? (
        <Alert tone="info">{t(`events.errors.${final}`)}</Alert>
      ) : (
        <EventForm defaults={defaults} timeZones={timeZones} serverErrors={result?.fieldErrors ?? undefined} busy={busy} submitLabel={t("events.form.save")} />
      )}
    </>
  );
}
