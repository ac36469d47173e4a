// Customers: search (id, email, name), filters (segment, RFM), sort, keyset pagination, export.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { NpsBadge } from "~/components/nps-badge";
import { Button, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { cpmSegments } from "~/domain/cpm";
import { countCustomers, listCustomers, usesLoyalty } from "~/models/customers.server";
import { ensureLoyaltyFresh } from "~/models/loyalty.server";
import { customerSorts, parseCustomerQuery } from "~/schemas/customers";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const query = parseCustomerQuery(new URL(request.url).searchParams);
  if (usesLoyalty(query)) await ensureLoyaltyFresh();
  const [page, total] = await Promise.all([listCustomers(query), query.after ? Promise.resolve(null) : countCustomers(query)]);
  return { query, ...page, total };
}

export default function Customers() {
  const { query, customers, next, total } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const f = useFormat();
  const filters = new URLSearchParams(params);
  filters.delete("after");
  const nextHref = next ? `?${new URLSearchParams({ ...Object.fromEntries(filters), after: next })}` : null;
  const exportHref = `/staff/customers/export.csv?${filters}`;
  return (
    <>
      <PageHeader
        title={t("customers.title")}
        subtitle={total !== null ? t("customers.count", { count: total, formatted: f.number(total) }) : undefined}
        actions={
          <>
            <a className="button button-secondary" href={exportHref} download>
              {t("customers.export")}
            </a>
            <a className="button button-ghost" href={`${exportHref}${filters.size ? "&" : ""}bom=1`} download>
              {t("customers.exportExcel")}
            </a>
          </>
        }
      />
      <Card>
        <Form method="get" className="filters" role="search">
          <label className="field-inline grow">
            <span className="sr-only">{t("customers.search")}</span>
            <input type="search" name="q" defaultValue={query.q ?? ""} placeholder={t("customers.searchPlaceholder")} />
          </label>
          <label className="field-inline">
            {t("customers.segment")}
            <select name="segment" defaultValue={query.segment ?? ""}>
              <option value="">{t("customers.all")}</option>
              {cpmSegments.map((s) => (
                <option key={s} value={s}>
                  {t(`cpm.segments.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {(["r", "f", "m"] as const).map((k) => (
            <label className="field-inline" key={k}>
              {k.toUpperCase()}
              <select name={k} defaultValue={query[k] ?? ""}>
                <option value="">—</option>
                {[5, 4, 3, 2, 1].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label className="field-inline">
            {t("potential.minAlive")}
            <input type="number" name="minAlive" min={0} max={100} step={1} defaultValue={query.minAlive ?? ""} size={4} />
          </label>
          <label className="field-inline">
            {t("potential.maxAlive")}
            <input type="number" name="maxAlive" min={0} max={100} step={1} defaultValue={query.maxAlive ?? ""} size={4} />
          </label>
          <label className="field-inline">
            {t("potential.minValue")}
            <input type="number" name="minValue" min={0} step={1} defaultValue={query.minValue ?? ""} size={8} />
          </label>
          <label className="field-inline">
            {t("customers.sort")}
            <select name="sort" defaultValue={query.sort}>
              {customerSorts.map((s) => (
                <option key={s} value={s}>
                  {t(`customers.sorts.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <Button variant="secondary" busy={navigation.state === "loading"}>
            {t("customers.apply")}
          </Button>
        </Form>
      </Card>
      {query.segment === "loyal_lapsed" && query.sort === "alive" ? (
        <div className="alert alert-info" data-testid="follow-up">
          <strong>{t("potential.followUpTitle")}</strong> {t("potential.followUpBody")}
        </div>
      ) : null}
      <Card>
        {customers.length === 0 ? (
          <EmptyState icon="◉" title={t("customers.emptyTitle")} body={t("customers.emptyBody")} />
        ) : (
          <>
            <TableWrap label={t("customers.title")}>
              <table className="table" data-testid="customers">
                <thead>
                  <tr>
                    <th className="col-text">{t("customers.customer")}</th>
                    <th>{t("customers.segment")}</th>
                    <th className="num">{t("customers.purchases")}</th>
                    <th className="num">{t("customers.total")}</th>
                    <th>{t("customers.last")}</th>
                    <th className="num">RFM</th>
                    <th className="num">{t("customers.loyaltyScore")}</th>
                    <th>NPS</th>
                    <th className="num">{t("potential.alive")}</th>
                    <th className="num">{t("potential.expectedPurchases")}</th>
                    <th className="num">{t("potential.expectedValue")}</th>
                  </tr>
                </thead>
                <tbody>
                  {customers.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/staff/customers/${c.id}`}>{c.name ?? c.external_id}</Link>
                        <div className="muted small wrap-anywhere">
                          {c.external_id}
                          {c.email ? ` · ${c.email}` : ""}
                        </div>
                      </td>
                      <td>
                        <SegmentBadge segment={c.cpm_segment} />
                      </td>
                      <td className="num">{f.number(c.purchase_count)}</td>
                      <td className="num">{f.money(c.total_amount)}</td>
                      <td>{c.last_purchase_at ? f.date(c.last_purchase_at) : "—"}</td>
                      <td className="num mono">{c.rfm_r ? `${c.rfm_r}${c.rfm_f}${c.rfm_m}` : "—"}</td>
                      <td className="num">{c.psych_score !== null ? f.number(c.psych_score, 1) : "—"}</td>
                      <td>{c.nps_category ? <NpsBadge score={c.nps_score} category={c.nps_category} /> : "—"}</td>
                      <td className="num">{c.p_alive !== null ? f.percent(c.p_alive) : "—"}</td>
                      <td className="num">{c.expected_purchases_90d !== null ? f.number(c.expected_purchases_90d, 2) : "—"}</td>
                      <td className="num">{c.expected_value_90d !== null ? f.money(c.expected_value_90d) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <nav className="pager" aria-label={t("customers.pages")}>
              {query.after ? (
                <Link to={`?${filters}`} className="button button-ghost">
                  {t("customers.first")}
                </Link>
              ) : (
                <span />
              )}
              {nextHref ? (
                <Link to={nextHref} className="button button-secondary" rel="next">
                  {t("customers.next")}
                </Link>
              ) : null}
            </nav>
          </>
        )}
      </Card>
    </>
  );
}
