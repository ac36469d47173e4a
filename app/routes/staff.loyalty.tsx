// The loyalty matrix (DESIGN §4, issue 16): both axes joined. Four quadrants with their counts, shares
// and what each should get; the binned scatter of behaviour against the loyalty score; the quadrants by
// CPM segment, each cell linking to its customers; the customers not yet asked, apart.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { HeatGrid } from "~/components/loyalty/heat-grid";
import { Card, EmptyState, PageHeader, StatCard, TableWrap } from "~/components/ui";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { quadrants, type Quadrant } from "~/domain/loyalty";
import { roleAllows } from "~/domain/roles";
import { ensureLoyaltyFresh, getLoyaltyMatrix, getLoyaltySettings } from "~/models/loyalty.server";
import { getMetricsState } from "~/models/metrics.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  await ensureLoyaltyFresh();
  const settings = await getLoyaltySettings();
  const [matrix, metrics] = await Promise.all([getLoyaltyMatrix(settings), getMetricsState()]);
  return { matrix, borders: settings.borders, asOf: metrics.asOf, canSend: roleAllows(user.role, "staff") };
}

const tone: Record<Quadrant, string> = { true_loyal: "q-true", habitual: "q-habit", latent_fan: "q-latent", low: "q-low" };

export default function LoyaltyMatrix() {
  const { matrix, borders, asOf, canSend } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const share = (n: number) => (matrix.scored ? n / matrix.scored : 0);
  const rows: (CpmSegment | "none")[] = [...cpmSegments, "none"];
  const bySegment = new Map(matrix.bySegment.map((r) => [r.segment, r.counts]));
  const customers = (segment: CpmSegment | "none", quadrant: Quadrant) =>
    `/staff/customers?${new URLSearchParams({ ...(segment === "none" ? {} : { segment }), quadrant })}`;
  return (
    <>
      <PageHeader
        title={t("loyalty.title")}
        subtitle={
          <>
            {t("loyalty.subtitle", { border: borders.psychBorder })} {asOf ? t("cpm.asOf", { date: f.date(asOf) }) : t("cpm.neverRefreshed")}{" "}
            <Link to="/staff/settings#loyalty">{t("loyalty.changeBorders")}</Link>
          </>
        }
      />
      {matrix.scored === 0 ? (
        <Card>
          <EmptyState icon="◈" title={t("loyalty.emptyTitle")} body={t("loyalty.emptyBody", { count: matrix.unscored, formatted: f.number(matrix.unscored) })}>
            <Link className="button" to="/staff/surveys">
              {t("loyalty.toSurveys")}
            </Link>
          </EmptyState>
        </Card>
      ) : (
        <>
          <div className="quadrants" role="list" aria-label={t("loyalty.quadrantsLabel")}>
            {quadrants.map((q) => (
              <section key={q} role="listitem" className={`quadrant ${tone[q]}`} data-testid={`quadrant-${q}`}>
                <header>
                  <h2>{t(`loyalty.quadrants.${q}`)}</h2>
                  <span className="small muted">{t(`loyalty.axes.${q}`)}</span>
                </header>
                <p className="quadrant-count">
                  <Link to={`/staff/customers?quadrant=${q}`}>{f.number(matrix.quadrants[q])}</Link>
                  <span className="muted"> · {f.percent(share(matrix.quadrants[q]))}</span>
                </p>
                <p className="small">{t(`loyalty.guidance.${q}`)}</p>
              </section>
            ))}
          </div>
          <div className="grid stats">
            <StatCard label={t("loyalty.scored")} value={f.number(matrix.scored)} />
            <StatCard
              label={t("loyalty.unscored")}
              value={<Link to="/staff/customers?quadrant=unscored">{f.number(matrix.unscored)}</Link>}
              hint={
                canSend && matrix.unscored > 0 ? (
                  <Link className="button button-secondary button-small" to="/staff/surveys?recipients=unscored">
                    {t("loyalty.askThem")}
                  </Link>
                ) : (
                  t("loyalty.unscoredHelp")
                )
              }
            />
          </div>
          <Card title={t("loyalty.scatterTitle")}>
            <HeatGrid bins={matrix.bins} psychBorder={borders.psychBorder} />
          </Card>
          <Card title={t("loyalty.bySegmentTitle")}>
            <p className="small muted">{t("loyalty.bySegmentHelp")}</p>
            <TableWrap label={t("loyalty.bySegmentTitle")}>
              <table className="table" data-testid="quadrants-by-segment">
                <thead>
                  <tr>
                    <th>{t("customers.segment")}</th>
                    {quadrants.map((q) => (
                      <th key={q} className="num">
                        {t(`loyalty.quadrants.${q}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((segment) => {
                    const counts = bySegment.get(segment);
                    return (
                      <tr key={segment} className={segment !== "none" && borders.highSegments.includes(segment) ? "row-high" : undefined}>
                        <td>{segment === "none" ? <span className="muted">{t("loyalty.noPurchases")}</span> : <SegmentBadge segment={segment} />}</td>
                        {quadrants.map((q) => (
                          <td key={q} className="num">
                            {counts?.[q] ? <Link to={customers(segment, q)}>{f.number(counts[q])}</Link> : <span className="muted">0</span>}
                          </td>
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          </Card>
          <Card title={t("loyalty.howTitle")}>
            <ul className="small plain-list">
              <li>{t("loyalty.howBehaviour", { segments: borders.highSegments.map((s) => t(`cpm.segments.${s}`)).join(t("loyalty.listJoin")) })}</li>
              <li>{t("loyalty.howPsych", { border: borders.psychBorder })}</li>
              <li>{t("loyalty.howScore")}</li>
            </ul>
          </Card>
        </>
      )}
    </>
  );
}
