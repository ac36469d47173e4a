// Pieces of the survey results page: the constructs' means and reliability, and one card per question
// (a stacked bar for scale questions, share bars for choice questions, crossed tables). Plain HTML and
// CSS, rendered on the server: readable before any script runs.
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { Badge, Card, TableWrap } from "~/components/ui";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import type { ChoiceCross, ChoiceResult, ConstructResult, QuestionResult, ScaleResult } from "~/domain/survey/results";
import type { Question } from "~/domain/survey/types";
import { useFormat } from "~/utils/use-format";

export type CrossBy = "nps" | "segment" | null;

/** A choice option's label in the reader's language (its stored value when the option is gone). */
const optionLabel = (question: Question, value: string, lang: "ja" | "en") => question.options?.find((o) => o.value === value)?.label[lang] ?? value;

/** A result group's name: a CPM segment's badge, or "no purchases yet" / "anonymous". */
export function GroupLabel({ group }: { group: string }) {
  const { t } = useTranslation();
  if ((cpmSegments as readonly string[]).includes(group)) return <SegmentBadge segment={group as CpmSegment} />;
  return <span className="muted">{group === "none" ? t("surveys.noPurchases") : t("surveys.anonymous")}</span>;
}

export function ConstructTable({ constructs }: { constructs: Partial<Record<string, ConstructResult>> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const entries = Object.entries(constructs);
  if (entries.length === 0) return null;
  return (
    <TableWrap label={t("surveys.constructTable")}>
      <table className="table" data-testid="constructs">
        <thead>
          <tr>
            <th>{t("surveys.construct")}</th>
            <th className="num">{t("surveys.mean")}</th>
            <th className="num col-text">{t("surveys.alpha")}</th>
            <th className="num">{t("surveys.complete")}</th>
            <th className="num">{t("surveys.items")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([name, c]) => (
            <tr key={name} data-construct={name}>
              <td>{t(`surveys.constructs.${name}`)}</td>
              <td className="num">{c!.mean === null ? "—" : f.number(c!.mean, 1)}</td>
              <td className="num">
                <span className="mono">{c!.alpha === null ? "—" : c!.alpha.toFixed(3)}</span>
                <div className="small muted">
                  {c!.items < 2 ? t("surveys.alphaOneItem") : c!.reading ? t(`surveys.alphaReadings.${c!.reading}`) : t("surveys.alphaNotEnough")}
                </div>
              </td>
              <td className="num">{f.number(c!.complete)}</td>
              <td className="num">{c!.items}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// Points of a scale from its low end (red) to its high end (green), through grey.
function pointColour(index: number, count: number) {
  const x = count <= 1 ? 1 : index / (count - 1);
  const hue = Math.round(8 + x * 140);
  const saturation = Math.round(20 + Math.abs(x - 0.5) * 120);
  return `hsl(${hue} ${saturation}% ${x > 0.35 && x < 0.65 ? 62 : 42}%)`;
}

function ScaleCard({ result }: { result: ScaleResult }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = (share: number) => f.percent(share);
  return (
    <>
      <div className="stacked-bar" role="img" aria-label={result.distribution.map((d) => `${d.value}: ${pct(d.share)}`).join(", ")}>
        {result.distribution.map((d, i) =>
          d.n > 0 ? (
            <span key={d.value} style={{ width: `${d.share * 100}%`, background: pointColour(i, result.distribution.length) }} title={`${d.value}: ${d.n}`} />
          ) : null,
        )}
      </div>
      <ul className="point-legend small">
        {result.distribution.map((d, i) => (
          <li key={d.value}>
            <span className="swatch" style={{ background: pointColour(i, result.distribution.length) }} aria-hidden />
            <strong>{d.value}</strong> {f.number(d.n)} <span className="muted">({pct(d.share)})</span>
          </li>
        ))}
      </ul>
      <p className="row gap small">
        <span>
          {t("surveys.mean")} <strong>{result.mean === null ? "—" : f.number(result.mean, 2)}</strong>
        </span>
        {result.type === "likert" ? (
          <span>
            {t("surveys.topTwoBox")} <strong>{result.topTwoBox == null ? "—" : pct(result.topTwoBox)}</strong>
          </span>
        ) : null}
      </p>
    </>
  );
}

function ShareBars({ question, options, lang }: { question: Question; options: ChoiceResult["options"]; lang: "ja" | "en" }) {
  const f = useFormat();
  const label = (value: string) => optionLabel(question, value, lang);
  return (
    <ul className="share-bars">
      {options.map((o) => (
        <li key={o.value}>
          <span className="share-label">{label(o.value)}</span>
          <span className="share-track" aria-hidden>
            <span className="share-fill" style={{ width: `${o.share * 100}%` }} />
          </span>
          <span className="share-figure small">
            {f.number(o.n)} <span className="muted">({f.percent(o.share)})</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

function CrossTable({ question, cross, by, lang }: { question: Question; cross: ChoiceCross[]; by: "nps" | "segment"; lang: "ja" | "en" }) {
  const { t } = useTranslation();
  const f = useFormat();
  const label = (value: string) => optionLabel(question, value, lang);
  const head = (group: string) =>
    by === "segment" ? <GroupLabel group={group} /> : group ? t(`surveys.npsCategories.${group}`) : t("surveys.noNpsCategory");
  return (
    <TableWrap label={`${question.label[lang] || question.label.ja}: ${by === "nps" ? t("surveys.crossNps") : t("surveys.crossSegment")}`}>
      <table className="table cross-table" data-testid={`cross-${question.key}`}>
        <thead>
          <tr>
            <th>{t("surveys.option")}</th>
            {cross.map((c) => (
              <th key={c.group} className="num">
                {head(c.group)}
                <div className="small muted">n={f.number(c.answered)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(question.options ?? []).map((o) => (
            <tr key={o.value}>
              <td>{label(o.value)}</td>
              {cross.map((c) => {
                const cell = c.options.find((x) => x.value === o.value);
                return (
                  <td key={c.group} className="num">
                    {f.percent(cell?.share ?? 0)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function QuestionResultCard({ question, result, crossBy }: { question: Question; result: QuestionResult; crossBy: CrossBy }) {
  const { t, i18n } = useTranslation();
  const lang = (i18n.language === "en" ? "en" : "ja") as "ja" | "en";
  return (
    <Card>
      <div className="question-result" data-testid={`question-${question.key}`} data-type={question.type}>
        <h3 className="card-title">{question.label[lang] || question.label.ja}</h3>
        <p className="row gap small muted">
          <span className="mono">{question.key}</span>
          <Badge>{t(`surveys.questionTypes.${question.type}`)}</Badge>
          {question.construct ? <Badge tone="brand">{t(`surveys.constructs.${question.construct}`)}</Badge> : null}
          <span>{t("surveys.answeredCount", { count: result.answered })}</span>
        </p>
        {result.type === "nps" || result.type === "likert" || result.type === "rating" ? (
          <ScaleCard result={result} />
        ) : result.type === "single" || result.type === "multiple" ? (
          <>
            <ShareBars question={question} options={result.options} lang={lang} />
            {result.type === "multiple" ? <p className="small muted">{t("surveys.ofRespondents")}</p> : null}
            {crossBy ? (
              <CrossTable question={question} cross={crossBy === "nps" ? result.byNpsCategory : result.bySegment} by={crossBy} lang={lang} />
            ) : null}
          </>
        ) : (
          <p className="small">{t("surveys.textAnswered", { count: result.answered })}</p>
        )}
      </div>
    </Card>
  );
}
