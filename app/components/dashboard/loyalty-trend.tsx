// The staff home's trend (issue 16 item 4): NPS per month (left axis, −100 to 100) and the mean loyalty
// score per month (right axis, 0 to 100), one line each. Rendered after hydration: charts measure the page.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMounted } from "~/components/charts/use-mounted";

/** "2026-07" → "26/07": every month of a year keeps its label on a phone. */
const shortMonth = (month: string) => `${month.slice(2, 4)}/${month.slice(5, 7)}`;

export function LoyaltyTrend({
  data,
  label,
  npsLabel,
  scoreLabel,
}: {
  data: { month: string; nps: number | null; meanScore: number | null }[];
  label: string;
  npsLabel: string;
  scoreLabel: string;
}) {
  const mounted = useMounted();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  const many = data.length > 8;
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={many ? 260 : 240}>
        <LineChart data={data} margin={{ top: 8, right: 0, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="month"
            tickLine={false}
            axisLine={false}
            fontSize={11}
            interval={0}
            tickFormatter={shortMonth}
            angle={many ? -45 : 0}
            textAnchor={many ? "end" : "middle"}
            height={many ? 44 : 30}
          />
          <YAxis yAxisId="nps" domain={[-100, 100]} width={36} tickLine={false} axisLine={false} fontSize={11} />
          <YAxis yAxisId="score" orientation="right" domain={[0, 100]} width={30} tickLine={false} axisLine={false} fontSize={11} />
          <ReferenceLine yAxisId="nps" y={0} stroke="var(--muted)" />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line yAxisId="nps" name={npsLabel} type="monotone" dataKey="nps" stroke="var(--brand)" strokeWidth={2} dot connectNulls />
          <Line yAxisId="score" name={scoreLabel} type="monotone" dataKey="meanScore" stroke="#1f7a4d" strokeWidth={2} strokeDasharray="5 3" dot connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
