// An import job's status as a coloured badge (the imports list and the job page).
import { useTranslation } from "react-i18next";
import { Badge } from "./ui";

export function ImportStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const tone = status === "done" ? "success" : status === "running" ? "brand" : status === "rejected" ? "warning" : "danger";
  return <Badge tone={tone}>{t(`imports.statuses.${status}`)}</Badge>;
}
