// A CPM segment as a coloured tag: one colour per base segment, muted when lapsed.
import { useTranslation } from "react-i18next";
import type { CpmSegment } from "~/domain/cpm";

export function SegmentBadge({ segment }: { segment: CpmSegment | null }) {
  const { t } = useTranslation();
  if (!segment) return <span className="muted">—</span>;
  const [base, state] = segment.split("_");
  return (
    <span className={`segment segment-${base} segment-${state}`} data-segment={segment}>
      {t(`cpm.segments.${segment}`)}
    </span>
  );
}
