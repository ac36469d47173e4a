// A customer's NPS answer as a coloured badge: the 0–10 score and its category in words.
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui";

const tones = { promoter: "success", passive: "neutral", detractor: "danger" } as const;

export function NpsBadge({ score, category }: { score: number | null; category: "promoter" | "passive" | "detractor" }) {
  const { t } = useTranslation();
  return (
    <Badge tone={tones[category]}>
      {score !== null ? `${score} · ` : ""}
      {t(`surveys.npsCategories.${category}`)}
    </Badge>
  );
}
