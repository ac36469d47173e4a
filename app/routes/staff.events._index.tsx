// Town meetings for staff (issue 18): upcoming events first, then the past, each with its seats taken
// against capacity, waitlist and check-ins; staff create new ones.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SeatsBar, StatusBadge } from "~/components/events/event-bits";
import { EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { roleAllows } from "~/domain/roles";
import { listEvents, textIn, venueOf } from "~/services/events.server";
import { eventWhen } from "~/services/events/form.server";
import { requireRole } from "~/utils/auth.server";
import { getLocale } from "~/utils/locale.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const locale = await getLocale(request);
  const rows = await listEvents();
  return {
    canEdit: roleAllows(user.role, "staff"),
    events: rows.map((r) => ({
      id: r.event.id,
      title: textIn(r.event, locale),
      when: eventWhen(r.event, locale),
      where: venueOf(r.event),
      status: r.event.status,
      capacity: r.event.capacity,
      invited: r.invited,
      seatsTaken: r.seatsTaken,
      waitlisted: r.waitlisted,
      checkedIn: r.checkedIn,
    })),
  };
}

export default function Events() {
  const { canEdit, events } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <PageHeader
        title={t("events.title")}
        subtitle={t("events.subtitle")}
        actions={
          canEdit ? (
            <Link className="button button-primary" to="/staff/events/new">
              {t("events.new")}
            </Link>
          ) : null
        }
      />
      {events.length === 0 ? (
        <EmptyState title={t("events.emptyTitle")} body={t("events.emptyBody")} icon="◷">
          {canEdit ? (
            <Link className="button button-primary" to="/staff/events/new">
              {t("events.new")}
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <div className="card">
          <TableWrap label={t("events.title")}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t("events.columns.event")}</th>
                  <th>{t("events.columns.status")}</th>
                  <th>{t("events.columns.seats")}</th>
                  <th className="num">{t("events.columns.invited")}</th>
                  <th className="num">{t("events.columns.waitlist")}</th>
                  <th className="num">{t("events.columns.checkedIn")}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link to={`/staff/events/${e.id}`}>
                        <strong>{e.title}</strong>
                      </Link>
                      <div className="muted small">{e.when}</div>
                      <div className="muted small">{e.where}</div>
                    </td>
                    <td>
                      <StatusBadge status={e.status} />
                    </td>
                    <td className="event-seats-cell">
                      <SeatsBar taken={e.seatsTaken} capacity={e.capacity} />
                    </td>
                    <td className="num">{f.number(e.invited)}</td>
                    <td className="num">{f.number(e.waitlisted)}</td>
                    <td className="num">{f.number(e.checkedIn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      )}
    </>
  );
}
