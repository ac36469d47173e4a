// Transition rate (推移率) by first-purchase cohort month, against the 50 % target.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CohortChart } from "~/components/charts/cohort-chart";
import { BehaviourTabs } from "~/components/cpm/tabs";
import { Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { getCohorts, getMetricsState } from "~/models/metrics.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const [cohorts, state] = await Promise.all([getCohorts(), getMetricsState()]);
  return { cohorts, state };
}

export default function Cohorts() {
  const { cohorts, state } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <PageHeader title={t("cpm.cohortsTitle")} subtitle={t("cpm.cohortsSubtitle", { days: state.lapseBorderDays })} />
      <BehaviourTabs />
      {cohorts.length === 0 ? (
        <Card>
          <EmptyState icon="▤" title={t("cpm.emptyTitle")} body={t("cpm.emptyBody")} />
        </Card>
      ) : (
        <>
          <Card title={t("cpm.transitionRate")}>
            <CohortChart data={cohorts} label={t("cpm.transitionRate")} targetLabel={t("cpm.target", { target: f.percent(0.5) })} incompleteLabel={t("cpm.incomplete")} />
            <p className="muted small">{t("cpm.cohortsNote")}</p>
          </Card>
          <Card>
            <TableWrap label={t("cpm.transitionRate")}>
              <table className="table">
                <thead>
                  <tr>
                    <th>{t("cpm.cohort")}</th>
                    <th className="num">{t("cpm.newCustomers")}</th>
                    <th className="num">{t("cpm.converted")}</th>
                    <th className="num">{t("cpm.transitionRate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...cohorts].reverse().map((c) => (
                    <tr key={c.month} className={c.complete ? "" : "row-muted"}>
                      <td>
                        {c.month} {c.complete ? null : <small className="muted">({t("cpm.incomplete")})</small>}
                      </td>
                      <td className="num">{f.number(c.customers)}</td>
                      <td className="num">{f.number(c.converted)}</td>
                      <td className="num">{f.percent(c.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </Card>
        </>
      )}
    </>
  );
}
