// A survey's results: NPS with its 95 % interval, the 0–10 distribution, the psychological loyalty
// score and construct means, Cronbach's alpha in plain words, NPS by month across surveys, results
// by CPM segment, and the open-text answers with search. Everything can be narrowed to one segment.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ConstructBars, NpsDistribution, NpsTrend } from "~/components/charts/survey-charts";
import { SegmentBadge } from "~/components/cpm/segment";
import { Badge, Card, EmptyState, PageHeader, StatCard } from "~/components/ui";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { getNpsTrend, getOpenText, getSurveyResults } from "~/models/survey-results.server";
import { getSurvey } from "~/models/surveys.server";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const id = idParam(params.id);
  const survey = await getSurvey(id);
  if (!survey) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const segment = cpmSegments.find((s) => s === url.searchParams.get("segment")) ?? null;
  const q = url.searchParams.get("q")?.trim().slice(0, 100) || null;
  // Big surveys: show the last statistics while fresh ones are computed in the background.
  const results = await getSurveyResults(id, segment, undefined, { wait: false });
  const [trend, openText] = await Promise.all([getNpsTrend(segment), getOpenText(id, segment, q)]);
  return { survey: { id, title: survey.title }, segment, results, trend, openText };
}

export default function SurveyResultsPage() {
  const { survey, segment, results, trend, openText } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const title = survey.title[i18n.language as "ja" | "en"] || survey.title.ja;
  const nps = results.nps;
  const round = (v: number | null) => (v === null ? "—" : f.number(v, 1));
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!results.updating) return;
    const timer = setTimeout(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearTimeout(timer);
  }, [results.updating, revalidator]);
  const constructData = Object.entries(results.constructMeans).map(([c, value]) => ({ name: t(`surveys.constructs.${c}`), value: value! }));

  return (
    <>
      <PageHeader
        title={t("surveys.resultsTitle", { title })}
        subtitle={
          <span className="row gap">
            <Link to={`/staff/surveys/${survey.id}`}>← {t("surveys.backToSurvey")}</Link>
            {results.asOf ? <span className="muted small">{t("surveys.statsAsOf", { time: f.dateTime(results.asOf) })}</span> : null}
            {results.updating ? <span className="muted small" aria-live="polite">{t("surveys.statsUpdating")}</span> : null}
          </span>
        }
        actions={
          <a className="button button-secondary" href={`/staff/surveys/${survey.id}/responses.csv?bom=1`} download>
            {t("surveys.exportCsv")}
          </a>
        }
      />
      <Form method="get" className="filters card">
        <label className="field-inline">
          {t("customers.segment")}
          <select name="segment" defaultValue={segment ?? ""} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            <option value="">{t("surveys.allCustomers")}</option>
            {cpmSegments.map((s) => (
              <option key={s} value={s}>
                {t(`cpm.segments.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {params.get("q") ? <input type="hidden" name="q" value={params.get("q")!} /> : null}
        <noscript>
          <button type="submit" className="button button-secondary">
            {t("mailbox.apply")}
          </button>
        </noscript>
      </Form>

      {results.responses === 0 ? (
        <Card>
          <EmptyState icon="✎" title={t("surveys.noResponsesTitle")} body={t("surveys.noResponsesBody")} />
        </Card>
      ) : (
        <>
          <div className="grid four" data-testid="results-summary">
            <StatCard label={t("surveys.responses")} value={f.number(results.responses)} />
            <StatCard
              label="NPS"
              value={nps.nps === null ? "—" : f.number(Math.round(nps.nps))}
              hint={nps.low === null ? undefined : t("surveys.npsInterval", { low: Math.round(nps.low), high: Math.round(nps.high!) })}
            />
            <StatCard label={t("surveys.psychScore")} value={round(results.psychMean)} hint={t("surveys.psychScoreHint")} />
            <StatCard
              label={t("surveys.alpha")}
              value={results.alpha.value === null ? "—" : f.number(results.alpha.value, 2)}
              hint={results.alpha.reading ? t(`surveys.alphaReadings.${results.alpha.reading}`) : t("surveys.alphaNotEnough")}
            />
          </div>
          <div className="grid two">
            <Card title={t("surveys.distribution")}>
              <NpsDistribution counts={results.distribution} label={t("surveys.distribution")} />
              <p className="small muted">
                {t("surveys.categories", {
                  promoters: f.number(results.counts.promoters),
                  passives: f.number(results.counts.passives),
                  detractors: f.number(results.counts.detractors),
                })}
              </p>
            </Card>
            <Card title={t("surveys.constructMeans")}>
              <ConstructBars data={constructData} label={t("surveys.constructMeans")} />
              <p className="small muted">
                {t("surveys.alphaExplained", { items: results.alpha.items.join(", "), n: f.number(results.alpha.completeCases) })}
              </p>
            </Card>
          </div>
          <div className="grid two">
            <Card title={t("surveys.npsTrend")}>
              {trend.length > 0 ? <NpsTrend data={trend} label={t("surveys.npsTrend")} /> : <p className="muted">—</p>}
            </Card>
            <Card title={t("surveys.resultsBySegment")}>
              <table className="table" data-testid="results-by-segment">
                <thead>
                  <tr>
                    <th>{t("customers.segment")}</th>
                    <th className="num">{t("surveys.responses")}</th>
                    <th className="num">NPS</th>
                    <th className="num">{t("surveys.psychScore")}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.bySegment.map((row) => (
                    <tr key={row.segment ?? "none"}>
                      <td>{row.segment ? <SegmentBadge segment={row.segment as CpmSegment} /> : <span className="muted">{t("surveys.anonymous")}</span>}</td>
                      <td className="num">{f.number(row.responses)}</td>
                      <td className="num">{row.nps === null ? "—" : f.number(row.nps)}</td>
                      <td className="num">{round(row.psychMean)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          </div>
        </>
      )}

      {openText.keys.length > 0 ? (
        <Card title={t("surveys.openText")}>
          <Form method="get" className="filters" role="search">
            {segment ? <input type="hidden" name="segment" value={segment} /> : null}
            <input type="search" name="q" defaultValue={params.get("q") ?? ""} placeholder={t("surveys.searchText")} aria-label={t("surveys.searchText")} />
            <button type="submit" className="button button-secondary">
              {t("customers.search")}
            </button>
          </Form>
          {openText.answers.length === 0 ? (
            <p className="muted">{t("surveys.noText")}</p>
          ) : (
            <ul className="plain-list open-text" data-testid="open-text">
              {openText.answers.map((a) => (
                <li key={`${a.id}-${a.key}`}>
                  <p className="quote">{a.text}</p>
                  <p className="small muted row gap">
                    <span>{f.date(a.submittedAt)}</span>
                    {a.customer ? <Link to={`/staff/customers/${a.customerId}`}>{a.customer}</Link> : <span>{t("surveys.anonymous")}</span>}
                    {a.segment ? <SegmentBadge segment={a.segment} /> : null}
                    {a.npsCategory ? <Badge>{t(`surveys.npsCategories.${a.npsCategory}`)}</Badge> : null}
                    <span className="mono">{a.key}</span>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}
    </>
  );
}
