// A customer-potential fit in words: its facts (date, data, customers, log-likelihood, iterations) and
// each parameter with what it means, computed from the parameters (BG/NBD: the purchase rate while
// active and the drop-out chance; Gamma-Gamma: the mean spend per purchase day and how much it varies).
import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/use-format";

export interface FitFacts {
  fittedAt: string | Date;
  asOf: string;
  customers: number;
  logLikelihood: number | null;
  iterations: number;
  seconds: number;
}

/** About three significant digits, whatever the scale (0.00693, 0.243, 35.1, 812). */
export function useParameterFormat() {
  const f = useFormat();
  return (v: number) => (!Number.isFinite(v) || v === 0 ? f.number(v) : f.number(v, Math.max(0, Math.min(8, 2 - Math.floor(Math.log10(Math.abs(v)))))));
}

export function FitDetails({ fit }: { fit: FitFacts }) {
  const { t } = useTranslation();
  const f = useFormat();
  const facts: [string, string][] = [
    [t("potentialPage.facts.fittedAt"), f.dateTime(fit.fittedAt)],
    [t("potentialPage.facts.asOf"), f.date(fit.asOf)],
    [t("potentialPage.facts.customers"), f.number(fit.customers)],
    [t("potentialPage.facts.logLikelihood"), fit.logLikelihood === null ? "—" : f.number(fit.logLikelihood, 1)],
    [t("potentialPage.facts.iterations"), f.number(fit.iterations)],
    [t("potentialPage.facts.seconds"), t("potentialPage.secondsValue", { seconds: f.number(fit.seconds, 2) })],
  ];
  return (
    <dl className="details">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ParameterList({ items, label }: { items: { symbols: string; meaning: string }[]; label: string }) {
  return (
    <section className="stack">
      <h3 className="stat-label">{label}</h3>
      <ul className="plain-list">
        {items.map((item) => (
          <li key={item.symbols}>
            <span className="mono strong">{item.symbols}</span>
            <br />
            <span className="small">{item.meaning}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function BgNbdParameters({ params }: { params: { r: number; alpha: number; a: number; b: number } }) {
  const { t } = useTranslation();
  const f = useFormat();
  const p = useParameterFormat();
  const rate = params.r / params.alpha;
  return (
    <ParameterList
      label={t("potentialPage.parameters")}
      items={[
        {
          symbols: `r = ${p(params.r)}, α = ${p(params.alpha)}`,
          meaning: t("potentialPage.meanings.rAlpha", { rate: p(rate), every: f.number(1 / rate, 1), perYear: f.number(rate * 365, 1) }),
        },
        { symbols: `r = ${p(params.r)}`, meaning: t("potentialPage.meanings.r") },
        { symbols: `a = ${p(params.a)}, b = ${p(params.b)}`, meaning: t("potentialPage.meanings.ab", { dropout: f.percent(params.a / (params.a + params.b)) }) },
      ]}
    />
  );
}

export function GammaGammaParameters({ params }: { params: { p: number; q: number; gamma: number } }) {
  const { t } = useTranslation();
  const f = useFormat();
  const p = useParameterFormat();
  return (
    <ParameterList
      label={t("potentialPage.parameters")}
      items={[
        {
          symbols: `p = ${p(params.p)}, q = ${p(params.q)}, γ = ${p(params.gamma)}`,
          meaning:
            params.q > 1
              ? t("potentialPage.meanings.pqGamma", { mean: f.money((params.p * params.gamma) / (params.q - 1)) })
              : t("potentialPage.meanings.pqGammaUndefined"),
        },
        { symbols: `q = ${p(params.q)}`, meaning: t("potentialPage.meanings.q") },
      ]}
    />
  );
}
