// Staff invite customers to the ambassador programme (issue 17): chosen customers by their ids, or the
// ambassador shortlist handed on from the candidate page. The first post shows how many will get an
// email and who is skipped (members, open invitations, no consent); the invitations go out only on a
// post confirming that number.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Alert, Button, Card, PageHeader, TextField } from "~/components/ui";
import { ConfirmPanel } from "~/components/ui/confirm";
import { customerIdsOf, getLoyaltySettings, shortlist } from "~/models/loyalty.server";
import { getProgrammeSettings } from "~/models/programme.server";
import { unknownExternalIds } from "~/models/invitations.server";
import { inviteSchema } from "~/schemas/programme";
import { inviteToProgramme, previewInvitations, ProgrammeError } from "~/services/programme.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "staff");
  const settings = await getProgrammeSettings();
  const fromShortlist = new URL(request.url).searchParams.get("from") === "shortlist";
  const ids = fromShortlist ? (await shortlist("ambassador", await getLoyaltySettings())).map((r) => r.external_id) : [];
  return { expiresInDays: settings.invitationDays, externalIds: ids.join("\n"), fromShortlist, shortlisted: ids.length };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const parsed = await parseForm(request, inviteSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, confirm: null, error: null, unknown: null }, { status: 400 });
  const { externalIds, message, expiresInDays, confirmed } = parsed.data;
  const unknown = await unknownExternalIds(externalIds);
  if (unknown.length > 0) return data({ fieldErrors: null, confirm: null, error: "programme.errors.unknownCustomers", unknown: unknown.slice(0, 20) }, { status: 400 });
  const customerIds = await customerIdsOf(externalIds);
  const preview = await previewInvitations(customerIds);
  if (confirmed === undefined || confirmed !== preview.invitable || preview.invitable === 0) {
    return { fieldErrors: null, confirm: { ...preview, externalIds: externalIds.join("\n"), message, expiresInDays }, error: null, unknown: null };
  }
  try {
    const result = await inviteToProgramme({ customerIds, message: message || null, expiresInDays, staffUserId: user.id });
    throw redirect(`/staff/ambassadors?invited=${result.invited}`);
  } catch (error) {
    if (error instanceof ProgrammeError) return data({ fieldErrors: null, confirm: null, error: `programme.errors.${error.key}`, unknown: null }, { status: 400 });
    throw error;
  }
}

export default function InviteAmbassadors() {
  const { expiresInDays, externalIds, fromShortlist, shortlisted } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const form = useZodForm(inviteSchema, { defaultValues: { externalIds, message: "", expiresInDays }, serverErrors: result?.fieldErrors ?? undefined });
  const confirm = result?.confirm;
  return (
    <>
      <PageHeader title={t("ambassadors.inviteTitle")} subtitle={t("ambassadors.inviteSubtitle")} />
      {fromShortlist ? <Alert tone="info">{t("ambassadors.fromShortlist", { count: shortlisted, formatted: f.number(shortlisted) })}</Alert> : null}
      {result?.error ? (
        <Alert tone="error">
          {t(result.error)} {result.unknown ? result.unknown.join(", ") : null}
        </Alert>
      ) : null}
      {confirm ? (
        confirm.invitable > 0 ? (
          <ConfirmPanel
            title={t("ambassadors.confirmTitle")}
            intent="invite"
            fields={{ externalIds: confirm.externalIds, message: confirm.message, expiresInDays: confirm.expiresInDays, confirmed: confirm.invitable }}
            confirmLabel={t("ambassadors.confirmSend", { count: confirm.invitable, formatted: f.number(confirm.invitable) })}
            cancelLabel={t("common.cancel")}
            cancelTo="/staff/ambassadors/invite"
            busy={busy}
          >
            <p>{t("ambassadors.confirmBody", { count: confirm.invitable, formatted: f.number(confirm.invitable), days: confirm.expiresInDays })}</p>
            <Skipped skipped={confirm.skipped} />
          </ConfirmPanel>
        ) : (
          <Alert tone="error">
            {t("ambassadors.nobodyToInvite")} <Skipped skipped={confirm.skipped} />
          </Alert>
        )
      ) : null}
      <Card>
        <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
          <label className="field">
            <span className="field-label">{t("ambassadors.customers")}</span>
            <textarea className="input" rows={6} {...form.register("externalIds")} aria-invalid={form.errorFor("externalIds") ? true : undefined} />
            <span className="field-hint muted small">{t("ambassadors.customersHint")}</span>
            {form.errorFor("externalIds") ? <span className="field-error">{form.errorFor("externalIds")}</span> : null}
          </label>
          <label className="field">
            <span className="field-label">{t("ambassadors.message")}</span>
            <textarea className="input" rows={4} maxLength={1000} {...form.register("message")} />
            <span className="field-hint muted small">{t("ambassadors.messageHint")}</span>
            {form.errorFor("message") ? <span className="field-error">{form.errorFor("message")}</span> : null}
          </label>
          <TextField label={t("ambassadors.expiresInDays")} type="number" min={1} max={90} step={1} {...form.register("expiresInDays")} error={form.errorFor("expiresInDays")} />
          <Button type="submit" busy={busy} disabled={busy}>
            {t("ambassadors.review")}
          </Button>
        </Form>
      </Card>
    </>
  );
}

function Skipped({ skipped }: { skipped: { no_consent: number; member: number; invited: number } }) {
  const { t } = useTranslation();
  const parts = (["member", "invited", "no_consent"] as const).filter((k) => skipped[k] > 0);
  if (parts.length === 0) return null;
  return <span className="muted small">{t("ambassadors.skipped", { list: parts.map((k) => t(`ambassadors.skip.${k}`, { count: skipped[k] })).join(t("ambassadors.listSeparator")) })}</span>;
}
