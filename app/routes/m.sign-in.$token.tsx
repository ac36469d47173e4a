// A sign-in link from the member area's email (issue 17): used once, within 15 minutes. A used, expired
// or unknown link says so (410) and offers a new one; a valid one starts the session.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui";
import { VerifyShell } from "~/components/verify";
import { signInWithLink } from "~/services/programme.server";
import { memberSignInHeaders } from "~/utils/member-session.server";

export const meta: MetaFunction = () => [{ title: "Sign in" }, { name: "robots", content: "noindex" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const session = await signInWithLink(params.token ?? "");
  if (session) throw redirect("/m", { headers: await memberSignInHeaders(session) });
  return data(null, { status: 410 });
}

export default function SignInLink() {
  const { t } = useTranslation();
  return (
    <VerifyShell brand="" title={t("member.signInTitle")}>
      <Alert tone="error">{t("member.linkInvalid")}</Alert>
      <Link className="button button-primary" to="/m">
        {t("member.newLink")}
      </Link>
    </VerifyShell>
  );
}
