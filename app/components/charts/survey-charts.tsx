// Survey charts (recharts): the 0–10 distribution coloured by NPS category, construct means, and
// NPS by month. Rendered after hydration: charts measure the page.
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMounted } from "./use-mounted";

const categoryColour = (score: number) => (score >= 9 ? "#1f7a4d" : score >= 7 ? "#98a2b3" : "#c4320a");

export function NpsDistribution({ counts, label }: { counts: number[]; label: string }) {
  const mounted = useMounted();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  const data = counts.map((n, score) => ({ score: String(score), n }));
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="score" tickLine={false} axisLine={false} fontSize={12} />
          <YAxis allowDecimals={false} width={40} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip />
          <Bar dataKey="n" radius={[4, 4, 0, 0]}>
            {data.map((d) => (
              <Cell key={d.score} fill={categoryColour(Number(d.score))} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ConstructBars({ data, label }: { data: { name: string; value: number }[]; label: string }) {
  const mounted = useMounted();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 34)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
          <XAxis type="number" domain={[0, 100]} tickLine={false} axisLine={false} fontSize={12} />
          <YAxis type="category" dataKey="name" width={120} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip />
          <Bar dataKey="value" fill="var(--brand)" radius={[0, 4, 4, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** "2026-07" → "26/07": short enough for every month of a year to keep its label on a phone. */
const shortMonth = (month: string) => `${month.slice(2, 4)}/${month.slice(5, 7)}`;

export function NpsTrend({ data, label }: { data: { month: string; nps: number }[]; label: string }) {
  const mounted = useMounted();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  // Every point gets its month (recharts would otherwise drop labels it finds crowded); past a year the
  // labels turn to fit.
  const many = data.length > 8;
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={many ? 240 : 220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
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
          <YAxis domain={[-100, 100]} width={40} tickLine={false} axisLine={false} fontSize={12} />
          <ReferenceLine y={0} stroke="var(--muted)" />
          <Tooltip />
          <Line type="monotone" dataKey="nps" stroke="var(--brand)" strokeWidth={2} dot />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
