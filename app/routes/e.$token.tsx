// An invitee's personal RSVP link to a town meeting (issue 18): the event in their language, attend or
// decline with seats and notes; a waitlist place with its position; the ticket with its QR code and a
// calendar file once confirmed; giving the place up (allowed after the deadline, until the event ends).
// An unknown token answers 404, a link past its time 410; a refusal (deadline, cancelled event, no more
// seats) is a clear message and changes nothing. Every answer redirects back here (303), so a reload
// never posts twice.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Alert, Badge, Button } from "~/components/ui";
import { BrandMark } from "~/components/verify";
import { resources } from "~/i18n";
import { getBrandSettings } from "~/models/settings.server";
import { rsvpCancelSchema, rsvpSchema } from "~/schemas/events";
import { answerRsvp, cancelRsvp, EventError, rsvpForPage, textIn, venueOf } from "~/services/events.server";
import { eventInstant, eventWhen } from "~/services/events/form.server";
import { ticketQrDataUrl } from "~/services/events/ticket-qr.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "title" in data && data.title ? data.title : resources.ja.common.events.rsvp.title },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = await rsvpForPage(params.token ?? "");
  const locale = await getLocale(request, page?.invitee.locale);
  const brand = (await getBrandSettings()).brandName;
  if (!page) return data({ locale, brand, state: "unknown" as const }, { status: 404 });
  if (page.state === "expired") return data({ locale, brand, state: "expired" as const }, { status: 410 });
  const { event, invitee, window } = page;
  const pick = (ja: string, en: string) => textIn({ ja, en }, locale);
  return {
    locale,
    brand,
    state: "ok" as const,
    title: textIn(event, locale),
    description: pick(event.descriptionJa, event.descriptionEn),
    agenda: pick(event.agendaJa, event.agendaEn),
    when: eventWhen(event, locale),
    where: venueOf(event),
    onlineUrl: event.onlineUrl,
    deadline: eventInstant(event.rsvpDeadline ?? event.startsAt, event.timeZone, locale),
    status: event.status,
    maxSeats: 1 + event.companionsAllowed,
    seatsLeft: page.seatsLeft,
    window,
    name: invitee.name,
    rsvp: invitee.rsvpStatus,
    seats: invitee.seats,
    notes: invitee.notes ?? "",
    position: page.position,
    ticketCode: invitee.rsvpStatus === "confirmed" ? invitee.ticketCode : null,
    ticketQr: invitee.rsvpStatus === "confirmed" && invitee.ticketCode ? await ticketQrDataUrl(invitee.ticketCode) : null,
    checkedIn: invitee.checkedInAt ? eventInstant(invitee.checkedInAt, event.timeZone, locale) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await readForm(request);
  try {
    if (form.get("intent") === "cancel") {
      const parsed = await parseForm(form, rsvpCancelSchema);
      if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, error: null, details: null }, { status: 400 });
      await cancelRsvp(token);
    } else {
      const parsed = await parseForm(form, rsvpSchema);
      if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, error: null, details: null }, { status: 400 });
      const { intent, seats, notes } = parsed.data;
      await answerRsvp(token, { attend: intent === "attend", seats: intent === "attend" ? seats : 1, notes: notes || null });
    }
  } catch (error) {
    if (error instanceof EventError) return data({ fieldErrors: null, error: error.key, details: error.details }, { status: error.status });
    throw error;
  }
  return redirect(`/e/${token}`, 303);
}

export default function Rsvp() {
  const page = useLoaderData<typeof loader>();
  const t = useTranslation().i18n.getFixedT(page.locale);
  return (
    <main className="auth-page" lang={page.locale}>
      <div className="auth-card join-card card stack">
        <BrandMark brand={page.brand} />
        {page.state === "unknown" ? (
          <>
            <h1>{t("events.rsvp.unknownTitle")}</h1>
            <p>{t("events.rsvp.unknownBody")}</p>
          </>
        ) : page.state === "expired" ? (
          <>
            <h1>{t("events.rsvp.expiredTitle")}</h1>
            <p>{t("events.rsvp.expiredBody")}</p>
          </>
        ) : (
          <RsvpBody page={page} />
        )}
      </div>
    </main>
  );
}

type OkPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { state: "ok" }>;

function RsvpBody({ page }: { page: OkPage }) {
  const t = useTranslation().i18n.getFixedT(page.locale);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const token = useParams().token ?? "";
  const held = page.rsvp === "confirmed" || page.rsvp === "waitlisted";
  const [editing, setEditing] = useState(!held && page.rsvp !== "declined");
  const showForm = page.window.canAnswer && (editing || !page.rsvp);
  return (
    <>
      <p className="muted">{t("events.rsvp.greeting", { name: page.name })}</p>
      <h1>{page.title}</h1>
      {page.status === "cancelled" ? <Alert tone="error">{t("events.rsvp.cancelledEvent")}</Alert> : null}
      <dl className="rsvp-facts">
        <dt>{t("events.rsvp.when")}</dt>
        <dd>{page.when}</dd>
        <dt>{t("events.rsvp.where")}</dt>
        <dd>
          {page.onlineUrl ? (
            <>
              {page.where.replace(page.onlineUrl, "").replace(/\s*\/\s*$/, "")}{" "}
              <a href={page.onlineUrl} rel="noreferrer" target="_blank">
                {page.onlineUrl}
              </a>
            </>
          ) : (
            page.where
          )}
        </dd>
      </dl>
      {page.description ? <p className="pre-line">{page.description}</p> : null}
      {page.agenda ? (
        <details className="join-terms">
          <summary>{t("events.rsvp.agenda")}</summary>
          <div className="join-terms-text">{page.agenda}</div>
        </details>
      ) : null}

      {result?.error ? <Alert tone="error">{t(`events.errors.${result.error}`, { ...(result.details ?? {}), defaultValue: t("events.errors.not_found") })}</Alert> : null}

      {page.checkedIn ? <Alert tone="success">{t("events.rsvp.checkedIn", { time: page.checkedIn })}</Alert> : null}
      {page.rsvp === "confirmed" ? (
        <section className="ticket stack" aria-labelledby="ticket-title">
          <Alert tone="success">{t("events.rsvp.confirmed")}</Alert>
          <h2 id="ticket-title" className="card-title">
            {t("events.rsvp.ticket")} <Badge tone="brand">{t("events.detail.seats")}: {page.seats}</Badge>
          </h2>
          {page.ticketQr ? <img className="ticket-qr" src={page.ticketQr} width={220} height={220} alt={t("events.rsvp.ticketCode")} /> : null}
          <p className="muted small">{t("events.rsvp.ticketHint")}</p>
          <p>
            {t("events.rsvp.ticketCode")}: <code className="ticket-code">{page.ticketCode}</code>
          </p>
          <a className="button button-secondary" href={`/e/${token}/calendar.ics`} download="event.ics">
            {t("events.rsvp.calendar")}
          </a>
        </section>
      ) : page.rsvp === "waitlisted" ? (
        <Alert tone="info">
          <strong>{t("events.rsvp.waitlisted", { position: page.position ?? "—" })}</strong> {t("events.rsvp.waitlistedBody")}
        </Alert>
      ) : page.rsvp === "declined" ? (
        <Alert tone="info">{t("events.rsvp.declined")}</Alert>
      ) : page.rsvp === "cancelled" ? (
        <Alert tone="info">{t("events.rsvp.cancelled")}</Alert>
      ) : null}

      {!page.window.canAnswer && page.window.reason && page.status !== "cancelled" ? <Alert tone="info">{t(`events.rsvp.closed.${page.window.reason}`)}</Alert> : null}

      {showForm ? (
        <AnswerForm page={page} busy={busy} fieldErrors={result?.fieldErrors ?? undefined} />
      ) : page.window.canAnswer ? (
        <Button type="button" variant="secondary" onClick={() => setEditing(true)}>
          {t("events.rsvp.change")}
        </Button>
      ) : null}

      {held && page.window.canCancel && !page.checkedIn ? (
        <Form
          method="post"
          onSubmit={(e) => {
            if (!window.confirm(t("events.rsvp.cancelConfirm"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="cancel" />
          <Button type="submit" variant="secondary" disabled={busy}>
            {t("events.rsvp.cancel")}
          </Button>
        </Form>
      ) : null}
    </>
  );
}

function AnswerForm({ page, busy, fieldErrors }: { page: OkPage; busy: boolean; fieldErrors?: Record<string, string> }) {
  const t = useTranslation().i18n.getFixedT(page.locale);
  const form = useZodForm(rsvpSchema, { defaultValues: { intent: "attend", seats: page.seats, notes: page.notes }, serverErrors: fieldErrors });
  const full = page.seatsLeft <= 0 && page.rsvp !== "confirmed";
  return (
    <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
      <p className="muted small">{t("events.rsvp.deadline", { date: page.deadline })}</p>
      {full ? <Alert tone="info">{t("events.rsvp.full")}</Alert> : <p className="small">{t("events.rsvp.seatsLeft", { count: page.seatsLeft })}</p>}
      <fieldset className="stack">
        <legend className="sr-only">{t("events.rsvp.title")}</legend>
        <label className="checkbox">
          <input type="radio" value="attend" {...form.register("intent")} /> {t("events.rsvp.attend")}
        </label>
        <label className="checkbox">
          <input type="radio" value="decline" {...form.register("intent")} /> {t("events.rsvp.decline")}
        </label>
      </fieldset>
      {page.maxSeats > 1 ? (
        <label className="field">
          <span className="field-label">{t("events.rsvp.seats")}</span>
          <select className="input" {...form.register("seats")}>
            {Array.from({ length: page.maxSeats }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <input type="hidden" value={1} {...form.register("seats")} />
      )}
      <label className="field">
        <span className="field-label">{t("events.rsvp.notes")}</span>
        <textarea className="input" rows={3} maxLength={500} {...form.register("notes")} />
        {form.errorFor("notes") ? <span className="field-error">{form.errorFor("notes")}</span> : null}
      </label>
      <Button type="submit" busy={busy} disabled={busy}>
        {t("events.rsvp.send")}
      </Button>
    </Form>
  );
}
