// Every email template rendered with sample data, in either language, with the brand's current
// name and colour: what customers will receive, before any of them does.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MailFrame } from "~/components/mail-frame";
import { Badge, Card, PageHeader } from "~/components/ui";
import { emailTemplateNames, emailTemplates, renderEmail, type EmailLocale } from "../../emails";
import { getBrandSettings } from "~/models/settings.server";
import { requireRole } from "~/utils/auth.server";
import { publicUrl } from "~/utils/unsubscribe.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const url = new URL(request.url);
  const name = emailTemplateNames.find((n) => n === url.searchParams.get("template")) ?? emailTemplateNames[0]!;
  const locale: EmailLocale = url.searchParams.get("locale") === "en" ? "en" : "ja";
  const settings = await getBrandSettings();
  const template = emailTemplates[name];
  const email = await renderEmail(name, template.sample, {
    brand: { name: settings.brandName, color: settings.primaryColor, timeZone: settings.timeZone },
    locale,
    unsubscribeUrl: publicUrl("u/sample"),
  });
  return {
    templateNames: emailTemplateNames,
    name,
    locale,
    category: template.category,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: email.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}

export default function MailTemplates() {
  const preview = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t("mailbox.templates")}
        subtitle={<Link to="/staff/mailbox">← {t("mailbox.title")}</Link>}
      />
      <div className="grid mail-layout">
        <Card title={t("mailbox.templateList")}>
          <ul className="plain-list" data-testid="template-list">
            {preview.templateNames.map((name) => (
              <li key={name}>
                <Link
                  to={`?template=${name}&locale=${preview.locale}`}
                  aria-current={name === preview.name ? "page" : undefined}
                  className={name === preview.name ? "strong" : undefined}
                >
                  {t(`mailbox.templateNames.${name}`)}
                </Link>{" "}
                <span className="muted small mono">{name}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card
          title={
            <span className="row gap">
              {preview.subject} <Badge tone={preview.category === "marketing" ? "brand" : "neutral"}>{t(`mailbox.category.${preview.category}`)}</Badge>
            </span>
          }
        >
          <nav className="chips" aria-label={t("mailbox.language")}>
            {(["ja", "en"] as const).map((locale) => (
              <Link key={locale} to={`?template=${preview.name}&locale=${locale}`} className={`chip ${preview.locale === locale ? "chip-active" : ""}`}>
                {locale === "ja" ? "日本語" : "English"}
              </Link>
            ))}
          </nav>
          <MailFrame title={t("mailbox.htmlPart")} html={preview.html} />
          <details>
            <summary>{t("mailbox.textPart")}</summary>
            <pre className="mail-text">{preview.text}</pre>
          </details>
          {preview.attachments.map((a) => (
            <details key={a.filename}>
              <summary>
                📎 {a.filename} <span className="muted small">{a.contentType}</span>
              </summary>
              <pre className="mail-text small">{a.content}</pre>
            </details>
          ))}
        </Card>
      </div>
    </>
  );
}
