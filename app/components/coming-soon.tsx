import { useTranslation } from "react-i18next";
import { EmptyState, PageHeader } from "./ui";

export function ComingSoon({ titleKey, icon }: { titleKey: string; icon: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(titleKey)} />
      <div className="card">
        <EmptyState icon={icon} title={t("common.comingSoon")} body={t("common.comingSoonBody")} />
      </div>
    </>
  );
}
