// A finished hold-out validation: what was compared, the error in words with its verdict, the
// calibration-vs-hold-out plot with its table, and the parameters the calibration period gave.
import { useTranslation } from "react-i18next";
import { Alert, Badge } from "~/components/ui";
import { errorVerdict } from "~/domain/potential";
import { useFormat } from "~/utils/use-format";
import { CalibrationChart, CalibrationTable, type CalibrationBucket } from "./calibration-chart";
import { BgNbdParameters, GammaGammaParameters } from "./model-parameters";
import { FitReasonText } from "./fit-reason";

/** The Validation of validatePotential (app/services/potential/refit.server.ts), as the page receives it. */
export interface ValidationView {
  asOf: string;
  calibrationEnd: string;
  holdoutDays: number;
  customers: number;
  buckets: CalibrationBucket[];
  total: { predicted: number; actual: number; totalError: number | null; bucketError: number | null } | null;
  bgnbd: { converged: boolean; params: { r: number; alpha: number; a: number; b: number } | null; message: string | null; reason?: { code: string; values: Record<string, number> } | null };
  gammaGamma: { converged: boolean; params: { p: number; q: number; gamma: number } | null; message: string | null; reason?: { code: string; values: Record<string, number> } | null };
  newCustomerExpected: number | null;
}

const verdictTone = { good: "success", fair: "warning", poor: "danger", unknown: "neutral" } as const;

export function ValidationResult({ validation, finishedAt }: { validation: ValidationView; finishedAt: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { total, holdoutDays: days } = validation;
  const verdict = errorVerdict(total?.totalError ?? null);
  const sentence = () => {
    if (!total) return null;
    const values = { days, predicted: f.number(total.predicted), actual: f.number(total.actual), verdict: t(`potentialPage.validation.verdicts.${verdict}`) };
    if (total.totalError === null) return t("potentialPage.validation.errorNoActual", values);
    const error = f.percent(Math.abs(total.totalError));
    if (error === f.percent(0)) return t("potentialPage.validation.errorExact", values);
    return t(total.totalError > 0 ? "potentialPage.validation.errorTooMany" : "potentialPage.validation.errorTooFew", { ...values, error });
  };
  return (
    <div className="stack" data-testid="validation-result">
      <p className="muted small">
        {t("potentialPage.validation.period", {
          calibrationEnd: f.date(validation.calibrationEnd),
          asOf: f.date(validation.asOf),
          days,
          customers: f.number(validation.customers),
          finishedAt: finishedAt ? f.dateTime(finishedAt) : "—",
        })}
      </p>
      {total ? (
        <>
          <p data-testid="validation-error">
            <Badge tone={verdictTone[verdict]}>{t(`potentialPage.validation.verdicts.${verdict}`)}</Badge> <span className="strong">{sentence()}</span>
          </p>
          <p className="small muted">
            {t("potentialPage.validation.verdictHint")}{" "}
            {total.bucketError === null ? null : t("potentialPage.validation.bucketError", { error: f.percent(total.bucketError) })}{" "}
            {validation.newCustomerExpected === null
              ? null
              : t("potentialPage.validation.newCustomer", { expected: f.number(validation.newCustomerExpected, 2), days })}
          </p>
          <h3 className="stat-label">{t("potentialPage.chart.yAxis")}</h3>
          <CalibrationChart buckets={validation.buckets} />
          <CalibrationTable buckets={validation.buckets} />
        </>
      ) : (
        <Alert tone="error">
          {t("potentialPage.validation.fitFailed")}
          <br />
          <span className="small">
            <FitReasonText code={validation.bgnbd.reason?.code} values={validation.bgnbd.reason?.values} message={validation.bgnbd.message} />
          </span>
        </Alert>
      )}
      {validation.bgnbd.params || validation.gammaGamma.params ? (
        <details className="stack">
          <summary>{t("potentialPage.validation.holdoutParameters")}</summary>
          <div className="grid two">
            <div className="stack">
              <h3 className="card-title">{t("potentialPage.bgnbd.title")}</h3>
              {validation.bgnbd.params ? (
                <BgNbdParameters params={validation.bgnbd.params} />
              ) : (
                <p className="small muted">
                  <FitReasonText code={validation.bgnbd.reason?.code} values={validation.bgnbd.reason?.values} message={validation.bgnbd.message} />
                </p>
              )}
            </div>
            <div className="stack">
              <h3 className="card-title">{t("potentialPage.gammaGamma.title")}</h3>
              {validation.gammaGamma.params ? (
                <GammaGammaParameters params={validation.gammaGamma.params} />
              ) : (
                <p className="small muted">
                  {validation.gammaGamma.message ? (
                    <FitReasonText code={validation.gammaGamma.reason?.code} values={validation.gammaGamma.reason?.values} message={validation.gammaGamma.message} />
                  ) : (
                    t("potentialPage.gammaGamma.none")
                  )}
                </p>
              )}
            </div>
          </div>
        </details>
      ) : null}
    </div>
  );
}
