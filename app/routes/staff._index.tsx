// The staff home (issue 16 item 4): every figure pre-computed. Transition rate (cohort_summary) and the
// active-loyal share and ten CPM cells (segment_summary) come with the behaviour refresh; the NPS and
// loyalty-score trend (survey_month_stats) with the survey statistics; the quadrant and candidate counts
// from loyalty_summary, recomputed only when those statistics or the loyalty settings changed. Each tile
// links to the page that shows the same figure. The revenue chart and the latest survey's tiles stay.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MonthlyBars } from "~/components/charts/monthly-bars";
import { LoyaltyTrend } from "~/components/dashboard/loyalty-trend";
import { Card, EmptyState, PageHeader, StatCard } from "~/components/ui";
import { baseSegments, type CpmSegment } from "~/domain/cpm";
import { candidateLists, quadrants } from "~/domain/loyalty";
import { programmeFunnel } from "~/services/programme.server";
import { getLoyaltySummary, getLoyaltyTrend, getMonthlyRevenue, getTransitionHeadline, hasCustomers } from "~/models/dashboard.server";
import { getMatrix } from "~/models/metrics.server";
import { getLatestSurveyHeadline } from "~/models/survey-results.server";
import { getBrandSettings } from "~/models/settings.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const { timeZone } = await getBrandSettings();
  // The latest survey's tiles first: when the statistics have just been refreshed, the loyalty summary
  // below sees it and is recomputed in the same request.
  const survey = await getLatestSurveyHeadline();
  const [anyCustomer, monthly, matrix, transition, trend, loyalty, programme] = await Promise.all([
    hasCustomers(),
    getMonthlyRevenue(timeZone),
    getMatrix(),
    getTransitionHeadline(),
    getLoyaltyTrend(),
    getLoyaltySummary(),
    programmeFunnel(),
  ]);
  return { user: { name: user.name }, anyCustomer, monthly, matrix, transition, trend, loyalty, survey, programme };
}

export default function Dashboard() {
  const { user, anyCustomer, monthly, matrix, transition, trend, loyalty, survey, programme } = useLoaderData<typeof loader>();
  const partial = monthly.at(-1)?.partial ? monthly.at(-1)! : null;
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const cell = (segment: CpmSegment) => matrix.cells.find((c) => c.segment === segment)!;
  const { quadrants: quadrantCounts, scored, unscored, candidates } = loyalty.counts;
  return (
    <>
      <PageHeader title={t("dashboard.title")} subtitle={t("dashboard.welcome", { name: user.name })} />
      {!anyCustomer ? (
        <div className="card">
          <EmptyState icon="◉" title={t("dashboard.emptyTitle")} body={t("dashboard.emptyBody")} />
        </div>
      ) : (
        <>
          <div className="grid stats" data-testid="target-tiles">
            <StatCard
              label={t("home.transitionRate")}
              value={transition.rate === null ? "—" : f.percent(transition.rate)}
              hint={
                <>
                  {transition.rate === null
                    ? t("home.transitionNone")
                    : t("home.transitionHint", { target: f.percent(0.5), from: transition.from, to: transition.to })}
                  <br />
                  <Link to="/staff/behaviour/cohorts">{t("home.transitionLink")}</Link>
                </>
              }
            />
            <StatCard
              label={t("cpm.activeLoyalShare")}
              value={f.percent(matrix.activeLoyalShare)}
              hint={
                <>
                  {t("home.activeLoyalHint", { target: f.percent(0.2) })}
                  <br />
                  <Link to="/staff/behaviour">{t("home.behaviourLink")}</Link>
                </>
              }
            />
            {survey ? (
              <>
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
              </>
            ) : null}
          </div>

          <div className="grid dash-grid">
            <Card title={t("home.trendTitle")}>
              {trend.length > 0 ? (
                <>
                  <LoyaltyTrend data={trend} label={t("home.trendTitle")} npsLabel={t("home.trendNps")} scoreLabel={t("home.trendScore")} />
                  <p className="small muted">{t("home.trendNote")}</p>
                </>
              ) : (
                <p className="muted">{t("home.trendEmpty")}</p>
              )}
              <p className="small">
                <Link to="/staff/surveys">{t("home.surveysLink")}</Link>
              </p>
            </Card>

            <Card title={t("home.cpmTitle")}>
              <div className="dash-cpm" data-testid="cpm-cells">
                <span />
                <span className="dash-cpm-head">{t("home.active")}</span>
                <span className="dash-cpm-head">{t("home.lapsed")}</span>
                {[...baseSegments].reverse().map((base) => (
                  <div className="dash-cpm-row" key={base}>
                    <span className="dash-cpm-base">{t(`home.base.${base}`)}</span>
                    {(["active", "lapsed"] as const).map((state) => {
                      const c = cell(`${base}_${state}`);
                      return (
                        <Link
                          key={state}
                          to={`/staff/customers?segment=${c.segment}${c.segment === "loyal_lapsed" && c.expectedValue !== null ? "&sort=alive" : ""}`}
                          className={`dash-cell${c.segment === "loyal_active" ? " dash-cell-key" : ""}`}
                        >
                          <span className="sr-only">{t("home.cellName", { segment: t(`cpm.segments.${c.segment}`) })}</span>
                          <strong>{f.number(c.customers)}</strong>
                          <small>{f.percent(c.share)}</small>
                        </Link>
                      );
                    })}
                  </div>
                ))}
              </div>
              <p className="small muted">{t("home.cpmCaption", { count: f.number(matrix.segmented) })}</p>
              <p className="small">
                <Link to="/staff/behaviour">{t("home.behaviourLink")}</Link>
              </p>
            </Card>
          </div>

          <div className="grid dash-grid">
            <Card title={t("home.quadrantsTitle")}>
              {scored > 0 ? (
                <div className="dash-quadrants" data-testid="quadrant-counts">
                  {quadrants.map((quadrant) => (
                    <Link
                      key={quadrant}
                      to={`/staff/customers?quadrant=${quadrant}`}
                      className={`dash-cell dash-quadrant-${quadrant}`}
                    >
                      <small>{t(`loyalty.quadrants.${quadrant}`)}</small>
                      <strong>{f.number(quadrantCounts[quadrant])}</strong>
                      <small>{f.percent(quadrantCounts[quadrant] / scored)}</small>
                    </Link>
                  ))}
                </div>
              ) : (
                <EmptyState icon="◇" title={t("home.notScoredTitle")} body={t("home.notScoredBody")} />
              )}
              <p className="small muted">
                {t("home.quadrantsCaption", { scored: f.number(scored), unscored: f.number(unscored) })} {t("home.countedAt", { date: f.dateTime(loyalty.computedAt) })}
              </p>
              <p className="small">
                <Link to="/staff/loyalty">{t("home.matrixLink")}</Link>
              </p>
            </Card>

            <Card title={t("home.candidatesTitle")}>
              <div className="dash-candidates" data-testid="candidate-counts">
                {candidateLists.map((list) => (
                  <Link
                    key={list}
                    to={`/staff/candidates?list=${list}`}
                    className="dash-cell"
                  >
                    <small>{t(`candidates.lists.${list}`)}</small>
                    <strong>{f.number(candidates[list])}</strong>
                  </Link>
                ))}
              </div>
              <p className="small muted">{t("home.candidatesCaption")}</p>
              <p className="small">
                <Link to="/staff/candidates">{t("home.candidatesLink")}</Link>
              </p>
            </Card>
          </div>

          {/* The programme funnel (issue 16 item 4, DESIGN §5): today's candidates → invited → accepted → active. */}
          <Card title={t("ambassadors.funnel")}>
            <div className="funnel" data-testid="programme-funnel">
              {programme.steps.map((step) => (
                <Link key={step.key} to="/staff/ambassadors" className="dash-cell">
                  <small>{t(`ambassadors.steps.${step.key}`)}</small>
                  <strong>{f.number(step.n)}</strong>
                  {step.conversion !== null ? <small>{t("ambassadors.conversion", { rate: f.percent(step.conversion) })}</small> : null}
                </Link>
              ))}
            </div>
          </Card>

          {survey ? null : (
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
