// A survey's results: NPS with its 95 % adjusted-Wald interval, the 0–10 distribution, the
// psychological loyalty score, each construct's mean and Cronbach's alpha in plain words, every
// question's result (choice questions crossed with NPS category or CPM segment on request), NPS by
// month across surveys, results by CPM segment, and the open-text answers with search. Everything can
// be narrowed to one segment (or to the anonymous / no-purchase respondents).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ConstructBars, NpsDistribution, NpsTrend } from "~/components/charts/survey-charts";
import { SegmentBadge } from "~/components/cpm/segment";
import { ConstructTable, GroupLabel, QuestionResultCard, type CrossBy } from "~/components/survey-results";
import { Badge, Card, EmptyState, PageHeader, StatCard, TableWrap } from "~/components/ui";
import { cpmSegments } from "~/domain/cpm";
import { getNpsTrend, getOpenText, getSurveyResults, parseResultGroup } from "~/models/survey-results.server";
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
  const segment = parseResultGroup(url.searchParams.get("segment"));
  const crossParam = url.searchParams.get("cross");
  const crossBy: CrossBy = crossParam === "nps" || crossParam === "segment" ? crossParam : null;
  const q = url.searchParams.get("q")?.trim().slice(0, 100) || null;
  // Big surveys: show the last statistics while fresh ones are computed in the background.
  const results = await getSurveyResults(id, segment, undefined, { wait: false });
  const [trend, openText] = await Promise.all([getNpsTrend(segment), getOpenText(id, segment, q)]);
  return { survey: { id, title: survey.title, questions: survey.questions }, segment, crossBy, results, trend, openText };
}

export default function SurveyResultsPage() {
  const { survey, segment, crossBy, results, trend, openText } = useLoaderData<typeof loader>();
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
  const constructData = Object.entries(results.constructs)
    .filter(([, c]) => c!.mean !== null)
    .map(([c, r]) => ({ name: t(`surveys.constructs.${c}`), value: r!.mean! }));
  const hasChoice = survey.questions.some((q) => q.type === "single" || q.type === "multiple");

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
          <>
            <Link className="button button-ghost" to={`/staff/surveys/compare?b=${survey.id}`}>
              {t("waves.link")}
            </Link>
            <a className="button button-secondary" href={`/staff/surveys/${survey.id}/responses.csv?bom=1`} download>
              {t("surveys.exportCsv")}
            </a>
          </>
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
            <option value="none">{t("surveys.noPurchases")}</option>
            <option value="anonymous">{t("surveys.anonymous")}</option>
          </select>
        </label>
        {hasChoice ? (
          <label className="field-inline">
            {t("surveys.crossBy")}
            <select name="cross" defaultValue={crossBy ?? ""} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
              <option value="">{t("surveys.crossNone")}</option>
              <option value="nps">{t("surveys.crossNps")}</option>
              <option value="segment">{t("surveys.crossSegment")}</option>
            </select>
          </label>
        ) : null}
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
          <div className="grid stats" data-testid="results-summary">
            <StatCard label={t("surveys.responses")} value={f.number(results.responses)} />
            <StatCard
              label="NPS"
              value={nps.nps === null ? "—" : f.number(Math.round(nps.nps))}
              hint={
                nps.low === null ? undefined : (
                  <>
                    {t("surveys.npsInterval", { low: Math.round(nps.low), high: Math.round(nps.high!) })}
                    {nps.indicative ? (
                      <span className="indicative" data-testid="nps-indicative">
                        {" "}
                        {t("surveys.npsIndicative", { n: nps.n })}
                      </span>
                    ) : null}
                  </>
                )
              }
            />
            <StatCard label={t("surveys.psychScore")} value={round(results.psychMean)} hint={t("surveys.psychScoreHint")} />
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
            </Card>
          </div>
          <Card title={t("surveys.constructTable")}>
            <ConstructTable constructs={results.constructs} />
            <p className="small muted">{t("surveys.alphaExplained")}</p>
          </Card>
          <div className="grid two">
            <Card title={t("surveys.npsTrend")}>
              {trend.length > 0 ? <NpsTrend data={trend} label={t("surveys.npsTrend")} /> : <p className="muted">—</p>}
            </Card>
            <Card title={t("surveys.resultsBySegment")}>
              <TableWrap label={t("surveys.resultsBySegment")}>
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
                      <td>
                        <GroupLabel group={row.segment} />
                      </td>
                      <td className="num">{f.number(row.responses)}</td>
                      <td className="num">{row.nps === null ? "—" : f.number(row.nps)}</td>
                      <td className="num">{round(row.psychMean)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </TableWrap>
            </Card>
          </div>
        </>
      )}

      {results.responses > 0 ? (
        <section aria-labelledby="question-results">
          <h2 id="question-results" className="section-title">
            {t("surveys.questionResults")}
          </h2>
          <div className="question-grid">
            {survey.questions.map((q) => {
              const result = results.questions.find((r) => r.key === q.key);
              return result ? <QuestionResultCard key={q.key} question={q} result={result} crossBy={crossBy} /> : null;
            })}
          </div>
        </section>
      ) : null}

      {openText.keys.length > 0 ? (
        <Card title={t("surveys.openText")}>
          <Form method="get" className="filters" role="search">
            {segment ? <input type="hidden" name="segment" value={segment} /> : null}
            {crossBy ? <input type="hidden" name="cross" value={crossBy} /> : null}
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
