// The member area (issue 17). Signed out: the sign-in form, which answers the same whether or not the
// address belongs to a member (a link is emailed only to a member, at most three per 15 minutes).
// Signed in: the member's own certificate, referral link and code with what they brought, points and
// activity, profile and consent, and leaving the programme. The session gives the member; no page
// takes a member id, so nobody can open another member's data.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { LanguageSwitcher } from "~/components/language-switcher";
import { Alert, Button, Card, EmptyState, StatCard, TextField } from "~/components/ui";
import { ActivityTable, BrandMark, CertificateStatusBadge } from "~/components/verify";
import { getBrandSettings } from "~/models/settings.server";
import { updateMemberProfile } from "~/models/programme.server";
import { profileSchema, signInSchema } from "~/schemas/programme";
import { changeMemberStatus, memberHome, requestSignInLink } from "~/services/programme.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { useFormat } from "~/utils/use-format";
import { EventError, memberEvents, memberRsvpLink, textIn, venueOf } from "~/services/events.server";
import { eventWhen } from "~/services/events/form.server";
import { ticketQrDataUrl } from "~/services/events/ticket-qr.server";
import { getLocale } from "~/utils/locale.server";
import { getMember, memberSignOutHeaders, requireMember } from "~/utils/member-session.server";

export const meta: MetaFunction = () => [{ title: "Member area" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const brand = (await getBrandSettings()).brandName;
  const member = await getMember(request);
  if (!member) return { brand, home: null, events: [] };
  const locale = await getLocale(request);
  const events = await memberEvents(member.customerId);
  return {
    brand,
    home: await memberHome(member.id),
    events: await Promise.all(
      events.map(async ({ invitee, event, position }) => ({
        inviteeId: invitee.id,
        title: textIn(event, locale),
        when: eventWhen(event, locale),
        where: venueOf(event),
        rsvp: invitee.rsvpStatus,
        seats: invitee.seats,
        position,
        ticketCode: invitee.rsvpStatus === "confirmed" ? invitee.ticketCode : null,
        ticketQr: invitee.rsvpStatus === "confirmed" && invitee.ticketCode ? await ticketQrDataUrl(invitee.ticketCode) : null,
      })),
    ),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "sign-in") {
    const parsed = await parseForm(form, signInSchema);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, sent: false, saved: false, error: null }, { status: 400 });
    await requestSignInLink(parsed.data.email);
    // The same answer whoever asked: the page does not tell who is a member.
    return { fieldErrors: null, sent: true, saved: false, error: null };
  }
  if (intent === "sign-out") throw redirect("/m", { headers: await memberSignOutHeaders(request) });
  if (intent === "event") {
    // The member's own invitation only: another customer's invitee id answers 404 like an unknown one.
    const member = await requireMember(request);
    const inviteeId = Number(form.get("inviteeId"));
    if (!Number.isSafeInteger(inviteeId) || inviteeId <= 0) throw new Response("Not found", { status: 404 });
    try {
      throw redirect(`/e/${await memberRsvpLink(member.customerId, inviteeId)}`);
    } catch (error) {
      if (error instanceof EventError) throw new Response("Not found", { status: 404 });
      throw error;
    }
  }
  if (intent !== "profile" && intent !== "leave") return data({ fieldErrors: null, sent: false, saved: false, error: "member.unknownAction" }, { status: 400 });
  const member = await requireMember(request);
  if (intent === "profile") {
    const parsed = await parseForm(form, profileSchema);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, sent: false, saved: false, error: null }, { status: 400 });
    await updateMemberProfile(member.id, { displayName: parsed.data.displayName, contactConsent: parsed.data.contactConsent });
    return { fieldErrors: null, sent: false, saved: true, error: null };
  }
  if (intent === "leave" && form.get("confirm") === "yes") {
    await changeMemberStatus(member.id, "leave", null);
    throw redirect("/m?left=1", { headers: await memberSignOutHeaders(request) });
  }
  return data({ fieldErrors: null, sent: false, saved: false, error: "member.leaveNotConfirmed" }, { status: 400 });
}

export default function MemberArea() {
  const { brand, home, events } = useLoaderData<typeof loader>();
  return home ? <MemberHome brand={brand} home={home} events={events} /> : <SignIn brand={brand} />;
}

function SignIn({ brand }: { brand: string }) {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const form = useZodForm(signInSchema, { serverErrors: result?.fieldErrors ?? undefined });
  const left = typeof window !== "undefined" && new URLSearchParams(window.location.search).get("left") === "1";
  return (
    <main className="auth-page">
      <div className="auth-card card stack">
        <BrandMark brand={brand} />
        <h1>{t("member.signInTitle")}</h1>
        {left ? <Alert tone="info">{t("member.left")}</Alert> : null}
        {result?.error ? <Alert tone="error">{t(result.error)}</Alert> : null}
        {result?.sent ? (
          <Alert tone="success">{t("member.linkSent")}</Alert>
        ) : (
          <>
            <p className="muted">{t("member.signInIntro")}</p>
            <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
              <input type="hidden" name="intent" value="sign-in" />
              <TextField label={t("member.email")} type="email" autoComplete="email" {...form.register("email")} error={form.errorFor("email")} />
              <Button type="submit" busy={busy} disabled={busy}>
                {t("member.sendLink")}
              </Button>
            </Form>
          </>
        )}
        <LanguageSwitcher />
      </div>
    </main>
  );
}

type Home = NonNullable<Awaited<ReturnType<typeof memberHome>>>;

type MemberEvent = ReturnType<typeof useLoaderData<typeof loader>>["events"][number];

function MemberHome({ brand, home, events }: { brand: string; home: Home; events: MemberEvent[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const form = useZodForm(profileSchema, {
    defaultValues: { intent: "profile", displayName: home.member.displayName, contactConsent: home.member.contactConsent },
    serverErrors: result?.fieldErrors ?? undefined,
  });
  const cert = home.certificate;
  return (
    <main className="member-page">
      <header className="member-header">
        <BrandMark brand={brand} />
        <div className="row gap">
          <LanguageSwitcher />
          <Form method="post">
            <input type="hidden" name="intent" value="sign-out" />
            <Button type="submit" variant="secondary">
              {t("member.signOut")}
            </Button>
          </Form>
        </div>
      </header>
      <div className="member-content stack">
        <h1>{t("member.welcome", { name: home.member.displayName })}</h1>
        {home.member.status === "paused" ? <Alert tone="info">{t("member.paused")}</Alert> : null}
        {result?.error ? <Alert tone="error">{t(result.error)}</Alert> : null}
        <div className="grid stats">
          <StatCard label={t("member.points")} value={f.number(home.member.points)} />
          <StatCard label={t("member.referrals")} value={f.number(home.referral.referrals)} hint={t("member.referralPurchases", { count: home.referral.purchases })} />
          <StatCard label={t("member.referralRevenue")} value={f.money(home.referral.revenue)} />
          <StatCard label={t("member.since")} value={f.date(home.member.joinedAt)} />
        </div>
        <Card title={t("member.certificate")}>
          {cert ? (
            <div className="stack">
              <CertificateStatusBadge status={cert.status} />
              <p>
                {cert.programme} · <code>{cert.code}</code>
              </p>
              <p className="muted small">
                {t("member.certificateDates", { issued: f.date(cert.issuedAt), expires: cert.expiresAt ? f.date(cert.expiresAt) : t("verify.noExpiry") })}
              </p>
              <p className="row gap">
                <a className="button button-primary" href="/m/certificate.pdf" download>
                  {t("member.downloadPdf")}
                </a>
                <a className="button button-secondary" href={`/verify/${cert.code}`}>
                  {t("member.verifyPage")}
                </a>
                <a className="button button-secondary" href={`/verify/${cert.code}/credential.jwt`} download={`${cert.code}.jwt`}>
                  {t("member.credential")}
                </a>
              </p>
            </div>
          ) : (
            <EmptyState title={t("member.noCertificate")} />
          )}
        </Card>
        <Card title={t("events.member.title")}>
          {events.length === 0 ? (
            <p className="muted">{t("events.member.empty")}</p>
          ) : (
            <ul className="member-events stack">
              {events.map((e) => (
                <li key={e.inviteeId} className="member-event">
                  <div className="stack-tight">
                    <strong>{e.title}</strong>
                    <span className="small">{e.when}</span>
                    <span className="small muted">{e.where}</span>
                    <span className="small">
                      {e.rsvp === "waitlisted"
                        ? t("events.rsvp.waitlisted", { position: e.position ?? "—" })
                        : e.rsvp
                          ? t(`events.detail.answer.${e.rsvp}`)
                          : t("events.detail.answer.none")}
                    </span>
                  </div>
                  {e.ticketQr ? (
                    <figure className="member-ticket">
                      <img src={e.ticketQr} width={140} height={140} alt={`${t("events.member.ticket")}: ${e.ticketCode}`} />
                      <figcaption className="small muted">{t("events.rsvp.ticketHint")}</figcaption>
                    </figure>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="intent" value="event" />
                    <input type="hidden" name="inviteeId" value={e.inviteeId} />
                    <Button type="submit" variant="secondary" disabled={busy}>
                      {t("events.member.open")}
                    </Button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t("member.referralTitle")}>
          <p>{t("member.referralIntro")}</p>
          <p className="referral-code">
            <span className="muted small">{t("member.referralCode")}</span> <strong>{home.referral.code}</strong>
          </p>
          <TextField label={t("member.referralLink")} readOnly value={home.referral.url} onFocus={(e) => e.currentTarget.select()} />
        </Card>
        <Card title={t("member.activity")}>
          <ActivityTable rows={home.activity} emptyBody={t("member.noActivityBody")} />
        </Card>
        <Card title={t("member.profile")}>
          {result?.saved ? <Alert tone="success">{t("member.saved")}</Alert> : null}
          <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
            <input type="hidden" name="intent" value="profile" />
            <TextField label={t("join.displayName")} hint={t("member.displayNameHint")} {...form.register("displayName")} error={form.errorFor("displayName")} />
            <label className="checkbox">
              <input type="checkbox" {...form.register("contactConsent")} /> {t("join.contactConsent")}
            </label>
            <Button type="submit" busy={busy} disabled={busy}>
              {t("member.save")}
            </Button>
          </Form>
        </Card>
        <Card title={t("member.leaveTitle")}>
          <p>{t("member.leaveIntro")}</p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="leave" />
            <label className="checkbox">
              <input type="checkbox" name="confirm" value="yes" required /> {t("member.leaveConfirm")}
            </label>
            <Button type="submit" variant="danger" disabled={busy}>
              {t("member.leave")}
            </Button>
          </Form>
        </Card>
      </div>
    </main>
  );
}
