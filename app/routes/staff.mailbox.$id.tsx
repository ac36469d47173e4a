// One message: its state in the outbox, and the mail itself as the recipient sees it, in a frame
// sized to the message with scripts off (MailFrame): a link opens in a new tab, outside the sandbox,
// as from a mail client, so a demo invitation leads to its survey. An admin may retry a failed one.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MailFrame } from "~/components/mail-frame";
import { MailStatusBadge } from "~/components/mail-status";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { hidePersonalLinks } from "~/domain/mail";
import { roleAllows } from "~/domain/roles";
import { getOutboxMessage, retryOutboxMessage } from "~/models/outbox.server";
import { previewMessage } from "~/services/mail-worker.server";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const message = await getOutboxMessage(idParam(params.id));
  if (!message) throw new Response("Not found", { status: 404 });
  const { delivered, data: _data, ...summary } = message;
  // The local transport kept what it "sent"; otherwise render it now, as the worker would.
  const rendered: MailView = delivered ?? (await renderForView(message));
  // Personal links (a survey link, a sign-in link, an unsubscribe link) act as the customer: only
  // admins see them whole.
  const admin = roleAllows(user.role, "admin");
  const hide = admin ? (text: string) => text : hidePersonalLinks;
  const mail = { ...rendered, html: hide(rendered.html), text: hide(rendered.text), headers: mapValues(rendered.headers, hide) };
  const shown = { ...summary, subject: hide(summary.subject), lastError: summary.lastError && hide(summary.lastError) };
  return { message: shown, mail, kept: Boolean(delivered), canRetry: admin && message.status === "failed", redacted: !admin };
}

/** Every link of the message opens in a new tab: followed inside the frame, a page would be sandboxed too (no scripts, so no survey answers). */
function linksInNewTab(html: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => head + base) : base + html;
}

function mapValues(record: Record<string, string>, fn: (value: string) => string) {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

type MailView = NonNullable<Awaited<ReturnType<typeof getOutboxMessage>>>["delivered"] & {};

async function renderForView(message: NonNullable<Awaited<ReturnType<typeof getOutboxMessage>>>): Promise<MailView> {
  const rendered = await previewMessage({ ...message, template: message.template as never, category: message.category as never });
  return {
    html: rendered.html,
    text: rendered.text,
    headers: rendered.headers,
    attachments: rendered.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: Buffer.byteLength(a.content) })),
    fromAddress: rendered.from,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const id = idParam(params.id);
  if (!(await retryOutboxMessage(id))) return data({ retried: false }, { status: 409 });
  return { retried: true };
}

export default function MailMessage() {
  const { message, mail, kept, canRetry, redacted } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const rows: [string, React.ReactNode][] = [
    [t("mailbox.statusLabel"), <MailStatusBadge key="s" status={message.status} />],
    [t("mailbox.recipient"), message.toEmail],
    [t("mailbox.from"), mail.fromAddress],
    [t("mailbox.template"), `${t(`mailbox.templateNames.${message.template}`, { defaultValue: message.template })} (${message.locale})`],
    [t("mailbox.categoryLabel"), t(`mailbox.category.${message.category}`)],
    [t("mailbox.attempts"), message.attempts],
    [t("mailbox.created"), f.dateTime(message.createdAt)],
    [t("mailbox.sent"), message.sentAt ? f.dateTime(message.sentAt) : "—"],
    ...(message.status === "queued" || message.status === "sending"
      ? ([[t("mailbox.nextAttempt"), f.dateTime(message.nextAttemptAt)]] as [string, React.ReactNode][])
      : []),
    [t("mailbox.providerId"), <span key="p" className="mono small">{message.providerId ?? "—"}</span>],
    [t("mailbox.idempotencyKey"), <span key="k" className="mono small">{message.idempotencyKey}</span>],
  ];
  return (
    <>
      <PageHeader
        title={message.subject}
        subtitle={<Link to="/staff/mailbox">← {t("mailbox.title")}</Link>}
        actions={
          canRetry && !result?.retried ? (
            <Form method="post">
              <Button type="submit" busy={busy} disabled={busy}>
                {t("mailbox.retry")}
              </Button>
            </Form>
          ) : null
        }
      />
      {redacted ? <Alert>{t("mailbox.redacted")}</Alert> : null}
      {result?.retried ? <Alert tone="success">{t("mailbox.retried")}</Alert> : null}
      {result && !result.retried ? <Alert tone="error">{t("mailbox.notRetried")}</Alert> : null}
      {message.lastError ? (
        <Alert tone={message.status === "failed" ? "error" : "info"}>
          <strong>{t("mailbox.lastError")}:</strong> {message.lastError}
        </Alert>
      ) : null}
      <div className="grid mail-layout">
        <Card title={t("mailbox.details")}>
          <dl className="details">
            {rows.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {Object.keys(mail.headers).length > 0 ? (
            <>
              <h3 className="small">{t("mailbox.headers")}</h3>
              <pre className="mail-text small">{Object.entries(mail.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
            </>
          ) : null}
          {mail.attachments.length > 0 ? (
            <>
              <h3 className="small">{t("mailbox.attachments")}</h3>
              <ul className="plain-list small">
                {mail.attachments.map((a) => (
                  <li key={a.filename}>
                    📎 {a.filename} <span className="muted">({a.contentType}, {f.number(a.size)} B)</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>
        <Card title={kept ? t("mailbox.asDelivered") : t("mailbox.asRendered")}>
          <MailFrame title={t("mailbox.htmlPart")} html={linksInNewTab(mail.html)} followLinks />
          <details>
            <summary>{t("mailbox.textPart")}</summary>
            <pre className="mail-text">{mail.text}</pre>
          </details>
        </Card>
      </div>
    </>
  );
}
