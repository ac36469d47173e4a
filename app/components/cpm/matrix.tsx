// The CPM matrix (DESIGN §2): five base segments by active / lapsed, each cell linking to its customers.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { baseSegments, guidanceKey, type CpmSegment } from "~/domain/cpm";
import type { MatrixCell } from "~/models/metrics.server";
import { useFormat } from "~/utils/use-format";

export function CpmMatrix({ cells }: { cells: MatrixCell[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const cell = (segment: CpmSegment) => cells.find((c) => c.segment === segment)!;
  return (
    <div className="cpm-matrix" role="table" aria-label={t("cpm.matrixTitle")}>
      <div className="cpm-row cpm-head" role="row">
        <span role="columnheader" />
        <span role="columnheader">{t("cpm.active")}</span>
        <span role="columnheader">{t("cpm.lapsed")}</span>
      </div>
      {baseSegments.map((base) => (
        <div className="cpm-row" role="row" key={base}>
          <span className="cpm-base" role="rowheader">
            <strong>{t(`cpm.base.${base}`)}</strong>
            <small className="muted">{t(`cpm.baseHelp.${base}`)}</small>
          </span>
          {(["active", "lapsed"] as const).map((state) => {
            const c = cell(`${base}_${state}` as CpmSegment);
            return (
              <Link
                key={state}
                role="cell"
                to={`/staff/customers?segment=${c.segment}${c.segment === "loyal_lapsed" && c.expectedValue !== null ? "&sort=alive" : ""}`}
                className={`cpm-cell segment-${base} segment-${state}${c.segment === "loyal_lapsed" ? " cpm-priority" : ""}`}
                data-testid={`cell-${c.segment}`}
              >
                <span className="cpm-count">{f.number(c.customers)}</span>
                <span className="cpm-share">{f.percent(c.share)}</span>
                <dl className="cpm-figures">
                  <dt>{t("cpm.total")}</dt>
                  <dd>{f.money(c.totalAmount)}</dd>
                  <dt>{t("cpm.average")}</dt>
                  <dd>{f.money(Math.round(c.averageSpend))}</dd>
                  {c.expectedValue !== null ? (
                    <>
                      <dt>{t("potential.expectedValue")}</dt>
                      <dd>{f.money(Math.round(c.expectedValue))}</dd>
                    </>
                  ) : null}
                </dl>
                <span className="cpm-guidance">{t(guidanceKey(c.segment))}</span>
              </Link>
            );
          })}
        </div>
      ))}
    </div>
  );
}
