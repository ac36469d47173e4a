import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui";

const tones = { queued: "neutral", sending: "brand", sent: "success", failed: "danger", suppressed: "warning" } as const;

export function MailStatusBadge({ status }: { status: keyof typeof tones }) {
  const { t } = useTranslation();
  return <Badge tone={tones[status]}>{t(`mailbox.status.${status}`)}</Badge>;
}
