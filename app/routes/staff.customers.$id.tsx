// One customer: behaviour metrics, purchase timeline and segment history.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { Badge, Card, PageHeader, StatCard } from "~/components/ui";
import { guidanceKey } from "~/domain/cpm";
import { aliveBand } from "~/domain/potential";
import { segmentHistory } from "~/domain/segment-history";
import { latestFigures } from "~/domain/survey/latest";
import { getCustomer } from "~/models/customers.server";
import { getMetricsState } from "~/models/metrics.server";
import { getCustomerResponses } from "~/models/survey-results.server";
import { requireRole } from "~/utils/auth.server";
import { idParam } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const id = idParam(params.id);
  const [found, state, responses] = await Promise.all([getCustomer(id), getMetricsState(), getCustomerResponses(id)]);
  if (!found) throw new Response("Not Found", { status: 404 });
  const history = segmentHistory(
    found.purchases.map((p) => ({ purchasedAt: new Date(p.purchased_at), amount: Number(p.amount) })),
    found.customer.as_of,
    state.timeZone,
    state,
  );
  return { ...found, history: history.reverse(), responses, latest: latestFigures(responses) };
}

export default function CustomerPage() {
  const { customer: c, purchases, history, responses, latest } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const titleOf = (r: { title: { ja: string; en: string } }) => r.title[i18n.language as "ja" | "en"] || r.title.ja;
  // Where each figure came from: the survey (linked) and the day of the response.
  const source = (r: { surveyId: number; submittedAt: string; title: { ja: string; en: string } } | null) =>
    r ? (
      <>
        {t("customers.scoreFrom")} <Link to={`/staff/surveys/${r.surveyId}/results`}>{titleOf(r)}</Link> · {f.date(r.submittedAt)}
      </>
    ) : (
      t("customers.noScore")
    );
  return (
    <>
      <PageHeader
        title={c.name ?? c.external_id}
        subtitle={
          <>
            {c.external_id}
            {c.email ? ` · ${c.email}` : ""} · {c.marketing_consent ? <Badge tone="success">{t("customers.consent")}</Badge> : <Badge>{t("customers.noConsent")}</Badge>}
          </>
        }
        actions={
          <Link to="/staff/customers" className="button button-ghost">
            {t("customers.back")}
          </Link>
        }
      />
      <div className="grid stats">
        <StatCard label={t("customers.segment")} value={<SegmentBadge segment={c.cpm_segment} />} hint={c.cpm_segment ? t(guidanceKey(c.cpm_segment)) : undefined} />
        <StatCard label={t("customers.purchases")} value={f.number(c.purchase_count)} hint={t("customers.total") + " " + f.money(c.total_amount)} />
        <StatCard label={t("customers.tenure")} value={c.tenure_days !== null ? t("cpm.days", { count: c.tenure_days }) : "—"} hint={c.first_purchase_at ? t("customers.since", { date: f.date(c.first_purchase_at) }) : undefined} />
        <StatCard label={t("customers.lapse")} value={c.lapse_days !== null ? t("cpm.days", { count: c.lapse_days }) : "—"} hint={c.last_purchase_at ? t("customers.lastOn", { date: f.date(c.last_purchase_at) }) : undefined} />
        <StatCard label="RFM" value={<span className="mono">{c.rfm_r ? `R${c.rfm_r} F${c.rfm_f} M${c.rfm_m}` : "—"}</span>} hint={t("cpm.asOf", { date: f.date(c.as_of) })} />
        <StatCard label={t("surveys.psychScore")} value={latest.loyalty ? f.number(latest.loyalty.psychScore, 1) : "—"} hint={source(latest.loyalty)} />
        <StatCard
          label={t("customers.npsAnswer")}
          value={latest.nps ? `${latest.nps.npsScore} · ${t(`surveys.npsCategories.${latest.nps.npsCategory}`)}` : "—"}
          hint={source(latest.nps)}
        />
      </div>
      <Card title={t("potential.card")}>
        {c.potential_as_of ? <p className="muted small">{t("potential.asOf", { date: f.date(c.potential_as_of) })}</p> : null}
        {c.p_alive === null || c.expected_purchases_90d === null ? (
          <p className="muted" data-testid="potential">
            {c.purchase_days === 0 ? t("potential.noPurchase") : t("potential.noFit")}
          </p>
        ) : (
          <div data-testid="potential">
            <div className="grid stats">
              <StatCard label={t("potential.alive")} value={f.percent(c.p_alive)} hint={t(`potential.bands.${aliveBand(c.p_alive)}`)} />
              <StatCard label={t("potential.expectedPurchases")} value={f.number(c.expected_purchases_90d, 2)} />
              <StatCard label={t("potential.expectedValue")} value={c.expected_value_90d !== null ? f.money(c.expected_value_90d) : "—"} />
            </div>
            <p>
              {t(c.expected_value_90d !== null ? "potential.sentence" : "potential.sentenceNoValue", {
                name: c.name ?? c.external_id,
                days: f.number(c.purchase_days),
                T: f.number((c.tenure_days ?? 0) + (c.lapse_days ?? 0)),
                lapse: f.number(c.lapse_days ?? 0),
                alive: f.percent(c.p_alive),
                purchases: f.number(c.expected_purchases_90d, 2),
                value: c.expected_value_90d !== null ? f.money(c.expected_value_90d) : "",
              })}{" "}
              <Link to="/staff/behaviour/potential">{t("potential.explain")}</Link>
            </p>
          </div>
        )}
      </Card>
      <div className="grid two">
        <Card title={t("customers.history")}>
          {history.length === 0 ? (
            <p className="muted">{t("customers.noPurchases")}</p>
          ) : (
            <ol className="timeline" data-testid="segment-history">
              {history.map((h) => (
                <li key={h.date}>
                  <span className="muted small">{f.date(h.date)}</span> <SegmentBadge segment={h.segment} />
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card title={t("customers.responses")}>
          {responses.length === 0 ? (
            <p className="muted">{t("customers.noResponses")}</p>
          ) : (
            <ol className="timeline" data-testid="responses">
              {responses.map((r) => (
                <li key={r.id}>
                  <span className="muted small">{f.date(r.submittedAt)}</span>
                  <Link to={`/staff/surveys/${r.surveyId}/results`}>{titleOf(r)}</Link>
                  <span className="small">
                    {t("surveys.psychScore")} {r.psychScore != null ? f.number(r.psychScore, 1) : "—"}
                    {r.npsScore != null ? ` · NPS ${r.npsScore}` : ""}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card title={t("customers.timeline")}>
          {purchases.length === 0 ? (
            <p className="muted">{t("customers.noPurchases")}</p>
          ) : (
            <ol className="timeline" data-testid="purchases" tabIndex={0} aria-label={t("customers.timeline")}>
              {purchases.map((p) => (
                <li key={p.key} className={Number(p.amount) < 0 ? "refund" : ""}>
                  <span className="muted small">{f.dateTime(p.purchased_at)}</span>
                  <strong>{f.money(p.amount)}</strong>
                  <span className="muted small">
                    {[p.order_id, p.channel, p.store].filter(Boolean).join(" · ")}
                    {Number(p.amount) < 0 ? ` · ${t("customers.refund")}` : ""}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}
