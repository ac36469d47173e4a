// The loyalty matrix's scatter, binned (issue 16): x the behaviour score's 13 values (RFM 3–15) and a
// column for customers without purchases, y the loyalty score in bins of 5. One cell per bin, shaded by
// its count on a log scale, so 100,000 customers read as easily as 100. The psychology border is a line.
import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/use-format";

export interface HeatBin {
  x: number | null;
  y: number;
  n: number;
}

/** The 13 values the behaviour score takes (mean RFM of 1–5, rescaled 0–100), one decimal. */
export const behaviourValues = Array.from({ length: 13 }, (_, k) => Math.round((k / 12) * 1000) / 10);
const rows = Array.from({ length: 20 }, (_, k) => 95 - k * 5);

export function HeatGrid({ bins, psychBorder }: { bins: HeatBin[]; psychBorder: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const count = new Map(bins.map((b) => [`${b.x ?? "none"}:${b.y}`, b.n]));
  const max = Math.max(1, ...bins.map((b) => b.n));
  const columns: (number | null)[] = [null, ...behaviourValues];
  const shade = (n: number) => (n === 0 ? 0 : 0.12 + 0.88 * (Math.log(1 + n) / Math.log(1 + max)));
  return (
    <figure className="heat">
      <div className="heat-body">
        <div className="heat-y-label">{t("loyalty.scatterY")}</div>
        <div className="heat-grid" role="img" aria-label={t("loyalty.scatterLabel", { max: f.number(max) })} style={{ gridTemplateColumns: `2.2rem repeat(${columns.length}, minmax(0, 1fr))` }}>
          {rows.map((y) => (
            <div className="heat-row contents" key={y}>
              <span className="heat-tick">{y % 20 === 0 ? y : ""}</span>
              {columns.map((x) => {
                const n = count.get(`${x ?? "none"}:${y}`) ?? 0;
                const border = y + 5 > psychBorder && y <= psychBorder;
                return (
                  <span
                    key={`${x}:${y}`}
                    className={`heat-cell${x === null ? " heat-none" : ""}${border ? " heat-border" : ""}`}
                    style={{ opacity: n ? undefined : 0.35, background: n ? `color-mix(in srgb, var(--brand) ${Math.round(shade(n) * 100)}%, white)` : undefined }}
                    title={t("loyalty.binTitle", { count: n, formatted: f.number(n), x: x === null ? t("loyalty.noPurchases") : x, low: y, high: y + 5 })}
                  />
                );
              })}
            </div>
          ))}
          <span />
          {columns.map((x, i) => (
            <span className="heat-tick heat-x" key={`x${i}`}>
              {x === null ? "—" : i % 3 === 1 ? f.number(x, 0) : ""}
            </span>
          ))}
        </div>
      </div>
      <figcaption className="small muted">
        {t("loyalty.scatterX")} {t("loyalty.scatterNote", { border: psychBorder })}
      </figcaption>
      <div className="heat-legend small muted" aria-hidden>
        <span>{t("loyalty.fewer")}</span>
        <span className="heat-scale" />
        <span>{t("loyalty.more", { max: f.number(max) })}</span>
      </div>
    </figure>
  );
}
