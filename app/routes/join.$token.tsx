// An invitee's personal link to the ambassador programme (issue 17): the programme, its terms in the
// invitee's language, a display name for the certificate and contact consent; accept or decline. An
// unknown token answers 404; an expired, withdrawn or declined invitation 410; a second acceptance
// (another tab) is refused by the state machine with the invitation locked, and changes nothing.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Alert, Button, TextField } from "~/components/ui";
import { BrandMark } from "~/components/verify";
import { resources } from "~/i18n";
import { getProgrammeSettings } from "~/models/programme.server";
import { getBrandSettings } from "~/models/settings.server";
import { declineSchema, joinSchema } from "~/schemas/programme";
import { acceptInvitation, declineInvitation, invitationForPage, ProgrammeError } from "~/services/programme.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.programme ?? resources.ja.common.join.title },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

type PageState = "open" | "accepted" | "declined" | "expired" | "withdrawn";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = await invitationForPage(params.token ?? "");
  const locale = await getLocale(request, page?.invitation.locale);
  const brand = (await getBrandSettings()).brandName;
  const settings = await getProgrammeSettings();
  const base = { locale, brand, programme: settings.name[locale], terms: settings.terms[locale] };
  if (!page) return data({ ...base, state: "unknown" as const, name: null, expiresAt: null, message: null }, { status: 404 });
  const state: PageState =
    page.state === "invited" ? "open" : page.state === "candidate" ? "withdrawn" : page.state === "active" || page.state === "paused" || page.state === "alumni" ? "accepted" : page.state;
  return data(
    { ...base, state, name: page.customerName, expiresAt: page.invitation.expiresAt.toISOString(), message: page.invitation.message },
    { status: state === "open" || state === "accepted" ? 200 : 410 },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  try {
    if (form.get("intent") === "decline") {
      const parsed = await parseForm(form, declineSchema);
      if (!parsed.ok) return data({ ok: false as const, fieldErrors: parsed.fieldErrors, error: null, done: null }, { status: 400 });
      await declineInvitation(token);
      return { ok: true as const, fieldErrors: null, error: null, done: "declined" as const };
    }
    const parsed = await parseForm(form, joinSchema);
    if (!parsed.ok) return data({ ok: false as const, fieldErrors: parsed.fieldErrors, error: null, done: null }, { status: 400 });
    const { certificate } = await acceptInvitation(token, parsed.data);
    return { ok: true as const, fieldErrors: null, error: null, done: "accepted" as const, certificateCode: certificate.code };
  } catch (error) {
    if (error instanceof ProgrammeError) {
      return data({ ok: false as const, fieldErrors: null, error: error.key, done: null }, { status: error.status === 404 ? 404 : 409 });
    }
    throw error;
  }
}

export default function Join() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useTranslation().i18n.getFixedT(page.locale);
  const form = useZodForm(joinSchema, {
    defaultValues: { intent: "accept", displayName: page.name ?? "", contactConsent: true, acceptTerms: false },
    serverErrors: result?.fieldErrors ?? undefined,
  });
  const done = result && "done" in result ? result.done : null;
  const expires = page.expiresAt ? new Intl.DateTimeFormat(page.locale, { dateStyle: "long" }).format(new Date(page.expiresAt)) : null;
  return (
    <main className="auth-page" lang={page.locale}>
      <div className="auth-card join-card card stack">
        <BrandMark brand={page.brand} />
        <h1>{page.state === "unknown" ? t("join.title") : t("join.heading", { programme: page.programme })}</h1>
        {done === "accepted" && result && "certificateCode" in result ? (
          <>
            <Alert tone="success">{t("join.accepted", { programme: page.programme })}</Alert>
            <p>{t("join.acceptedNext")}</p>
            <p className="row gap">
              <Link className="button button-primary" to={`/verify/${result.certificateCode}`}>
                {t("join.viewCertificate")}
              </Link>
              <Link className="button button-secondary" to="/m">
                {t("join.memberArea")}
              </Link>
            </p>
          </>
        ) : done === "declined" ? (
          <Alert tone="info">{t("join.declined")}</Alert>
        ) : page.state !== "open" ? (
          <>
            <Alert tone={page.state === "accepted" ? "info" : "error"}>{t(`join.states.${page.state}`)}</Alert>
            {page.state === "accepted" ? (
              <Link className="button button-primary" to="/m">
                {t("join.memberArea")}
              </Link>
            ) : null}
          </>
        ) : (
          <>
            {result?.error ? <Alert tone="error">{t(`programme.errors.${result.error}`, { defaultValue: t("join.failed") })}</Alert> : null}
            <p>{t("join.intro", { brand: page.brand, programme: page.programme })}</p>
            {page.message ? <blockquote className="join-message">{page.message}</blockquote> : null}
            {expires ? <p className="muted small">{t("join.expires", { date: expires })}</p> : null}
            <details className="join-terms" open>
              <summary>{t("join.terms")}</summary>
              <div className="join-terms-text">{page.terms}</div>
            </details>
            <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
              <input type="hidden" name="intent" value="accept" />
              <TextField label={t("join.displayName")} hint={t("join.displayNameHint")} autoComplete="nickname" {...form.register("displayName")} error={form.errorFor("displayName")} />
              <label className="checkbox">
                <input type="checkbox" {...form.register("contactConsent")} /> {t("join.contactConsent")}
              </label>
              <label className="checkbox">
                <input type="checkbox" {...form.register("acceptTerms")} aria-invalid={form.errorFor("acceptTerms") ? true : undefined} /> {t("join.acceptTerms")}
              </label>
              {form.errorFor("acceptTerms") ? <p className="field-error">{form.errorFor("acceptTerms")}</p> : null}
              <Button type="submit" busy={busy} disabled={busy}>
                {t("join.accept")}
              </Button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="decline" />
              <Button type="submit" variant="secondary" disabled={busy}>
                {t("join.decline")}
              </Button>
            </Form>
          </>
        )}
      </div>
    </main>
  );
}
