// The unsubscribe link in every email (RFC 8058). GET shows a confirm page, so a mail scanner that
// follows links unsubscribes nobody; POST turns marketing consent off: the confirm button, or the
// mail client's one-click POST (`List-Unsubscribe=One-Click`), which needs no page at all. The page is
// in the customer's language, like the email it came from, whatever browser opens it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert, Button } from "~/components/ui";
import { resources } from "~/i18n";
import { getCustomerContact, unsubscribeCustomer } from "~/models/outbox.server";
import { getBrandSettings } from "~/models/settings.server";
import { getLocale } from "~/utils/locale.server";
import { verifyUnsubscribeToken } from "~/utils/unsubscribe.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: resources[data?.locale ?? "ja"].common.unsubscribe.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const customerId = await verifyUnsubscribeToken(params.token ?? "");
  const contact = customerId ? await getCustomerContact(customerId) : null;
  // A customer without a known language, or a link that is not valid, follows the browser.
  const locale = await getLocale(request, contact?.locale);
  const brand = (await getBrandSettings()).brandName;
  if (!contact) return data({ valid: false as const, locale, brand, email: null, subscribed: false }, { status: 400 });
  return { valid: true as const, locale, brand, email: maskEmail(contact.email), subscribed: contact.subscribed };
}

export async function action({ params }: ActionFunctionArgs) {
  const customerId = await verifyUnsubscribeToken(params.token ?? "");
  if (!customerId || !(await unsubscribeCustomer(customerId))) {
    return data({ unsubscribed: false }, { status: 400 });
  }
  return { unsubscribed: true };
}

/** Enough of the address to recognise it, not enough to harvest it from a forwarded link. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 2)}${"•".repeat(Math.max(1, Math.min(6, local.length - 2)))}@${domain}`;
}

export default function Unsubscribe() {
  const { valid, locale, brand, email, subscribed } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>()?.unsubscribed;
  const busy = useNavigation().state !== "idle";
  const t = useTranslation().i18n.getFixedT(locale);
  return (
    <main className="auth-page" lang={locale}>
      <div className="auth-card card stack">
        <div className="auth-brand">
          <span className="logo" aria-hidden>
            ◆
          </span>
          <span>{brand}</span>
        </div>
        <h1>{t("unsubscribe.title")}</h1>
        {!valid ? (
          <Alert tone="error">{t("unsubscribe.invalid")}</Alert>
        ) : done || !subscribed ? (
          <Alert tone="success">{t("unsubscribe.done", { brand })}</Alert>
        ) : (
          <>
            <p>{t("unsubscribe.confirm", { brand, email: email ?? "" })}</p>
            <p className="muted small">{t("unsubscribe.transactionalNote")}</p>
            <Form method="post">
              <Button type="submit" busy={busy} disabled={busy}>
                {t("unsubscribe.submit")}
              </Button>
            </Form>
          </>
        )}
      </div>
    </main>
  );
}
