// One member for staff (issue 17): profile and customer, status (pause, resume, make alumni),
// certificates with revoke (a reason) and reissue, activity and points with manual activity (a note;
// a double submit credits once), referrals and invitations: the full history.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { ActivityTable } from "~/components/verify";
import { useZodForm } from "~/components/form";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, StatCard, TableWrap, TextField } from "~/components/ui";
import { roleAllows } from "~/domain/roles";
import { getProgrammeSettings } from "~/models/programme.server";
import { manualActivitySchema, revokeSchema } from "~/schemas/programme";
import { addManualActivity, changeMemberStatus, memberRecord, ProgrammeError, reissueCertificate, revokeCertificate } from "~/services/programme.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { idParam } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const id = idParam(params.id);
  const record = await memberRecord(id);
  if (!record) throw new Response("Not found", { status: 404 });
  const settings = await getProgrammeSettings();
  return { canEdit: roleAllows(user.role, "staff"), record, manualPoints: settings.points.manual, formId: crypto.randomUUID() };
}

type Result = { done: string | null; error: string | null; fieldErrors: Record<string, string> | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const id = idParam(params.id);
  const form = await readForm(request);
  const intent = form.get("intent");
  const ok = (done: string): Result => ({ done, error: null, fieldErrors: null });
  try {
    if (intent === "pause" || intent === "resume" || intent === "leave") {
      await changeMemberStatus(id, intent, user.id);
      return ok(`ambassadors.done.${intent}`);
    }
    if (intent === "reissue") {
      await reissueCertificate(id, user.id);
      return ok("ambassadors.done.reissue");
    }
    if (intent === "revoke") {
      const parsed = await parseForm(form, revokeSchema);
      if (!parsed.ok) return data<Result>({ done: null, error: null, fieldErrors: parsed.fieldErrors }, { status: 400 });
      await revokeCertificate(id, parsed.data.reason, user.id);
      return ok("ambassadors.done.revoke");
    }
    if (intent === "activity") {
      const parsed = await parseForm(form, manualActivitySchema);
      if (!parsed.ok) return data<Result>({ done: null, error: null, fieldErrors: parsed.fieldErrors }, { status: 400 });
      const added = await addManualActivity({ memberId: id, note: parsed.data.note, points: parsed.data.points, formId: parsed.data.formId, staffUserId: user.id });
      return ok(added ? "ambassadors.done.activity" : "ambassadors.done.activityDuplicate");
    }
  } catch (error) {
    if (error instanceof ProgrammeError) return data<Result>({ done: null, error: `programme.errors.${error.key}`, fieldErrors: null }, { status: error.status });
    throw error;
  }
  return data<Result>({ done: null, error: "ambassadors.unknownAction", fieldErrors: null }, { status: 400 });
}

const certTone = { valid: "success", expired: "warning", revoked: "danger" } as const;

export default function AmbassadorMember() {
  const { canEdit, record, manualPoints, formId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const { member, customer } = record;
  const activityForm = useZodForm(manualActivitySchema, {
    defaultValues: { intent: "activity", note: "", points: manualPoints, formId },
    serverErrors: result?.fieldErrors ?? undefined,
  });
  const revokeForm = useZodForm(revokeSchema, { defaultValues: { intent: "revoke", reason: "" }, serverErrors: result?.fieldErrors ?? undefined });
  const current = record.certificates.find((c) => c.revokedAt === null);
  return (
    <>
      <PageHeader
        title={member.displayName}
        subtitle={
          <>
            <Link to="/staff/ambassadors">{t("ambassadors.title")}</Link> · {customer ? <Link to={`/staff/customers/${customer.id}`}>{customer.name ?? customer.externalId}</Link> : null}
          </>
        }
        actions={
          canEdit ? (
            <Form method="post" className="row gap">
              {member.status === "active" ? (
                <Button type="submit" name="intent" value="pause" variant="secondary" disabled={busy}>
                  {t("ambassadors.pause")}
                </Button>
              ) : null}
              {member.status === "paused" ? (
                <Button type="submit" name="intent" value="resume" variant="secondary" disabled={busy}>
                  {t("ambassadors.resume")}
                </Button>
              ) : null}
              {member.status !== "alumni" ? (
                <Button type="submit" name="intent" value="leave" variant="danger" disabled={busy}>
                  {t("ambassadors.makeAlumni")}
                </Button>
              ) : null}
            </Form>
          ) : null
        }
      />
      {result?.done ? <Alert tone="success">{t(result.done)}</Alert> : null}
      {result?.error ? <Alert tone="error">{t(result.error)}</Alert> : null}
      <div className="grid stats">
        <StatCard label={t("ambassadors.status")} value={t(`ambassadors.statuses.${member.status}`)} hint={t("ambassadors.joined", { date: f.date(member.joinedAt) })} />
        <StatCard label={t("ambassadors.points")} value={f.number(member.points)} />
        <StatCard label={t("ambassadors.referrals")} value={f.number(record.referrals.referrals)} hint={t("ambassadors.referralRevenue", { amount: f.money(record.referrals.revenue) })} />
        <StatCard label={t("ambassadors.referralCode")} value={<code>{member.referralCode}</code>} hint={customer?.cpmSegment ? <SegmentBadge segment={customer.cpmSegment} /> : undefined} />
      </div>
      <div className="grid two">
        <Card title={t("ambassadors.certificates")}>
          {record.certificates.length === 0 ? (
            <EmptyState title={t("ambassadors.noCertificate")} />
          ) : (
            <TableWrap label={t("ambassadors.certificates")}>
              <table className="table">
                <thead>
                  <tr>
                    <th>{t("verify.code")}</th>
                    <th>{t("ambassadors.status")}</th>
                    <th>{t("verify.issued")}</th>
                    <th>{t("verify.expires")}</th>
                  </tr>
                </thead>
                <tbody>
                  {record.certificates.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/verify/${c.code}`}>
                          <code>{c.code}</code>
                        </Link>
                      </td>
                      <td>
                        <Badge tone={certTone[c.status]}>{t(`verify.status.${c.status}`)}</Badge>
                        {c.revokedAt ? <div className="muted small">{t("ambassadors.revokedOn", { date: f.date(c.revokedAt), reason: c.revokeReason ?? "" })}</div> : null}
                      </td>
                      <td>{f.date(c.issuedAt)}</td>
                      <td>{c.expiresAt ? f.date(c.expiresAt) : t("verify.noExpiry")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {canEdit && member.status !== "alumni" ? (
            <div className="stack">
              {current ? (
                <Form method="post" className="stack" noValidate onSubmit={revokeForm.onSubmit}>
                  <input type="hidden" name="intent" value="revoke" />
                  <TextField label={t("ambassadors.revokeReason")} {...revokeForm.register("reason")} error={revokeForm.errorFor("reason")} />
                  <Button type="submit" variant="danger" disabled={busy}>
                    {t("ambassadors.revoke")}
                  </Button>
                </Form>
              ) : null}
              <Form method="post">
                <Button type="submit" name="intent" value="reissue" variant="secondary" disabled={busy}>
                  {t("ambassadors.reissue")}
                </Button>
              </Form>
            </div>
          ) : null}
        </Card>
        <Card title={t("ambassadors.invitations")}>
          {record.invitations.length === 0 ? (
            <EmptyState title={t("ambassadors.noInvitations")} />
          ) : (
            <ul className="plain-list">
              {record.invitations.map((i) => (
                <li key={i.id}>
                  {f.date(i.sentAt)} · <Badge>{t(`ambassadors.invitationStatuses.${i.status}`)}</Badge>
                  {i.cpmSegment ? (
                    <>
                      {" "}
                      <SegmentBadge segment={i.cpmSegment} />
                    </>
                  ) : null}
                  {i.quadrant ? <span className="muted small"> {t(`candidates.quadrants.${i.quadrant}`)}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title={t("ambassadors.activity")}>
        {canEdit && member.status !== "alumni" ? (
          <Form method="post" className="form-grid" noValidate onSubmit={activityForm.onSubmit}>
            <input type="hidden" name="intent" value="activity" />
            <input type="hidden" {...activityForm.register("formId")} />
            <TextField label={t("ambassadors.activityNote")} {...activityForm.register("note")} error={activityForm.errorFor("note")} />
            <TextField label={t("ambassadors.points")} type="number" min={0} step={1} {...activityForm.register("points")} error={activityForm.errorFor("points")} />
            <Button type="submit" disabled={busy}>
              {t("ambassadors.addActivity")}
            </Button>
          </Form>
        ) : null}
        <ActivityTable rows={record.activity} />
      </Card>
    </>
  );
}
