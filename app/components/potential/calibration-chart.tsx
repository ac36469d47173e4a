// The calibration-vs-hold-out plot of the validation: customers grouped by their repeat purchase days
// before the hold-out (0 … 6, 7 or more), and each group's mean purchase days in the hold-out, predicted
// against actual (recharts, rendered after hydration), with a table of the same numbers beside it.
import { useTranslation } from "react-i18next";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMounted } from "~/components/charts/use-mounted";
import { TableWrap } from "~/components/ui";
import { useFormat } from "~/utils/use-format";

export interface CalibrationBucket {
  /** Repeat purchase days in the calibration period (the last bucket: this many or more). */
  x: number;
  customers: number;
  /** Purchase days in the hold-out, summed over the bucket's customers. */
  predicted: number;
  actual: number;
}

const perCustomer = (total: number, customers: number) => (customers > 0 ? total / customers : null);

export function CalibrationChart({ buckets }: { buckets: CalibrationBucket[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mounted = useMounted();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  const last = buckets.length - 1;
  const data = buckets.map((b, i) => ({
    bucket: i === last ? `${b.x}+` : String(b.x),
    predicted: perCustomer(b.predicted, b.customers),
    actual: perCustomer(b.actual, b.customers),
  }));
  const show = (v: number) => f.number(v, 2);
  return (
    <div className="chart" role="img" aria-label={t("potentialPage.chart.label")}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="bucket"
            tickLine={false}
            axisLine={false}
            fontSize={12}
            interval={0}
            height={44}
            label={{ value: t("potentialPage.chart.xAxis"), position: "insideBottom", offset: 0, fontSize: 12, fill: "var(--muted)" }}
          />
          <YAxis tickFormatter={show} width={44} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip formatter={(v: number) => show(v)} />
          <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" />
          <Line name={t("potentialPage.chart.actual")} type="monotone" dataKey="actual" stroke="var(--brand)" strokeWidth={2} dot connectNulls />
          <Line name={t("potentialPage.chart.predicted")} type="monotone" dataKey="predicted" stroke="#1f7a4d" strokeWidth={2} strokeDasharray="5 3" dot connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function CalibrationTable({ buckets }: { buckets: CalibrationBucket[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const last = buckets.length - 1;
  const per = (total: number, customers: number) => {
    const v = perCustomer(total, customers);
    return v === null ? "—" : f.number(v, 2);
  };
  const total = buckets.reduce((s, b) => ({ customers: s.customers + b.customers, predicted: s.predicted + b.predicted, actual: s.actual + b.actual }), {
    customers: 0,
    predicted: 0,
    actual: 0,
  });
  return (
    <TableWrap label={t("potentialPage.chart.title")}>
      <table className="table" data-testid="calibration-table">
        <thead>
          <tr>
            <th scope="col">{t("potentialPage.table.bucket")}</th>
            <th scope="col" className="num">{t("potentialPage.table.customers")}</th>
            <th scope="col" className="num">{t("potentialPage.table.predictedTotal")}</th>
            <th scope="col" className="num">{t("potentialPage.table.actualTotal")}</th>
            <th scope="col" className="num">{t("potentialPage.table.predictedPer")}</th>
            <th scope="col" className="num">{t("potentialPage.table.actualPer")}</th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((b, i) => (
            <tr key={b.x} className={b.customers === 0 ? "row-muted" : ""}>
              <td>{i === last ? t("potentialPage.table.last", { x: b.x }) : b.x}</td>
              <td className="num">{f.number(b.customers)}</td>
              <td className="num">{f.number(b.predicted, 1)}</td>
              <td className="num">{f.number(b.actual)}</td>
              <td className="num">{per(b.predicted, b.customers)}</td>
              <td className="num">{per(b.actual, b.customers)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="strong">
            <td>{t("potentialPage.table.total")}</td>
            <td className="num">{f.number(total.customers)}</td>
            <td className="num">{f.number(total.predicted, 1)}</td>
            <td className="num">{f.number(total.actual)}</td>
            <td className="num">{per(total.predicted, total.customers)}</td>
            <td className="num">{per(total.actual, total.customers)}</td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}
