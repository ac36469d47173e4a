// Checks a pasted certificate credential (a VC-JWT) against the issuer's public keys, then asks the
// database for its certificate's status (issue 17). An altered credential fails its signature and is
// said to be so; a genuine one of a revoked certificate verifies and is shown as revoked.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Alert, Button } from "~/components/ui";
import { CertificateStatusBadge, VerifyShell } from "~/components/verify";
import { getBrandSettings } from "~/models/settings.server";
import { checkPastedCredential } from "~/services/programme.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Verify a certificate" }, { name: "robots", content: "noindex" }];

const pasteSchema = z.object({ jwt: z.string().trim().min(1, "verify.pasteEmpty").max(20_000, "verify.pasteTooLong") });

export async function loader(_: LoaderFunctionArgs) {
  return { brand: (await getBrandSettings()).brandName };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, pasteSchema);
  if (!parsed.ok) return data({ error: parsed.fieldErrors.jwt ?? "verify.pasteEmpty", result: null }, { status: 400 });
  const result = await checkPastedCredential(parsed.data.jwt);
  return data({ error: null, result }, { status: result.ok ? 200 : 422 });
}

export default function VerifyPasted() {
  const { brand } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const result = answer?.result;
  return (
    <VerifyShell brand={brand} title={t("verify.pasteTitle")}>
      <p>{t("verify.pasteIntro")}</p>
      {answer?.error ? <Alert tone="error">{t(answer.error)}</Alert> : null}
      {result && !result.ok ? <Alert tone="error">{t(`verify.failures.${result.reason}`)}</Alert> : null}
      {result && result.ok ? (
        <div className="stack" data-testid="pasted-result">
          <Alert tone="success">{t("verify.signatureValid", { programme: result.programme, name: result.displayName })}</Alert>
          {result.status ? <CertificateStatusBadge status={result.status} /> : <Alert tone="error">{t("verify.unknown")}</Alert>}
          {result.code ? <Link to={`/verify/${result.code}`}>{t("verify.openCertificate")}</Link> : null}
        </div>
      ) : null}
      <Form method="post" className="stack">
        <label className="field">
          <span className="field-label">{t("verify.pasteLabel")}</span>
          <textarea name="jwt" rows={6} className="input mono" spellCheck={false} required />
        </label>
        <Button type="submit" busy={busy} disabled={busy}>
          {t("verify.check")}
        </Button>
      </Form>
    </VerifyShell>
  );
}
