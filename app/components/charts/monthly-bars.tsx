// A bar chart of a monthly series (recharts). Rendered after hydration: charts measure the page.
import { useMounted } from "./use-mounted";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function MonthlyBars({
  data,
  valueLabel,
  formatValue,
}: {
  /** `partial`: a month the data has not finished (month to date), drawn lighter with a dashed edge. */
  data: { month: string; value: number; partial?: boolean }[];
  valueLabel: string;
  formatValue: (value: number) => string;
}) {
  const mounted = useMounted();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  return (
    <div className="chart" role="img" aria-label={valueLabel}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="month" tickLine={false} axisLine={false} fontSize={12} />
          <YAxis tickFormatter={(v: number) => formatValue(v)} width={90} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip formatter={(v: number) => [formatValue(v), valueLabel]} />
          <Bar dataKey="value" fill="var(--brand)" radius={[4, 4, 0, 0]}>
            {data.map((d) => (
              <Cell
                key={d.month}
                fill={d.partial ? "color-mix(in srgb, var(--brand) 35%, white)" : "var(--brand)"}
                stroke={d.partial ? "var(--brand)" : undefined}
                strokeDasharray={d.partial ? "4 3" : undefined}
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
