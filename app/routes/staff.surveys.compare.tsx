// Waves (DESIGN §3): two surveys, or one survey over two date ranges, side by side: NPS and construct
// means with the difference B − A, its 95 % interval and whether that interval excludes zero.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { z } from "zod";
import { useMounted } from "~/components/charts/use-mounted";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, StatCard, TableWrap } from "~/components/ui";
import type { WaveDifference } from "~/domain/survey/waves";
import { compareWaves, getWave, listWaveSurveys, type WaveSelection } from "~/models/survey-waves.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

type WaveName = "A" | "B";
type WaveError =
  | { key: "surveyId" | "dateOrder"; wave: WaveName }
  | { key: "unknownSurvey"; wave: WaveName; id: number }
  | { key: "date"; wave: WaveName; value: string };

const surveyIdParam = z.string().regex(/^[1-9]\d{0,14}$/).transform(Number);
// A real calendar day: 2025-02-30 is refused here rather than by the database.
const dateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => {
    const time = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === d;
  });

/** One side of the query string (`a`, `aFrom`, `aTo` or `b`, …); bad values become errors, not a 500. */
function readWave(params: URLSearchParams, wave: WaveName, errors: WaveError[]) {
  const prefix = wave.toLowerCase();
  const raw = (name: string) => params.get(`${prefix}${name}`)?.trim() || null;
  const rawId = raw("");
  let surveyId: number | null = null;
  if (rawId) {
    const parsed = surveyIdParam.safeParse(rawId);
    if (parsed.success) surveyId = parsed.data;
    else errors.push({ key: "surveyId", wave });
  }
  const date = (name: "From" | "To") => {
    const value = raw(name);
    if (!value) return null;
    const parsed = dateParam.safeParse(value);
    if (parsed.success) return parsed.data;
    errors.push({ key: "date", wave, value: value.slice(0, 40) });
    return null;
  };
  const from = date("From");
  const to = date("To");
  if (from && to && from > to) errors.push({ key: "dateOrder", wave });
  return { given: rawId !== null, surveyId, from, to };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const params = new URL(request.url).searchParams;
  const errors: WaveError[] = [];
  const a = readWave(params, "A", errors);
  const b = readWave(params, "B", errors);
  const surveys = await listWaveSurveys();
  const byId = new Map(surveys.map((s) => [s.id, s]));
  // Only B given: compare it with the version it was copied from.
  if (!a.given && b.surveyId !== null) {
    const previous = byId.get(b.surveyId)?.previousId ?? null;
    if (previous !== null && byId.has(previous)) a.surveyId = previous;
  }
  for (const [wave, side] of [["A", a], ["B", b]] as const) {
    if (side.surveyId !== null && !byId.has(side.surveyId)) errors.push({ key: "unknownSurvey", wave, id: side.surveyId });
  }
  const selection = { a: { surveyId: a.surveyId, from: a.from, to: a.to }, b: { surveyId: b.surveyId, from: b.from, to: b.to } };
  let result = null;
  if (errors.length === 0 && a.surveyId !== null && b.surveyId !== null) {
    const [waveA, waveB] = await Promise.all([getWave(selection.a as WaveSelection), getWave(selection.b as WaveSelection)]);
    result = { responsesA: waveA.responses, responsesB: waveB.responses, ...compareWaves(waveA, waveB) };
  }
  // Bad parameters are explained on the page itself, as the movement page does (not an error page).
  return {
    surveys: surveys.map((s) => ({ id: s.id, title: s.title, version: s.version })),
    // What the form shows back: the dates as typed, so a bad one can be corrected.
    form: Object.fromEntries(["aFrom", "aTo", "bFrom", "bTo"].map((k) => [k, params.get(k) ?? ""])) as Record<string, string>,
    selection,
    errors,
    result,
  };
}

export default function CompareWaves() {
  const { surveys, form, selection, errors, result } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const navigation = useNavigation();
  const lang = i18n.language as "ja" | "en";
  const surveyTitle = (id: number | null) => {
    const survey = surveys.find((s) => s.id === id);
    return survey ? t("waves.surveyOption", { title: survey.title[lang] || survey.title.ja, version: survey.version }) : "";
  };
  const rangeText = ({ from, to }: { from: string | null; to: string | null }) =>
    from && to
      ? t("waves.range", { from: f.date(from), to: f.date(to) })
      : from
        ? t("waves.since", { from: f.date(from) })
        : to
          ? t("waves.until", { to: f.date(to) })
          : t("waves.allDates");
  // One decimal, a true minus sign, and no "−0" for a value that rounds to zero.
  const rounded = (v: number) => Math.round(v * 10) / 10 || 0;
  const point = (v: number | null) => (v === null ? "—" : `${rounded(v) < 0 ? "−" : ""}${f.number(Math.abs(rounded(v)), 1)}`);
  const signed = (v: number | null) => (v === null ? "—" : `${rounded(v) > 0 ? "+" : rounded(v) < 0 ? "" : "±"}${point(v)}`);
  const withN = (v: number | null, n: number) => (
    <>
      <div>{point(v)}</div>
      <div className="small muted">{t("waves.sampleSize", { n: f.number(n) })}</div>
    </>
  );
  const verdict = (d: WaveDifference) =>
    d.difference === null ? (
      <Badge>{t("waves.tooFew")}</Badge>
    ) : d.excludesZero ? (
      <Badge tone="brand">{t("waves.significant")}</Badge>
    ) : (
      <Badge>{t("waves.notSignificant")}</Badge>
    );
  const interval = (d: WaveDifference) =>
    d.low === null || d.high === null ? "—" : t("waves.intervalRange", { low: point(d.low), high: point(d.high) });
  const emptyWave = result ? (result.responsesA === 0 ? "A" : result.responsesB === 0 ? "B" : null) : null;

  const waveFields = (wave: WaveName) => {
    const prefix = wave.toLowerCase();
    return (
      <fieldset className="plain-fieldset stack">
        <legend className="card-title" style={{ fontWeight: 700 }}>{t(wave === "A" ? "waves.waveA" : "waves.waveB")}</legend>
        <div className="field">
          <label htmlFor={`wave-${prefix}`}>{t("waves.survey")}</label>
          <select id={`wave-${prefix}`} name={prefix} defaultValue={String(selection[prefix as "a" | "b"].surveyId ?? "")} style={{ minWidth: 0, width: "100%" }}>
            <option value="">{t("waves.chooseSurvey")}</option>
            {surveys.map((s) => (
              <option key={s.id} value={s.id}>
                {t("waves.surveyOption", { title: s.title[lang] || s.title.ja, version: s.version })}
              </option>
            ))}
          </select>
        </div>
        <div className="row gap">
          <label className="field-inline">
            {t("waves.from")} <input type="date" name={`${prefix}From`} defaultValue={form[`${prefix}From`]} />
          </label>
          <label className="field-inline">
            {t("waves.to")} <input type="date" name={`${prefix}To`} defaultValue={form[`${prefix}To`]} />
          </label>
        </div>
      </fieldset>
    );
  };

  return (
    <>
      <PageHeader title={t("waves.title")} subtitle={t("waves.subtitle")} />
      <Form method="get" className="card" aria-label={t("waves.title")}>
        <div className="form-grid">
          {waveFields("A")}
          {waveFields("B")}
        </div>
        <div className="row gap" style={{ marginTop: 12 }}>
          <Button variant="primary" busy={navigation.state === "loading"}>
            {t("waves.compare")}
          </Button>
          <span className="small muted">{t("waves.datesHint")}</span>
        </div>
      </Form>

      {errors.length > 0 ? (
        <Alert tone="error">
          <ul className="plain-list" data-testid="wave-errors">
            {errors.map((e, i) => (
              <li key={i}>{t(`waves.errors.${e.key}`, { wave: e.wave, id: "id" in e ? e.id : "", value: "value" in e ? e.value : "" })}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {!result ? (
        errors.length === 0 ? (
          <Card>
            <EmptyState icon="⇄" title={t("waves.pickTitle")} body={t("waves.pickBody")} />
          </Card>
        ) : null
      ) : emptyWave ? (
        <Card>
          <EmptyState icon="⇄" title={t("waves.noResponsesTitle")} body={t("waves.noResponsesBody", { wave: emptyWave })} />
        </Card>
      ) : (
        <>
          <div className="grid stats" data-testid="wave-summary">
            <StatCard
              label={t("waves.npsOfWave", { wave: "A" })}
              value={point(result.nps.npsA)}
              hint={`${surveyTitle(selection.a.surveyId)} · ${rangeText(selection.a)} · ${t("waves.responses", { n: f.number(result.responsesA) })}`}
            />
            <StatCard
              label={t("waves.npsOfWave", { wave: "B" })}
              value={point(result.nps.npsB)}
              hint={`${surveyTitle(selection.b.surveyId)} · ${rangeText(selection.b)} · ${t("waves.responses", { n: f.number(result.responsesB) })}`}
            />
            <StatCard
              label={t("waves.npsChange")}
              value={signed(result.nps.difference)}
              hint={
                <span className="row gap">
                  <span>
                    {t("waves.interval")} {interval(result.nps)}
                  </span>
                  {verdict(result.nps)}
                </span>
              }
            />
          </div>
          <Card title={t("waves.tableTitle")}>
            <TableWrap label={t("waves.tableTitle")}>
              <table className="table" data-testid="wave-table">
                <thead>
                  <tr>
                    <th>{t("waves.measure")}</th>
                    <th className="num">A</th>
                    <th className="num">B</th>
                    <th className="num">{t("waves.difference")}</th>
                    <th className="num">{t("waves.interval")}</th>
                    <th aria-label={t("waves.significant")} />
                  </tr>
                </thead>
                <tbody>
                  <tr data-measure="nps">
                    <td>NPS</td>
                    <td className="num" style={{ whiteSpace: "nowrap" }}>{withN(result.nps.npsA, result.nps.nA)}</td>
                    <td className="num" style={{ whiteSpace: "nowrap" }}>{withN(result.nps.npsB, result.nps.nB)}</td>
                    <td className="num">{signed(result.nps.difference)}</td>
                    <td className="num" style={{ whiteSpace: "nowrap" }}>{interval(result.nps)}</td>
                    <td>{verdict(result.nps)}</td>
                  </tr>
                  {result.constructs.map((row) => (
                    <tr key={row.construct} data-measure={row.construct}>
                      <td>{t(`surveys.constructs.${row.construct}`)}</td>
                      <td className="num" style={{ whiteSpace: "nowrap" }}>{withN(row.diff.meanA, row.nA)}</td>
                      <td className="num" style={{ whiteSpace: "nowrap" }}>{withN(row.diff.meanB, row.nB)}</td>
                      <td className="num">{signed(row.diff.difference)}</td>
                      <td className="num" style={{ whiteSpace: "nowrap" }}>{interval(row.diff)}</td>
                      <td>{verdict(row.diff)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <p className="small muted">{t("waves.explain")}</p>
          </Card>
          {result.constructs.length > 0 ? (
            <Card title={t("waves.chartTitle")}>
              <WaveBars
                label={t("waves.chartTitle")}
                data={result.constructs.map((row) => ({
                  name: t(`surveys.constructs.${row.construct}`),
                  A: row.diff.meanA === null ? null : Math.round(row.diff.meanA * 10) / 10,
                  B: row.diff.meanB === null ? null : Math.round(row.diff.meanB * 10) / 10,
                }))}
              />
            </Card>
          ) : null}
        </>
      )}
    </>
  );
}

/** Construct means of both waves, one pair of bars per construct (0–100). Rendered after hydration: charts measure the page. */
function WaveBars({ data: rows, label }: { data: { name: string; A: number | null; B: number | null }[]; label: string }) {
  const mounted = useMounted();
  const height = Math.max(180, rows.length * 52 + 40);
  if (!mounted) return <div className="chart-placeholder" style={{ height }} aria-hidden />;
  return (
    <div className="chart" role="img" aria-label={label} style={{ height }}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }} barGap={2}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
          <XAxis type="number" domain={[0, 100]} tickLine={false} axisLine={false} fontSize={12} />
          <YAxis type="category" dataKey="name" width={110} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip />
          <Legend verticalAlign="top" height={28} />
          <Bar dataKey="A" fill="#98a2b3" radius={[0, 4, 4, 0]} />
          <Bar dataKey="B" fill="var(--brand)" radius={[0, 4, 4, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
