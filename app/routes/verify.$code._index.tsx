// The public page of a certificate (issue 17), where the QR code on the PDF leads: valid, expired or
// revoked (with the date), the programme, the name the member chose to show, the dates; no private
// data. An unknown code answers 404. The credential and a form to check a pasted one are linked.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CertificateStatusBadge, VerifyShell } from "~/components/verify";
import { verifyCertificate } from "~/services/programme.server";
import { getBrandSettings } from "~/models/settings.server";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction = () => [{ title: "Certificate" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const brand = (await getBrandSettings()).brandName;
  const found = await verifyCertificate(params.code ?? "");
  if (!found) return data({ locale, brand, certificate: null }, { status: 404 });
  const c = found.certificate;
  return {
    locale,
    brand,
    certificate: {
      code: c.code,
      status: found.status,
      displayName: c.displayName,
      programme: c.programmeName,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      revokedAt: c.revokedAt?.toISOString() ?? null,
    },
  };
}

export default function VerifyCertificate() {
  const { locale, brand, certificate } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(iso));
  return (
    <VerifyShell brand={brand} title={t("verify.title")}>
      {!certificate ? (
        <p role="alert">{t("verify.unknown")}</p>
      ) : (
        <>
          <CertificateStatusBadge status={certificate.status} />
          <p className="verify-summary">
            {certificate.status === "valid"
              ? t("verify.validText", { name: certificate.displayName, programme: certificate.programme })
              : certificate.status === "expired"
                ? t("verify.expiredText", { date: date(certificate.expiresAt!) })
                : t("verify.revokedText", { date: date(certificate.revokedAt!) })}
          </p>
          <dl className="details">
            {[
              ["programme", certificate.programme],
              ["holder", certificate.displayName],
              ["code", <code key="code">{certificate.code}</code>],
              ["issued", date(certificate.issuedAt)],
              ["expires", certificate.expiresAt ? date(certificate.expiresAt) : t("verify.noExpiry")],
              ...(certificate.revokedAt ? [["revoked", date(certificate.revokedAt)]] : []),
            ].map(([key, value]) => (
              <div key={key as string}>
                <dt>{t(`verify.${key as string}`)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <p className="row gap small">
            <a href={`/verify/${certificate.code}/credential.jwt`} download={`${certificate.code}.jwt`}>
              {t("verify.credential")}
            </a>
            <a href={`/verify/${certificate.code}/status.json`}>{t("verify.statusJson")}</a>
            <Link to="/verify">{t("verify.checkPasted")}</Link>
          </p>
        </>
      )}
    </VerifyShell>
  );
}
