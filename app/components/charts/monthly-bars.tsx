// A bar chart of a monthly series (recharts). Rendered after hydration: charts measure the page.
import { useMounted } from "./use-mounted";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function MonthlyBars({
  data,
  valueLabel,
  formatValue,
}: {
  data: { month: string; value: number }[];
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
          <Bar dataKey="value" fill="var(--brand)" radius={[4, 4, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
