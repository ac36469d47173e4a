// Small pieces shared by the town-meeting pages: the status badge and the seats bar.
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui";
import { useFormat } from "~/utils/use-format";

const tone = { draft: "neutral", published: "brand", done: "success", cancelled: "danger" } as const;

export function StatusBadge({ status }: { status: keyof typeof tone }) {
  const { t } = useTranslation();
  return <Badge tone={tone[status]}>{t(`events.status.${status}`)}</Badge>;
}

/** Seats taken against capacity, as a bar with its figures in words for screen readers (spans only: it sits inside a StatCard's <p>). */
export function SeatsBar({ taken, capacity }: { taken: number; capacity: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const share = capacity > 0 ? Math.min(1, taken / capacity) : 0;
  const label = t("events.detail.seatsBar", { taken: f.number(taken), capacity: f.number(capacity) });
  return (
    <span className="seats-bar stack-tight" title={label}>
      <span className="small">{t("events.seatsOf", { taken: f.number(taken), capacity: f.number(capacity) })}</span>
      <span className={`event-progress ${taken >= capacity ? "over" : ""}`} role="img" aria-label={label}>
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </span>
  );
}
