// Invite people to a town meeting (issue 18): the programme's active ambassadors, a candidate shortlist,
// a CPM segment or a loyalty quadrant (the first post shows how the selection divides, the invitations
// go out only on a post carrying that count), and other stakeholders one by one or from a CSV (one bad
// row keeps none, and each problem names its row and field). Each invitee gets a personal RSVP link.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Alert, Button, Card, PageHeader, SelectField, TextField } from "~/components/ui";
import { ConfirmPanel } from "~/components/ui/confirm";
import { cpmSegments } from "~/domain/cpm";
import { stakeholderKinds, type StakeholderIssue } from "~/domain/events";
import { quadrants } from "~/domain/loyalty";
import { inviteCustomersSchema, stakeholderSchema } from "~/schemas/events";
import { EventError, eventOverview, inviteCustomers, inviteStakeholders, previewEventInvitations, textIn, type EventSelection } from "~/services/events.server";
import { readStakeholderCsv } from "~/services/events/stakeholders-csv.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { idParam, pageNotFound } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

const MAX_CSV_BYTES = 2 * 1024 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "staff");
  const overview = await eventOverview(idParam(params.id));
  if (!overview) throw pageNotFound(request);
  const { event } = overview;
  return { id: event.id, title: textIn(event, await getLocale(request)), status: event.status, over: event.endsAt.getTime() <= Date.now() };
}

type Result =
  | { kind: "confirm"; preview: Awaited<ReturnType<typeof previewEventInvitations>>; fields: Record<string, string>; draft: boolean }
  | { kind: "fieldErrors"; form: "customers" | "stakeholder"; fieldErrors: Record<string, string> }
  | { kind: "stakeholder"; name: string; invited: boolean }
  | { kind: "csv"; invited: number; already: number }
  | { kind: "csvIssues"; issues: StakeholderIssue[] }
  | { kind: "error"; key: string; details?: Record<string, string | number | null> };

function selectionOf(v: { selection: string; segment: string; quadrant: string }): EventSelection | null {
  if (v.selection === "members") return { kind: "members" };
  if (v.selection === "shortlist_ambassador") return { kind: "shortlist", list: "ambassador" };
  if (v.selection === "shortlist_cocreation") return { kind: "shortlist", list: "cocreation" };
  if (v.selection === "segment") {
    const segment = cpmSegments.find((s) => s === v.segment);
    return segment ? { kind: "segment", segment } : null;
  }
  const quadrant = quadrants.find((q) => q === v.quadrant);
  return quadrant ? { kind: "quadrant", quadrant } : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const id = idParam(params.id);
  const reply = (result: Result, status = 200) => data(result, { status });
  try {
    if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
      let form: FormData;
      try {
        form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_CSV_BYTES }));
      } catch {
        return reply({ kind: "error", key: "events.invite.tooLarge" }, 413);
      }
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) return reply({ kind: "error", key: "events.invite.noRows" }, 400);
      const read = readStakeholderCsv(new Uint8Array(await file.arrayBuffer()));
      if (!read.ok) return reply({ kind: "error", key: `events.invite.${read.error}`, details: "reason" in read ? { reason: read.reason } : {} }, 400);
      const result = await inviteStakeholders(id, read.rows, "csv", user.id);
      if (!result.ok) return reply({ kind: "csvIssues", issues: result.issues }, 400);
      return reply({ kind: "csv", invited: result.invited, already: result.alreadyInvited });
    }
    const form = await readForm(request);
    if (form.get("intent") === "stakeholder") {
      const parsed = await parseForm(form, stakeholderSchema);
      if (!parsed.ok) return reply({ kind: "fieldErrors", form: "stakeholder", fieldErrors: parsed.fieldErrors }, 400);
      const s = parsed.data;
      const result = await inviteStakeholders(id, [{ name: s.name, email: s.email, kind: s.kind, organisation: s.organisation, role: s.role, locale: s.locale }], "stakeholder", user.id);
      if (!result.ok) return reply({ kind: "fieldErrors", form: "stakeholder", fieldErrors: Object.fromEntries(result.issues.map((i) => [i.field, `events.errors.${i.problem === "unknown_kind" ? "unknown_kind" : i.problem === "invalid_email" ? "invalid_email" : "required"}`])) }, 400);
      return reply({ kind: "stakeholder", name: s.name, invited: result.invited > 0 });
    }
    const parsed = await parseForm(form, inviteCustomersSchema);
    if (!parsed.ok) return reply({ kind: "fieldErrors", form: "customers", fieldErrors: parsed.fieldErrors }, 400);
    const selection = selectionOf(parsed.data);
    if (!selection) return reply({ kind: "fieldErrors", form: "customers", fieldErrors: { [parsed.data.selection]: "events.errors.selection" } }, 400);
    const preview = await previewEventInvitations(id, selection);
    const overview = (await eventOverview(id))!;
    if (parsed.data.confirmed === undefined || parsed.data.confirmed !== preview.eligible || preview.eligible === 0) {
      const { selection: sel, segment, quadrant } = parsed.data;
      return reply({ kind: "confirm", preview, fields: { selection: sel, segment, quadrant }, draft: overview.event.status === "draft" });
    }
    const result = await inviteCustomers(id, selection, user.id);
    return redirect(`/staff/events/${id}?invited=${result.invited}`);
  } catch (error) {
    if (error instanceof EventError) return reply({ kind: "error", key: `events.errors.${error.key}`, details: error.details }, error.status);
    throw error;
  }
}

export default function InviteToEvent() {
  const { id, title, status, over } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const closed = over || status === "done" || status === "cancelled";
  return (
    <>
      <PageHeader title={t("events.invite.title", { title })} subtitle={t("events.invite.subtitle")} actions={<Link to={`/staff/events/${id}`}>← {title}</Link>} />
      {closed ? <Alert tone="info">{t(status === "cancelled" ? "events.errors.already_cancelled" : "events.errors.event_over")}</Alert> : null}
      {result?.kind === "error" ? <Alert tone="error">{t(result.key, { ...(result.details ?? {}) })}</Alert> : null}
      {result?.kind === "stakeholder" ? (
        <Alert tone={result.invited ? "success" : "info"}>{result.invited ? t("events.invite.stakeholderDone", { name: result.name }) : t("events.invite.stakeholderAlready")}</Alert>
      ) : null}
      {result?.kind === "csv" ? <Alert tone="success">{t("events.invite.csvDone", { invited: f.number(result.invited), already: f.number(result.already) })}</Alert> : null}
      {result?.kind === "csvIssues" ? <CsvIssues issues={result.issues} /> : null}
      {result?.kind === "confirm" ? (
        result.preview.eligible > 0 ? (
          <ConfirmPanel
            title={t("events.invite.confirmTitle")}
            intent="customers"
            fields={{ ...result.fields, confirmed: result.preview.eligible }}
            confirmLabel={t("events.invite.confirmSend", { count: result.preview.eligible, formatted: f.number(result.preview.eligible) })}
            cancelLabel={t("common.cancel")}
            cancelTo={`/staff/events/${id}/invite`}
            busy={busy}
          >
            <p>
              {t("events.invite.confirmBody", {
                selected: f.number(result.preview.selected),
                eligible: f.number(result.preview.eligible),
                already: f.number(result.preview.alreadyInvited),
                noEmail: f.number(result.preview.noEmail),
                noConsent: f.number(result.preview.noConsent),
              })}
            </p>
            {result.draft ? <p className="muted small">{t("events.invite.confirmDraft")}</p> : null}
          </ConfirmPanel>
        ) : (
          <Alert tone="error">{t("events.invite.nobody")}</Alert>
        )
      ) : null}
      {closed ? null : (
        <div className="grid two">
          <CustomersCard busy={busy} serverErrors={result?.kind === "fieldErrors" && result.form === "customers" ? result.fieldErrors : undefined} />
          <StakeholderCard busy={busy} serverErrors={result?.kind === "fieldErrors" && result.form === "stakeholder" ? result.fieldErrors : undefined} />
          <Card title={t("events.invite.csvTitle")}>
            <Form method="post" encType="multipart/form-data" className="stack">
              <p className="muted small">{t("events.invite.csvHint")}</p>
              <label className="field">
                <span className="field-label">{t("events.invite.csvFile")}</span>
                <input className="input" type="file" name="file" accept=".csv,text/csv" required />
              </label>
              <Button type="submit" busy={busy} disabled={busy}>
                {t("events.invite.upload")}
              </Button>
            </Form>
          </Card>
        </div>
      )}
    </>
  );
}

function CustomersCard({ busy, serverErrors }: { busy: boolean; serverErrors?: Record<string, string> }) {
  const { t } = useTranslation();
  const form = useZodForm(inviteCustomersSchema, { defaultValues: { intent: "customers", selection: "members", segment: cpmSegments[0], quadrant: quadrants[0] }, serverErrors });
  const [selection, setSelection] = useState("members");
  const choice = form.register("selection");
  return (
    <Card title={t("events.invite.customersTitle")}>
      <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
        <input type="hidden" value="customers" {...form.register("intent")} />
        <fieldset className="stack">
          <legend className="field-label">{t("events.invite.selection")}</legend>
          {(["members", "shortlist_ambassador", "shortlist_cocreation", "segment", "quadrant"] as const).map((s) => (
            <label key={s} className="checkbox">
              <input
                type="radio"
                value={s}
                {...choice}
                onChange={(e) => {
                  void choice.onChange(e);
                  setSelection(e.target.value);
                }}
              />{" "}
              {t(`events.invite.selections.${s}`)}
            </label>
          ))}
        </fieldset>
        {selection === "segment" ? (
          <SelectField
            label={t("events.invite.segment")}
            options={cpmSegments.map((s) => ({ value: s, label: t(`cpm.segments.${s}`) }))}
            {...form.register("segment")}
            error={form.errorFor("segment")}
          />
        ) : null}
        {selection === "quadrant" ? (
          <SelectField
            label={t("events.invite.quadrant")}
            options={quadrants.map((q) => ({ value: q, label: t(`candidates.quadrants.${q}`) }))}
            {...form.register("quadrant")}
            error={form.errorFor("quadrant")}
          />
        ) : null}
        <Button type="submit" busy={busy} disabled={busy}>
          {t("events.invite.review")}
        </Button>
      </Form>
    </Card>
  );
}

function StakeholderCard({ busy, serverErrors }: { busy: boolean; serverErrors?: Record<string, string> }) {
  const { t } = useTranslation();
  const form = useZodForm(stakeholderSchema, { defaultValues: { intent: "stakeholder", name: "", email: "", kind: "employee", organisation: "", role: "", locale: "ja" }, serverErrors });
  return (
    <Card title={t("events.invite.stakeholderTitle")}>
      <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
        <p className="muted small">{t("events.invite.stakeholderHint")}</p>
        <input type="hidden" value="stakeholder" {...form.register("intent")} />
        <TextField label={t("events.invite.name")} autoComplete="off" {...form.register("name")} error={form.errorFor("name")} />
        <TextField label={t("events.invite.email")} type="email" autoComplete="off" {...form.register("email")} error={form.errorFor("email")} />
        <SelectField label={t("events.invite.kind")} options={stakeholderKinds.map((k) => ({ value: k, label: t(`events.kinds.${k}`) }))} {...form.register("kind")} error={form.errorFor("kind")} />
        <TextField label={t("events.invite.organisation")} {...form.register("organisation")} error={form.errorFor("organisation")} />
        <TextField label={t("events.invite.role")} {...form.register("role")} error={form.errorFor("role")} />
        <SelectField
          label={t("events.invite.language")}
          options={[
            { value: "ja", label: "日本語" },
            { value: "en", label: "English" },
          ]}
          {...form.register("locale")}
        />
        <Button type="submit" busy={busy} disabled={busy}>
          {t("events.invite.add")}
        </Button>
      </Form>
    </Card>
  );
}

function CsvIssues({ issues }: { issues: StakeholderIssue[] }) {
  const { t } = useTranslation();
  return (
    <Alert tone="error">
      <p>{t("events.invite.csvErrors")}</p>
      <ul>
        {issues.slice(0, 50).map((i) => (
          <li key={`${i.row}-${i.field}`}>{t("events.invite.csvRow", { row: i.row + 1, field: t(`events.invite.fields.${i.field}`), problem: t(`events.invite.problems.${i.problem}`) })}</li>
        ))}
      </ul>
      {issues.length > 50 ? <p>… +{issues.length - 50}</p> : null}
    </Alert>
  );
}
