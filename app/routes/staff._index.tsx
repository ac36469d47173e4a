import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MonthlyBars } from "~/components/charts/monthly-bars";
import { Card, EmptyState, PageHeader, StatCard } from "~/components/ui";
import { getDashboardSummary, getMonthlyRevenue } from "~/models/dashboard.server";
import { getMatrix } from "~/models/metrics.server";
import { getLatestSurveyHeadline } from "~/models/survey-results.server";
import { getBrandSettings } from "~/models/settings.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const { timeZone } = await getBrandSettings();
  const [summary, monthly, matrix, survey] = await Promise.all([getDashboardSummary(), getMonthlyRevenue(timeZone), getMatrix(), getLatestSurveyHeadline()]);
  return { user: { name: user.name }, summary, monthly, matrix, survey };
}

export default function Dashboard() {
  const { user, summary, monthly, matrix, survey } = useLoaderData<typeof loader>();
  const partial = monthly.at(-1)?.partial ? monthly.at(-1)! : null;
  const loyal = matrix.cells.find((c) => c.segment === "loyal_active")!;
  const loyalLapsed = matrix.cells.find((c) => c.segment === "loyal_lapsed")!;
  const { t, i18n } = useTranslation();
  const f = useFormat();
  return (
    <>
      <PageHeader title={t("dashboard.title")} subtitle={t("dashboard.welcome", { name: user.name })} />
      {summary.customers === 0 ? (
        <div className="card">
          <EmptyState icon="◉" title={t("dashboard.emptyTitle")} body={t("dashboard.emptyBody")} />
        </div>
      ) : (
        <>
          <div className="grid stats">
            <StatCard label={t("dashboard.customers")} value={f.number(summary.customers)} />
            <StatCard label={t("dashboard.purchases")} value={f.number(summary.purchases)} />
            <StatCard label={t("dashboard.revenue")} value={f.money(summary.revenue)} />
            <StatCard
              label={t("dashboard.lastPurchase")}
              value={summary.lastPurchaseAt ? f.date(summary.lastPurchaseAt) : t("dashboard.none")}
            />
          </div>
          <div className="grid stats">
            <StatCard
              label={t("cpm.activeLoyalShare")}
              value={f.percent(matrix.activeLoyalShare)}
              hint={<Link to="/staff/behaviour">{t("cpm.target", { target: f.percent(0.2) })} · {t("cpm.tabs.matrix")} →</Link>}
            />
            <StatCard
              label={t("cpm.segments.loyal_active")}
              value={f.number(loyal.customers)}
              hint={<Link to="/staff/customers?segment=loyal_active">{f.money(loyal.totalAmount)}</Link>}
            />
            <StatCard
              label={t("cpm.segments.loyal_lapsed")}
              value={f.number(loyalLapsed.customers)}
              hint={<Link to="/staff/customers?segment=loyal_lapsed">{t("dashboard.followUp")}</Link>}
            />
          </div>
          {survey ? (
            <div className="grid stats" data-testid="survey-tiles">
              <StatCard
                label={t("dashboard.latestNps")}
                value={survey.nps.nps === null ? "—" : f.number(Math.round(survey.nps.nps))}
                hint={
                  <>
                    {survey.nps.low !== null ? t("surveys.npsInterval", { low: Math.round(survey.nps.low), high: Math.round(survey.nps.high!) }) : null}
                    {survey.nps.indicative ? ` ${t("surveys.npsIndicative", { n: survey.nps.n })}` : null}
                    <br />
                    <Link to={`/staff/surveys/${survey.surveyId}/results`}>
                      {t("dashboard.latestNpsHint", { title: survey.title[i18n.language] || survey.title.ja, answers: f.number(survey.nps.n) })} →
                    </Link>
                  </>
                }
              />
              <StatCard
                label={t("dashboard.responseRate")}
                value={survey.responseRate === null ? "—" : f.percent(survey.responseRate)}
                hint={
                  survey.responseRate === null
                    ? t("dashboard.noInvitations")
                    : t("dashboard.responseRateHint", { answered: f.number(survey.answered), invited: f.number(survey.invited) })
                }
              />
            </div>
          ) : (
            <Card>
              <EmptyState icon="✎" title={t("dashboard.noSurveyTitle")} body={t("dashboard.noSurveyBody")} />
            </Card>
          )}
          <Card title={t("dashboard.monthly")}>
            <MonthlyBars
              data={monthly.map((m) => ({
                month: m.partial ? t("dashboard.monthToDate", { month: m.month }) : m.month,
                value: m.revenue,
                partial: m.partial,
              }))}
              valueLabel={t("dashboard.revenue")}
              formatValue={f.compactMoney}
            />
            {partial ? (
              <p className="small muted" data-testid="month-to-date">
                {t("dashboard.monthToDateNote", { month: partial.month, date: f.date(partial.through) })}
              </p>
            ) : null}
          </Card>
        </>
      )}
    </>
  );
}
