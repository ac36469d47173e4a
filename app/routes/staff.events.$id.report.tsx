// A town meeting after the event (issue 18): who was invited, confirmed, came, did not come, waited or
// declined, and the walk-ins; attendance by invitee type (table and a stacked bar) and by CPM segment at
// invitation; then the feedback survey: staff choose an open survey, the page says how many attendees
// with an email get the thank-you email, and only a post confirming that count sends it.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMounted } from "~/components/charts/use-mounted";
import { SegmentBadge } from "~/components/cpm/segment";
import { StatusBadge } from "~/components/events/event-bits";
import { Alert, Button, Card, EmptyState, PageHeader, StatCard, TableWrap } from "~/components/ui";
import { ConfirmPanel } from "~/components/ui/confirm";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { roleAllows } from "~/domain/roles";
import { attendees, type EventRow } from "~/models/events.server";
import { getSurvey, listSurveys } from "~/models/surveys.server";
import { feedbackSchema } from "~/schemas/events";
import { EventError, eventReport, sendFeedback, textIn } from "~/services/events.server";
import { eventWhen } from "~/services/events/form.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { idParam, pageNotFound } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

/** Whether the feedback survey may go out now (the service's own rule, said before anyone confirms). */
function feedbackPhase(event: Pick<EventRow, "status" | "endsAt">): "ready" | "event_not_held" | "event_not_over" {
  if (event.status === "cancelled" || event.status === "draft") return "event_not_held";
  if (event.endsAt.getTime() > Date.now() && event.status !== "done") return "event_not_over";
  return "ready";
}

/** Attendees the thank-you email reaches: checked in, with an address. */
async function feedbackReach(eventId: number) {
  return (await attendees(eventId)).filter((p) => p.email).length;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const id = idParam(params.id);
  const report = await eventReport(id);
  if (!report) throw pageNotFound(request);
  const locale = await getLocale(request);
  const { event, counts, byKind, bySegment } = report;
  const canSend = roleAllows(user.role, "staff");
  const surveys = await listSurveys();
  const sentSurvey = event.feedbackSurveyId ? surveys.find((s) => s.id === event.feedbackSurveyId) : undefined;
  const figures = (r: (typeof byKind)[number]) => ({
    key: r.key,
    invited: Number(r.invited),
    confirmed: Number(r.confirmed),
    checkedIn: Number(r.checked_in),
    noShow: Number(r.no_show),
    waitlisted: Number(r.waitlisted),
    declined: Number(r.declined),
    walkIns: Number(r.walk_ins),
  });
  return {
    canSend,
    event: { id: event.id, title: textIn(event, locale), when: eventWhen(event, locale), status: event.status },
    counts: {
      invited: counts.invited,
      confirmed: counts.confirmed,
      checkedIn: counts.checkedIn,
      noShows: byKind.reduce((n, r) => n + Number(r.no_show), 0),
      waitlisted: counts.waitlisted,
      declined: counts.declined,
      walkIns: counts.walkIns,
    },
    byKind: byKind.map(figures),
    bySegment: bySegment.map(figures),
    feedback: {
      phase: feedbackPhase(event),
      sentAt: event.feedbackSentAt?.toISOString() ?? null,
      surveyId: event.feedbackSurveyId,
      surveyTitle: sentSurvey ? textIn(sentSurvey.title, locale) : null,
      reach: canSend && !event.feedbackSentAt ? await feedbackReach(id) : null,
      openSurveys: surveys.filter((s) => s.status === "open").map((s) => ({ id: s.id, title: textIn(s.title, locale) || `#${s.id}` })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const id = idParam(params.id);
  const parsed = await parseForm(request, feedbackSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, confirm: null, error: null }, { status: 400 });
  const { surveyId, confirmed } = parsed.data;
  const report = await eventReport(id);
  if (!report) throw pageNotFound(request);
  const refuse = (key: string, status: number) => data({ fieldErrors: null, confirm: null, error: `events.errors.${key}` }, { status });
  // Refusals first, so nobody confirms a count for a send that cannot happen.
  const survey = await getSurvey(surveyId);
  if (!survey) return refuse("survey_not_found", 404);
  if (survey.status !== "open") return refuse("survey_not_open", 409);
  const phase = feedbackPhase(report.event);
  if (phase !== "ready") return refuse(phase, 409);
  const reach = await feedbackReach(id);
  if (reach === 0) return data({ fieldErrors: null, confirm: null, error: "eventDoor.report.nobody" }, { status: 400 });
  if (confirmed === undefined || confirmed !== reach) {
    const locale = await getLocale(request);
    return { fieldErrors: null, confirm: { surveyId, count: reach, surveyTitle: textIn(survey.title, locale) || `#${surveyId}` }, error: null };
  }
  try {
    const sent = await sendFeedback(id, surveyId);
    return redirect(`/staff/events/${id}/report?sent=${sent.emailed}`);
  } catch (error) {
    if (error instanceof EventError) return refuse(error.key, error.status);
    throw error;
  }
}

type Figures = ReturnType<typeof useLoaderData<typeof loader>>["byKind"][number];

export default function EventReport() {
  const { canSend, event, counts, byKind, bySegment, feedback } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const confirm = result?.confirm;
  const rate = (came: number, of: number) => (of > 0 ? f.percent(came / of) : "—");
  const sentNow = params.get("sent");
  return (
    <>
      <PageHeader
        title={t("eventDoor.report.title", { title: event.title })}
        subtitle={
          <span className="row gap">
            <StatusBadge status={event.status} /> <span>{event.when}</span>
          </span>
        }
        actions={
          <div className="row gap wrap">
            <Link className="button button-secondary" to={`/staff/events/${event.id}`}>
              {t("eventDoor.back")}
            </Link>
            <a className="button button-secondary" href={`/staff/events/${event.id}/export.csv`} download>
              {t("events.detail.export")}
            </a>
          </div>
        }
      />
      {sentNow !== null ? <Alert tone="success">{t("eventDoor.report.sentNow", { count: Number(sentNow) || 0 })}</Alert> : null}

      <div className="grid stats door-stats">
        <StatCard label={t("eventDoor.report.stats.invited")} value={f.number(counts.invited)} />
        <StatCard label={t("eventDoor.report.stats.confirmed")} value={f.number(counts.confirmed)} />
        <StatCard label={t("eventDoor.report.stats.checkedIn")} value={f.number(counts.checkedIn)} hint={counts.confirmed > 0 ? t("eventDoor.report.attendanceRate", { rate: rate(counts.checkedIn, counts.confirmed) }) : undefined} />
        <StatCard label={t("eventDoor.report.stats.noShows")} value={f.number(counts.noShows)} />
        <StatCard label={t("eventDoor.report.stats.waitlisted")} value={f.number(counts.waitlisted)} />
        <StatCard label={t("eventDoor.report.stats.declined")} value={f.number(counts.declined)} />
        <StatCard label={t("eventDoor.report.stats.walkIns")} value={f.number(counts.walkIns)} />
      </div>

      {counts.invited === 0 ? (
        <Card>
          <EmptyState title={t("eventDoor.report.empty")} />
        </Card>
      ) : (
        <>
          <Card title={t("eventDoor.report.chartTitle")}>
            <AttendanceChart rows={byKind} />
          </Card>
          <div className="grid two">
            <Card title={t("eventDoor.report.byKind")}>
              <FiguresTable label={t("eventDoor.report.byKind")} rows={byKind} group={(key) => (key ? t(`events.kinds.${key}`) : "—")} />
            </Card>
            <Card title={t("eventDoor.report.bySegment")}>
              <FiguresTable
                label={t("eventDoor.report.bySegment")}
                rows={bySegment}
                group={(key) => (key && cpmSegments.includes(key as CpmSegment) ? <SegmentBadge segment={key as CpmSegment} /> : t("eventDoor.report.noSegment"))}
              />
            </Card>
          </div>
        </>
      )}

      <Card title={t("eventDoor.report.feedbackTitle")}>
        <div className="stack">
          <p className="muted small">{t("eventDoor.report.feedbackHint")}</p>
          {feedback.sentAt ? (
            <p>
              {t("eventDoor.report.sent", { time: f.dateTime(feedback.sentAt), survey: feedback.surveyTitle ?? t("eventDoor.report.unknownSurvey") })}{" "}
              {feedback.surveyId && feedback.surveyTitle ? <Link to={`/staff/surveys/${feedback.surveyId}/results`}>{t("eventDoor.report.results")}</Link> : null}
            </p>
          ) : !canSend ? (
            <p className="muted">{t("eventDoor.report.viewerOnly")}</p>
          ) : feedback.phase === "event_not_held" ? (
            <p className="muted">{t("eventDoor.report.notHeld")}</p>
          ) : feedback.phase === "event_not_over" ? (
            <p className="muted">{t("eventDoor.report.notYet")}</p>
          ) : (
            <>
              {result?.error ? <Alert tone="error">{t(result.error)}</Alert> : null}
              {confirm ? (
                <ConfirmPanel
                  title={t("eventDoor.report.confirmTitle")}
                  intent="feedback"
                  fields={{ surveyId: confirm.surveyId, confirmed: confirm.count }}
                  confirmLabel={t("eventDoor.report.confirmSend", { count: confirm.count, formatted: f.number(confirm.count) })}
                  cancelLabel={t("common.cancel")}
                  cancelTo={`/staff/events/${event.id}/report`}
                  busy={busy}
                >
                  <p>{t("eventDoor.report.confirmBody", { count: confirm.count, formatted: f.number(confirm.count), survey: confirm.surveyTitle })}</p>
                </ConfirmPanel>
              ) : feedback.reach === 0 ? (
                <Alert tone="info">{t("eventDoor.report.nobody")}</Alert>
              ) : feedback.openSurveys.length === 0 ? (
                <p className="muted">
                  {t("eventDoor.report.noOpenSurvey")} <Link to="/staff/surveys">{t("eventDoor.report.toSurveys")}</Link>
                </p>
              ) : (
                <Form method="post" className="row gap wrap door-feedback-form">
                  <input type="hidden" name="intent" value="feedback" />
                  <div className={`field ${result?.fieldErrors?.surveyId ? "field-invalid" : ""}`}>
                    <label htmlFor="feedback-survey">{t("eventDoor.report.survey")}</label>
                    <select id="feedback-survey" name="surveyId" required defaultValue={feedback.openSurveys[0]!.id}>
                      {feedback.openSurveys.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.title}
                        </option>
                      ))}
                    </select>
                    {result?.fieldErrors?.surveyId ? <p className="field-error">{t(result.fieldErrors.surveyId)}</p> : null}
                  </div>
                  <Button type="submit" busy={busy} disabled={busy}>
                    {t("eventDoor.report.review")}
                  </Button>
                </Form>
              )}
            </>
          )}
        </div>
      </Card>
    </>
  );
}

function FiguresTable({ label, rows, group }: { label: string; rows: Figures[]; group: (key: string | null) => ReactNode }) {
  const { t } = useTranslation();
  const f = useFormat();
  const c = (key: string) => t(`eventDoor.report.columns.${key}`);
  return (
    <TableWrap label={label}>
      <table className="table">
        <thead>
          <tr>
            <th>{c("group")}</th>
            <th className="num">{c("invited")}</th>
            <th className="num">{c("confirmed")}</th>
            <th className="num">{c("checkedIn")}</th>
            <th className="num">{c("noShow")}</th>
            <th className="num">{c("rate")}</th>
            <th className="num">{c("waitlisted")}</th>
            <th className="num">{c("declined")}</th>
            <th className="num">{c("walkIns")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key ?? "none"}>
              <td>{group(r.key)}</td>
              <td className="num">{f.number(r.invited)}</td>
              <td className="num">{f.number(r.confirmed)}</td>
              <td className="num">{f.number(r.checkedIn)}</td>
              <td className="num">{f.number(r.noShow)}</td>
              <td className="num">{r.confirmed > 0 ? f.percent(r.checkedIn / r.confirmed) : "—"}</td>
              <td className="num">{f.number(r.waitlisted)}</td>
              <td className="num">{f.number(r.declined)}</td>
              <td className="num">{f.number(r.walkIns)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Checked in and no-shows per type as horizontal stacked bars; the figures in words for screen readers. */
function AttendanceChart({ rows }: { rows: Figures[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mounted = useMounted();
  const captionId = useId();
  const chartRows = rows.map((r) => ({ kind: r.key ? t(`events.kinds.${r.key}`) : "—", checkedIn: r.checkedIn, noShow: r.noShow }));
  const summary = chartRows.map((r) => t("eventDoor.report.chartSummary", { kind: r.kind, checkedIn: f.number(r.checkedIn), noShow: f.number(r.noShow) })).join("; ");
  const height = Math.max(140, 48 * chartRows.length + 70);
  return (
    <figure className="door-chart">
      {mounted ? (
        <div className="chart" role="img" aria-label={t("eventDoor.report.chartTitle")} aria-describedby={captionId}>
          <ResponsiveContainer width="100%" height={height}>
            <BarChart data={chartRows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
              <XAxis type="number" allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} />
              <YAxis type="category" dataKey="kind" width={110} tickLine={false} axisLine={false} fontSize={12} />
              <Tooltip formatter={(v: number) => f.number(v)} />
              <Legend />
              <Bar dataKey="checkedIn" name={t("eventDoor.report.legend.checkedIn")} stackId="a" fill="var(--success)" />
              <Bar dataKey="noShow" name={t("eventDoor.report.legend.noShow")} stackId="a" fill="var(--danger)" radius={[0, 4, 4, 0]} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <div className="chart-placeholder" style={{ height }} aria-hidden />
      )}
      <figcaption id={captionId} className="sr-only">
        {summary}
      </figcaption>
    </figure>
  );
}
