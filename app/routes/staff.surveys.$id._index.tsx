// One survey: its status and the actions that move it (open, close, copy to a new version), live
// response counts overall and per CPM segment, the open link with its QR code, and sending.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { SurveyStatusBadge } from "~/components/survey-status";
import { Alert, Button, Card, PageHeader, StatCard, TableWrap } from "~/components/ui";
import { ConfirmPanel } from "~/components/ui/confirm";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { roleAllows } from "~/domain/roles";
import { parseRecipientSelection, recipientKinds } from "~/domain/survey/recipients";
import { candidateLists, quadrants } from "~/domain/loyalty";
import { sendStep } from "~/domain/survey/status";
import { copySurvey, getSurvey, invitationSummary, setSurveyStatus } from "~/models/surveys.server";
import { previewRecipients, responseCounts, sendProgress, startInvitations } from "~/services/survey-distribution.server";
import { openSurvey } from "~/services/survey-status.server";
import { readForm } from "~/utils/forms.server";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";
import { publicUrl } from "~/utils/unsubscribe.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const survey = await getSurvey(idParam(params.id));
  if (!survey) throw new Response("Not found", { status: 404 });
  return {
    survey: { id: survey.id, title: survey.title, status: survey.status, version: survey.version, questions: survey.questions.length, reminderDays: survey.reminderDays, linkDays: survey.linkDays },
    counts: await responseCounts(survey.id),
    // The latest send's progress, from its job's row; what sends have done, from the invitations.
    sending: await sendProgress(survey.id),
    invitations: await invitationSummary(survey.id),
    openUrl: publicUrl(`s/o/${survey.openToken}`),
    canEdit: roleAllows(user.role, "staff"),
  };
}

function confirmedCount(form: FormData): number | null {
  const value = form.get("confirmed");
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null;
}

/** The recipient choice as posted, to post again with the confirmation. */
function selectionFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ["recipients", "segment", "list", "quadrant", "shortlist"]) {
    const value = form.get(name);
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const id = idParam(params.id);
  const survey = await getSurvey(id);
  if (!survey) throw new Response("Not found", { status: 404 });
  const form = await readForm(request);
  const intent = form.get("intent");
  switch (intent) {
    case "open": {
      const opened = await openSurvey(survey);
      if ("error" in opened) return data({ error: opened.error }, { status: 400 });
      return { done: "surveys.messages.opened" };
    }
    case "close": {
      // Closing shuts out everyone invited who has not answered: say how many before doing it.
      const { invited, answered } = await invitationSummary(id);
      if (confirmedCount(form) !== invited - answered) return { confirmClose: { unanswered: invited - answered } };
      await setSurveyStatus(id, "closed");
      return { done: "surveys.messages.closed" };
    }
    case "copy": {
      const copy = await copySurvey(id, user.id);
      throw redirect(`/staff/surveys/${copy}/edit`);
    }
    case "preview":
    case "send": {
      const selection = parseRecipientSelection({
        recipients: form.get("recipients"),
        segment: form.get("segment"),
        list: form.get("list"),
        quadrant: form.get("quadrant"),
        shortlist: form.get("shortlist"),
      });
      if (!selection) return data({ error: "surveys.errors.recipients" }, { status: 400 });
      const preview = await previewRecipients(id, selection);
      if (intent === "preview") return { preview };
      const step = sendStep(survey, preview.eligible, confirmedCount(form));
      if ("refuse" in step) {
        // With nobody to invite, the preview says why (no e-mail, no consent, already invited).
        const why = step.refuse === "surveys.errors.nobodyToInvite" ? { preview } : {};
        return data({ error: step.refuse, ...why }, { status: step.status });
      }
      if ("confirm" in step) return { preview, confirmSend: { count: step.confirm, fields: selectionFields(form) } };
      await startInvitations(id, selection);
      return { started: true };
    }
    default:
      throw new Response("Unknown intent", { status: 400 });
  }
}

type ActionResult = {
  done?: string;
  error?: string;
  preview?: Awaited<ReturnType<typeof previewRecipients>>;
  started?: boolean;
  confirmSend?: { count: number; fields: Record<string, string> };
  confirmClose?: { unanswered: number };
};

export default function SurveyOverview() {
  const { survey, counts, openUrl, canEdit, sending, invitations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const revalidator = useRevalidator();
  // Counts update live while the survey is open; every second while invitations are going out.
  const running = sending?.status === "running";
  useEffect(() => {
    if (survey.status !== "open") return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), running ? 1_000 : 10_000);
    return () => clearInterval(timer);
  }, [survey.status, revalidator, running]);
  // A group handed over from the loyalty matrix or a candidate shortlist (?recipients=…) is preselected.
  const [params] = useSearchParams();
  const [recipients, setRecipients] = useState<string>(recipientKinds.find((k) => k === params.get("recipients")) ?? "all");
  const title = survey.title[i18n.language as "ja" | "en"] || survey.title.ja;
  const rate = (answered: number, invited: number) => (invited > 0 ? f.percent(answered / invited) : "—");

  return (
    <>
      <PageHeader
        title={title}
        subtitle={
          <span className="row gap">
            <Link to="/staff/surveys">← {t("surveys.title")}</Link> <SurveyStatusBadge status={survey.status} />
            {survey.version > 1 ? <span className="muted">v{survey.version}</span> : null}
          </span>
        }
        actions={
          <>
            <Link to={`/staff/surveys/${survey.id}/results`} className="button button-secondary">
              {t("surveys.results")}
            </Link>
            {canEdit ? (
              <Link to={`/staff/surveys/${survey.id}/import`} className="button button-secondary">
                {t("surveys.import.link")}
              </Link>
            ) : null}
            <Link to={`/staff/surveys/${survey.id}/edit`} className="button button-secondary">
              {canEdit ? t("surveys.edit") : t("surveys.view")}
            </Link>
            <a href={`/staff/surveys/${survey.id}/survey.json`} className="button button-secondary" download>
              {t("surveyFile.download")}
            </a>
            {canEdit ? (
              <Form method="post">
                {survey.status === "open" ? (
                  <Button type="submit" name="intent" value="close" variant="secondary" disabled={busy}>
                    {t("surveys.close")}
                  </Button>
                ) : (
                  <Button type="submit" name="intent" value="open" disabled={busy}>
                    {survey.status === "closed" ? t("surveys.reopen") : t("surveys.open")}
                  </Button>
                )}
              </Form>
            ) : null}
          </>
        }
      />
      {result?.done ? <Alert tone="success">{t(result.done)}</Alert> : null}
      {result?.error ? <Alert tone="error">{t(result.error)}</Alert> : null}
      {sending?.status === "running" ? (
        <div className="card" data-testid="send-progress">
          <p className="small">{t("surveys.sending", { invited: f.number(sending.invited), total: f.number(sending.total) })}</p>
          <div className="survey-progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={sending.total} aria-valuenow={sending.invited} aria-label={t("surveys.send")}>
            <span style={{ width: `${sending.total > 0 ? Math.min(100, Math.round((100 * sending.invited) / sending.total)) : 0}%` }} />
          </div>
        </div>
      ) : null}
      {/* How the send this user started ended: shown once, on this page view; later visits read the
          invitations' state from the database (the "last sent" line of the send card). */}
      {result?.started && sending?.status === "done" ? <Alert tone="success">{t("surveys.sent", { invited: f.number(sending.invited), suppressed: f.number(sending.suppressed) })}</Alert> : null}
      {result?.started && sending?.status === "failed" ? <Alert tone="error">{t("surveys.sendFailed", { error: sending.error })}</Alert> : null}
      {result?.confirmClose ? (
        <ConfirmPanel
          title={t("surveys.confirmClose.title")}
          intent="close"
          fields={{ confirmed: result.confirmClose.unanswered }}
          confirmLabel={t("surveys.confirmClose.confirm")}
          cancelLabel={t("common.cancel")}
          cancelTo={`/staff/surveys/${survey.id}`}
          busy={busy}
          danger
        >
          <p>{t("surveys.confirmClose.body", { count: result.confirmClose.unanswered, formatted: f.number(result.confirmClose.unanswered) })}</p>
        </ConfirmPanel>
      ) : null}

      <div className="grid four" data-testid="survey-counts">
        <StatCard label={t("surveys.invited")} value={f.number(counts.overall.invited)} />
        <StatCard label={t("surveys.openedCount")} value={f.number(counts.overall.opened)} hint={rate(counts.overall.opened, counts.overall.invited)} />
        <StatCard label={t("surveys.answeredByInvitation")} value={f.number(counts.overall.answered)} hint={t("surveys.openLinkAnswers", { count: counts.openLink })} />
        <StatCard label={t("surveys.responseRate")} value={rate(counts.overall.answered, counts.overall.invited)} hint={t("surveys.openLinkAnswers", { count: counts.openLink })} />
      </div>

      <div className="grid two">
        <Card title={t("surveys.bySegment")}>
          {counts.bySegment.length === 0 ? (
            <p className="muted">{t("surveys.noInvitations")}</p>
          ) : (
            <TableWrap label={t("surveys.bySegment")}>
              <table className="table">
                <thead>
                  <tr>
                    <th>{t("customers.segment")}</th>
                    <th className="num">{t("surveys.invited")}</th>
                    <th className="num">{t("surveys.answered")}</th>
                    <th className="num">{t("surveys.responseRate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {counts.bySegment.map((row) => (
                    <tr key={row.segment}>
                      <td>
                        <SegmentBadge segment={row.segment as CpmSegment} />
                      </td>
                      <td className="num">{f.number(row.invited)}</td>
                      <td className="num">{f.number(row.answered)}</td>
                      <td className="num">{rate(row.answered, row.invited)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </Card>
        <Card title={t("surveys.openLink")}>
          <p className="small muted">{t("surveys.openLinkHelp")}</p>
          <p className="mono small break">{openUrl}</p>
          <img src={`/staff/surveys/${survey.id}/qr.svg`} alt={t("surveys.qrAlt")} width={160} height={160} className="qr" />
          <p className="row gap small">
            <a href={`/staff/surveys/${survey.id}/qr.svg`} download>
              SVG
            </a>
            <a href={`/staff/surveys/${survey.id}/qr.png`} download>
              PNG
            </a>
          </p>
        </Card>
      </div>

      {canEdit ? (
        <Card title={t("surveys.send")}>
          {survey.status !== "open" ? <Alert>{t("surveys.openToSend")}</Alert> : null}
          {invitations.lastInvitedAt ? (
            <p className="small muted" data-testid="last-send">
              {t("surveys.lastSend", { invited: f.number(invitations.invited), date: f.dateTime(invitations.lastInvitedAt), reminded: f.number(invitations.reminded) })}
            </p>
          ) : null}
          <Form method="post" className="stack">
            <fieldset className="plain-fieldset choice-group">
              <legend className="small muted">{t("surveys.recipients")}</legend>
              {recipientKinds.map((kind) => (
                <label key={kind} className="field-inline">
                  <input type="radio" name="recipients" value={kind} checked={recipients === kind} onChange={() => setRecipients(kind)} />
                  {t(`surveys.recipientKinds.${kind}`)}
                </label>
              ))}
            </fieldset>
            {recipients === "segment" ? (
              <label className="field-inline">
                {t("customers.segment")}
                <select name="segment">
                  {cpmSegments.map((s) => (
                    <option key={s} value={s}>
                      {t(`cpm.segments.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {recipients === "quadrant" ? (
              <label className="field-inline">
                {t("loyalty.reactions.quadrant")}
                <select name="quadrant" defaultValue={params.get("quadrant") ?? undefined}>
                  {quadrants.map((q) => (
                    <option key={q} value={q}>
                      {t(`loyalty.quadrants.${q}`)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {recipients === "shortlist" ? (
              <label className="field-inline">
                {t("loyalty.handOff.shortlist")}
                <select name="shortlist" defaultValue={params.get("shortlist") ?? undefined}>
                  {candidateLists.map((l) => (
                    <option key={l} value={l}>
                      {t(`loyalty.handOff.lists.${l}`)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {recipients === "list" ? <RecipientList /> : null}
            <p className="small muted">{t("surveys.excluded")}</p>
            <div className="row gap">
              <Button type="submit" name="intent" value="preview" variant="secondary" disabled={busy}>
                {t("surveys.preview")}
              </Button>
              <Button type="submit" name="intent" value="send" disabled={busy || running || survey.status !== "open"}>
                {t("surveys.sendInvitations")}
              </Button>
            </div>
          </Form>
          {result?.confirmSend ? (
            <ConfirmPanel
              title={t("surveys.confirmSend.title")}
              intent="send"
              fields={{ ...result.confirmSend.fields, confirmed: result.confirmSend.count }}
              confirmLabel={t("surveys.confirmSend.confirm", { count: result.confirmSend.count, formatted: f.number(result.confirmSend.count) })}
              cancelLabel={t("common.cancel")}
              cancelTo={`/staff/surveys/${survey.id}`}
              busy={busy}
            >
              <p>{t("surveys.confirmSend.body", { count: result.confirmSend.count, formatted: f.number(result.confirmSend.count) })}</p>
            </ConfirmPanel>
          ) : null}
          {result?.preview ? (
            <div className="preview" data-testid="recipient-preview">
              <p>
                <strong>{t("surveys.willInvite", { count: result.preview.eligible })}</strong>
              </p>
              <ul className="plain-list small muted">
                <li>{t("surveys.selected", { count: result.preview.selected })}</li>
                <li>{t("surveys.noEmail", { count: result.preview.noEmail })}</li>
                <li>{t("surveys.noConsent", { count: result.preview.noConsent })}</li>
                <li>{t("surveys.alreadyInvited", { count: result.preview.alreadyInvited })}</li>
                {result.preview.unknownCount > 0 ? (
                  <li className="text-danger">{t("surveys.unknownIds", { count: result.preview.unknownCount, ids: result.preview.unknownIds.join(", ") })}</li>
                ) : null}
              </ul>
            </div>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}

/** Customer ids pasted, or read from an uploaded file (one per line or comma separated). */
function RecipientList() {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  return (
    <div className="stack">
      <label className="field">
        <span>{t("surveys.listLabel")}</span>
        <textarea name="list" rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder="C0001&#10;C0002" />
      </label>
      <label className="field-inline small">
        {t("surveys.listFile")}
        <input type="file" accept=".csv,.txt,text/plain,text/csv" onChange={(e) => void e.target.files?.[0]?.text().then((content) => setText(content))} />
      </label>
    </div>
  );
}
