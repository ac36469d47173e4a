// The mailbox: every message in the outbox with its status, attempts and last error. With the local
// transport it is also where the mail "arrives" (the demo works offline).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MailStatusBadge } from "~/components/mail-status";
import { Alert, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { emailTemplateNames } from "../../emails";
import { hidePersonalLinks, outboxStatuses, type OutboxStatus } from "~/domain/mail";
import { roleAllows } from "~/domain/roles";
import { countOutbox, listOutbox } from "~/models/outbox.server";
import { requireRole } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const url = new URL(request.url);
  const status = outboxStatuses.find((s) => s === url.searchParams.get("status"));
  const template = emailTemplateNames.find((t) => t === url.searchParams.get("template"));
  const q = url.searchParams.get("q")?.trim().slice(0, 200) || undefined;
  const before = Number(url.searchParams.get("before")) || undefined;
  const [page, counts] = await Promise.all([listOutbox({ status, template, q, before }), countOutbox()]);
  // Subjects and provider errors are stored mail too: personal links in them are for admins only.
  const hide = roleAllows(user.role, "admin") ? (text: string) => text : hidePersonalLinks;
  const items = page.items.map((m) => ({ ...m, subject: hide(m.subject), lastError: m.lastError && hide(m.lastError) }));
  return { ...page, items, counts, status: status ?? null, templateNames: emailTemplateNames, transport: getEnv().RESEND_API_KEY ? "resend" : "local" };
}

export default function Mailbox() {
  const { items, nextBefore, counts, status, transport, templateNames } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("before");
    for (const [key, value] of Object.entries(changes)) value === null ? next.delete(key) : next.set(key, value);
    return `?${next}`;
  };
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader
        title={t("mailbox.title")}
        subtitle={t(transport === "local" ? "mailbox.localTransport" : "mailbox.resendTransport")}
        actions={
          <Link to="/staff/mailbox/templates" className="button button-secondary">
            {t("mailbox.templates")}
          </Link>
        }
      />
      <nav className="chips" aria-label={t("mailbox.byStatus")}>
        <Link to={withParams({ status: null })} className={`chip ${status ? "" : "chip-active"}`} aria-current={status ? undefined : "page"}>
          {t("mailbox.all")} <span className="chip-count">{f.number(total)}</span>
        </Link>
        {outboxStatuses.map((s: OutboxStatus) => (
          <Link key={s} to={withParams({ status: s })} className={`chip ${status === s ? "chip-active" : ""}`} aria-current={status === s ? "page" : undefined}>
            {t(`mailbox.status.${s}`)} <span className="chip-count">{f.number(counts[s])}</span>
          </Link>
        ))}
      </nav>
      <Card>
        <Form method="get" className="filters" role="search">
          {status ? <input type="hidden" name="status" value={status} /> : null}
          <label className="field-inline">
            {t("mailbox.recipient")}
            <input type="search" name="q" defaultValue={params.get("q") ?? ""} placeholder="name@example.com" />
          </label>
          <label className="field-inline">
            {t("mailbox.template")}
            <select name="template" defaultValue={params.get("template") ?? ""}>
              <option value="">{t("mailbox.anyTemplate")}</option>
              {templateNames.map((name) => (
                <option key={name} value={name}>
                  {t(`mailbox.templateNames.${name}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button-secondary">
            {t("mailbox.apply")}
          </button>
        </Form>
      </Card>
      {counts.suppressed > 0 && status === "suppressed" ? <Alert>{t("mailbox.suppressedNote")}</Alert> : null}
      <Card>
        {items.length === 0 ? (
          <EmptyState icon="✉" title={t("mailbox.emptyTitle")} body={t("mailbox.emptyBody")} />
        ) : (
          <TableWrap label={t("mailbox.title")}>
            <table className="table" data-testid="mailbox">
              <thead>
                <tr>
                  <th>{t("mailbox.created")}</th>
                  <th>{t("mailbox.recipient")}</th>
                  <th className="col-text">{t("mailbox.subject")}</th>
                  <th>{t("mailbox.statusLabel")}</th>
                  <th className="num">{t("mailbox.attempts")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id}>
                    <td className="small nowrap">{f.dateTime(m.createdAt)}</td>
                    <td className="small">{m.toEmail}</td>
                    <td>
                      <Link to={`/staff/mailbox/${m.id}`}>{m.subject}</Link>
                      <div className="muted small">
                        {t(`mailbox.templateNames.${m.template}`, { defaultValue: m.template })} · {t(`mailbox.category.${m.category}`)}
                      </div>
                      {m.lastError ? <div className="small text-danger">{m.lastError}</div> : null}
                    </td>
                    <td>
                      <MailStatusBadge status={m.status} />
                    </td>
                    <td className="num">{m.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {nextBefore ? (
          <nav className="pager" aria-label={t("mailbox.pages")}>
            <span />
            <Link to={`${withParams({})}&before=${nextBefore}`} className="button button-secondary" rel="next">
              {t("mailbox.older")}
            </Link>
          </nav>
        ) : null}
      </Card>
    </>
  );
}
