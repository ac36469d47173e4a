// Transition rate by first-purchase cohort month, with the 50 % target line (recharts).
import { Bar, CartesianGrid, Cell, ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useFormat } from "~/utils/use-format";
import { useMounted } from "./use-mounted";

export function CohortChart({
  data,
  label,
  targetLabel,
  incompleteLabel,
}: {
  data: { month: string; rate: number; customers: number; complete: boolean }[];
  label: string;
  targetLabel: string;
  incompleteLabel: string;
}) {
  const mounted = useMounted();
  const f = useFormat();
  if (!mounted) return <div className="chart-placeholder" aria-hidden />;
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={data} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="month" tickLine={false} axisLine={false} fontSize={12} />
          <YAxis domain={[0, 1]} tickFormatter={f.percent} width={52} tickLine={false} axisLine={false} fontSize={12} />
          <Tooltip
            formatter={(v: number, _name, item) => [
              `${f.percent(v)} (${item.payload.customers})${item.payload.complete ? "" : ` · ${incompleteLabel}`}`,
              label,
            ]}
          />
          <ReferenceLine y={0.5} stroke="var(--success)" strokeDasharray="6 4" label={{ value: targetLabel, position: "insideTopRight", fontSize: 12, fill: "var(--success)" }} />
          <Bar dataKey="rate" radius={[4, 4, 0, 0]}>
            {data.map((d) => (
              <Cell key={d.month} fill={d.complete ? "var(--brand)" : "color-mix(in srgb, var(--brand) 35%, white)"} />
            ))}
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
