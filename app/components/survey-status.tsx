import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui";

const tones = { draft: "neutral", open: "success", closed: "warning" } as const;

export function SurveyStatusBadge({ status }: { status: keyof typeof tones }) {
  const { t } = useTranslation();
  return <Badge tone={tones[status]}>{t(`surveys.statuses.${status}`)}</Badge>;
}
