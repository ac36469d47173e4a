// One town meeting for staff (issue 18): when and where, seats against capacity, the answers, the
// invitee list in queue order (waitlist positions, notes, check-ins), and the moves of its life:
// publish (emails the invitations waiting), mark done, cancel (emails everyone holding or waiting for a
// seat). Each move that emails people or cannot be undone asks first, saying how many it touches.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { SeatsBar, StatusBadge } from "~/components/events/event-bits";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, StatCard, TableWrap } from "~/components/ui";
import { ConfirmPanel } from "~/components/ui/confirm";
import type { CpmSegment } from "~/domain/cpm";
import { roleAllows } from "~/domain/roles";
import type { InviteeListOptions } from "~/models/events.server";
import { eventStatusSchema } from "~/schemas/events";
import { cancellationReach, changeEventStatus, EventError, eventInvitees, eventOverview, publishEvent, textIn, venueOf } from "~/services/events.server";
import { eventInstant, eventWhen } from "~/services/events/form.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { idParam, pageNotFound } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

const answerFilters = ["confirmed", "waitlisted", "none", "declined", "cancelled", "checked_in"] as const;
const LIMIT = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const id = idParam(params.id);
  const overview = await eventOverview(id);
  if (!overview) throw pageNotFound(request);
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const status = answerFilters.find((s) => s === url.searchParams.get("status"));
  const q = url.searchParams.get("q")?.trim().slice(0, 100) ?? "";
  const rows = await eventInvitees(id, { status: status as InviteeListOptions["status"], q, limit: LIMIT });
  const { event, counts } = overview;
  // Waitlist positions: the list is in queue order (answer_seq), so they count up through the whole
  // waitlist when it is shown unsearched.
  const numbered = q === "" && (status === undefined || status === "waitlisted");
  let position = 0;
  return {
    canEdit: roleAllows(user.role, "staff"),
    event: {
      id: event.id,
      title: textIn(event, locale),
      description: textIn({ ja: event.descriptionJa, en: event.descriptionEn }, locale),
      agenda: textIn({ ja: event.agendaJa, en: event.agendaEn }, locale),
      when: eventWhen(event, locale),
      where: venueOf(event),
      deadline: eventInstant(event.rsvpDeadline ?? event.startsAt, event.timeZone, locale),
      status: event.status,
      capacity: event.capacity,
      companionsAllowed: event.companionsAllowed,
      cancelMessage: event.cancelMessage,
      over: event.endsAt.getTime() <= Date.now(),
    },
    counts,
    filter: { status: status ?? null, q },
    invitees: rows.map(({ invitee: i, checkedInByName }) => ({
      id: i.id,
      name: i.name,
      email: i.email,
      kind: i.kind,
      organisation: i.organisation,
      role: i.role,
      segment: i.cpmSegment,
      rsvp: i.rsvpStatus,
      seats: i.seats,
      notes: i.notes,
      position: numbered && i.rsvpStatus === "waitlisted" ? ++position : null,
      checkedIn: i.checkedInAt ? eventInstant(i.checkedInAt, event.timeZone, locale) : null,
      checkedInBy: checkedInByName,
      door: i.checkedInDoor,
      walkIn: i.source === "walk_in",
    })),
    more: rows.length === LIMIT,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const id = idParam(params.id);
  const parsed = await parseForm(request, eventStatusSchema);
  if (!parsed.ok) return data({ confirm: null, error: "not_found" }, { status: 400 });
  const { intent, message, confirmed } = parsed.data;
  try {
    const overview = await eventOverview(id);
    if (!overview) throw pageNotFound(request);
    const count = intent === "cancel" ? await cancellationReach(id) : intent === "publish" ? overview.counts.noAnswer : 0;
    if (confirmed === undefined || confirmed !== count) return { confirm: { intent, count, message }, error: null };
    if (intent === "publish") {
      const { emailed } = await publishEvent(id);
      return redirect(`/staff/events/${id}?published=${emailed}`);
    }
    const { emailed } = await changeEventStatus(id, intent, { message });
    return redirect(`/staff/events/${id}?${intent === "cancel" ? `cancelled=${emailed}` : "finished=1"}`);
  } catch (error) {
    if (error instanceof EventError) return data({ confirm: null, error: error.key }, { status: error.status });
    throw error;
  }
}

const answerTone = { confirmed: "success", waitlisted: "warning", declined: "neutral", cancelled: "neutral" } as const;

export default function EventPage() {
  const { canEdit, event, counts, filter, invitees, more } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const confirm = result?.confirm;
  const live = event.status === "draft" || event.status === "published";
  const notice = (key: string) => params.get(key);
  return (
    <>
      <PageHeader
        title={event.title}
        subtitle={
          <span className="row gap">
            <StatusBadge status={event.status} /> <span>{event.when}</span>
          </span>
        }
        actions={
          <div className="row gap wrap">
            {canEdit && live ? (
              <>
                <Link className="button button-secondary" to="edit">
                  {t("events.detail.edit")}
                </Link>
                {!event.over ? (
                  <Link className="button button-secondary" to="invite">
                    {t("events.detail.invite")}
                  </Link>
                ) : null}
              </>
            ) : null}
            {canEdit && event.status === "published" ? (
              <Link className="button button-primary" to="check-in">
                {t("events.detail.checkIn")}
              </Link>
            ) : null}
            <Link className="button button-secondary" to="report">
              {t("events.detail.report")}
            </Link>
            <a className="button button-secondary" href={`/staff/events/${event.id}/export.csv`} download>
              {t("events.detail.export")}
            </a>
          </div>
        }
      />
      {notice("created") ? <Alert tone="info">{t("events.detail.draftNotice")}</Alert> : null}
      {notice("saved") ? (
        <Alert tone="success">{Number(notice("promoted")) > 0 ? t("events.detail.savedPromoted", { count: Number(notice("promoted")) }) : t("events.detail.saved")}</Alert>
      ) : null}
      {notice("published") !== null ? <Alert tone="success">{t("events.detail.published", { count: Number(notice("published")) })}</Alert> : null}
      {notice("cancelled") !== null ? <Alert tone="success">{t("events.detail.cancelled", { count: Number(notice("cancelled")) })}</Alert> : null}
      {notice("finished") ? <Alert tone="success">{t("events.detail.finished")}</Alert> : null}
      {notice("invited") !== null ? <Alert tone="success">{t("events.detail.invitedNotice", { count: Number(notice("invited")) })}</Alert> : null}
      {result?.error ? <Alert tone="error">{t(`events.errors.${result.error}`)}</Alert> : null}
      {event.status === "draft" && !notice("created") ? <Alert tone="info">{t("events.detail.draftNotice")}</Alert> : null}

      {confirm ? <StatusConfirm confirm={confirm} busy={busy} eventId={event.id} /> : null}

      <div className="grid stats">
        <StatCard label={t("events.detail.stats.seats")} value={<SeatsBar taken={counts.seatsTaken} capacity={event.capacity} />} />
        <StatCard label={t("events.detail.stats.waitlisted")} value={f.number(counts.waitlisted)} />
        <StatCard label={t("events.detail.stats.invited")} value={f.number(counts.invited)} hint={`${t("events.detail.stats.noAnswer")}: ${f.number(counts.noAnswer)} · ${t("events.detail.stats.declined")}: ${f.number(counts.declined)}`} />
        <StatCard label={t("events.detail.stats.checkedIn")} value={f.number(counts.checkedIn)} />
      </div>

      <div className="grid two">
        <Card title={t("events.detail.where")}>
          <dl className="rsvp-facts">
            <dt>{t("events.detail.when")}</dt>
            <dd>{event.when}</dd>
            <dt>{t("events.detail.where")}</dt>
            <dd>{event.where}</dd>
            <dt>{t("events.detail.deadline")}</dt>
            <dd>{event.deadline}</dd>
            <dt>{t("events.form.capacity")}</dt>
            <dd>
              {f.number(event.capacity)} · {event.companionsAllowed > 0 ? t("events.detail.companions", { count: event.companionsAllowed }) : t("events.detail.noCompanions")}
            </dd>
          </dl>
          {event.description ? <p className="pre-line">{event.description}</p> : null}
          {event.agenda ? <p className="pre-line muted small">{event.agenda}</p> : null}
          {event.cancelMessage ? <blockquote className="join-message">{event.cancelMessage}</blockquote> : null}
        </Card>
        {canEdit && live && !confirm ? (
          <Card title={t("events.columns.status")}>
            <div className="stack">
              {event.status === "draft" ? (
                <Form method="post">
                  <Button type="submit" name="intent" value="publish" disabled={busy}>
                    {t("events.detail.publish")}
                  </Button>
                </Form>
              ) : (
                <Form method="post">
                  <Button type="submit" name="intent" value="finish" variant="secondary" disabled={busy}>
                    {t("events.detail.finish")}
                  </Button>
                </Form>
              )}
              <Form method="post" className="stack">
                <label className="field">
                  <span className="field-label">{t("events.detail.cancelMessage")}</span>
                  <textarea className="input" name="message" rows={2} maxLength={1000} />
                </label>
                <Button type="submit" name="intent" value="cancel" variant="danger" disabled={busy}>
                  {t("events.detail.cancel")}
                </Button>
              </Form>
            </div>
          </Card>
        ) : null}
      </div>

      <Card title={t("events.detail.invitees")}>
        <nav className="tabs" aria-label={t("events.detail.filter")}>
          <Link to={filter.q ? `?q=${encodeURIComponent(filter.q)}` : "?"} className={`tab ${filter.status ? "" : "active"}`} aria-current={filter.status ? undefined : "page"}>
            {t("events.detail.all")}
          </Link>
          {answerFilters.map((s) => (
            <Link key={s} to={`?status=${s}${filter.q ? `&q=${encodeURIComponent(filter.q)}` : ""}`} className={`tab ${filter.status === s ? "active" : ""}`} aria-current={filter.status === s ? "page" : undefined}>
              {t(`events.detail.answer.${s}`)}
            </Link>
          ))}
        </nav>
        <Form method="get" className="filters" role="search">
          {filter.status ? <input type="hidden" name="status" value={filter.status} /> : null}
          <label className="field-inline grow">
            <span className="sr-only">{t("events.detail.search")}</span>
            <input type="search" name="q" defaultValue={filter.q} placeholder={t("events.detail.search")} />
          </label>
          <Button type="submit" variant="secondary">
            {t("customers.search")}
          </Button>
        </Form>
        {invitees.length === 0 ? (
          counts.invited === 0 ? (
            <EmptyState title={t("events.detail.noInvitees")} body={t("events.detail.noInviteesBody")}>
              {canEdit && live && !event.over ? (
                <Link className="button button-primary" to="invite">
                  {t("events.detail.invite")}
                </Link>
              ) : null}
            </EmptyState>
          ) : (
            <p className="muted">{t("events.detail.noMatch")}</p>
          )
        ) : (
          <TableWrap label={t("events.detail.invitees")}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t("events.detail.name")}</th>
                  <th>{t("events.detail.kind")}</th>
                  <th>{t("events.columns.status")}</th>
                  <th className="num">{t("events.detail.seats")}</th>
                  <th>{t("events.detail.notes")}</th>
                </tr>
              </thead>
              <tbody>
                {invitees.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <strong>{i.name}</strong>
                      {i.organisation || i.role ? <div className="muted small">{[i.organisation, i.role].filter(Boolean).join(" · ")}</div> : null}
                      {i.email ? <div className="muted small break">{i.email}</div> : null}
                    </td>
                    <td>
                      <div>{t(`events.kinds.${i.kind}`)}</div>
                      {i.segment ? <SegmentBadge segment={i.segment as CpmSegment} /> : null}
                    </td>
                    <td>
                      {i.rsvp ? <Badge tone={answerTone[i.rsvp]}>{t(`events.detail.answer.${i.rsvp}`)}</Badge> : <span className="muted">{t("events.detail.answer.none")}</span>}
                      {i.position ? <div className="small">{t("events.detail.position", { position: i.position })}</div> : null}
                      {i.checkedIn ? (
                        <div className="small">
                          ✓ {t("events.detail.checkedInAt", { time: i.checkedIn })}
                          {i.checkedInBy || i.door ? ` (${[i.checkedInBy, i.door].filter(Boolean).join(", ")})` : ""}
                        </div>
                      ) : null}
                    </td>
                    <td className="num">{i.rsvp === "confirmed" || i.rsvp === "waitlisted" ? i.seats : "—"}</td>
                    <td className="small pre-line">{i.notes ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {more ? <p className="muted small">{t("events.detail.more", { count: LIMIT })}</p> : null}
      </Card>
    </>
  );
}

function StatusConfirm({ confirm, busy, eventId }: { confirm: { intent: "publish" | "finish" | "cancel"; count: number; message: string }; busy: boolean; eventId: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = { count: confirm.count, formatted: f.number(confirm.count) };
  const copy =
    confirm.intent === "publish"
      ? { title: t("events.detail.publishConfirmTitle"), body: t("events.detail.publishConfirmBody", n), label: t("events.detail.publishConfirm") }
      : confirm.intent === "cancel"
        ? { title: t("events.detail.cancelConfirmTitle"), body: t("events.detail.cancelConfirmBody", n), label: t("events.detail.cancelConfirm") }
        : { title: t("events.detail.finishConfirmTitle"), body: t("events.detail.finishConfirmBody"), label: t("events.detail.finishConfirm") };
  return (
    <ConfirmPanel
      title={copy.title}
      intent={confirm.intent}
      fields={{ confirmed: confirm.count, message: confirm.message }}
      confirmLabel={copy.label}
      cancelLabel={t("events.detail.keep")}
      cancelTo={`/staff/events/${eventId}`}
      busy={busy}
      danger={confirm.intent === "cancel"}
    >
      <p>{copy.body}</p>
      {confirm.intent === "cancel" && confirm.message ? <blockquote className="join-message">{confirm.message}</blockquote> : null}
    </ConfirmPanel>
  );
}
