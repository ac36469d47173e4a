// Why a fit did not converge, in the user's language: the model's reason code and values
// (FitFailureCode), or its English sentence for a fit recorded before codes existed.
import { useTranslation } from "react-i18next";

export function FitReasonText({ code, values, message }: { code: string | null | undefined; values?: Record<string, number> | null; message?: string | null }) {
  const { t, i18n } = useTranslation();
  const key = `potential.reasons.${code}`;
  if (code && i18n.exists(key)) {
    const shown = Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, Number.isInteger(v) ? v : Number(v.toPrecision(3))]));
    return <>{t(key, shown)}</>;
  }
  return <>{message ?? "—"}</>;
}
