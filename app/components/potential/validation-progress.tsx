// A running validation's step as a progress bar (the survey send's bar): waiting, then the three steps
// validatePotential reports (summarising the purchases, fitting, predicting the hold-out).
import { useTranslation } from "react-i18next";

const steps = ["queued", "summarising", "fitting", "predicting"] as const;

export function ValidationProgress({ step }: { step: string }) {
  const { t } = useTranslation();
  const index = Math.max(0, steps.indexOf(step as (typeof steps)[number]));
  const name = t(`potentialPage.validation.steps.${steps[index]}`);
  return (
    <div className="survey-progress" data-testid="validation-progress">
      <p className="small" aria-live="polite">
        {index === 0 ? name : t("potentialPage.validation.stepOf", { n: index, total: steps.length - 1, step: name })}
      </p>
      <div
        className="survey-progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={steps.length - 1}
        aria-valuenow={index}
        aria-valuetext={name}
        aria-label={t("potentialPage.validation.progress")}
      >
        {/* Halfway through the current step: a step that is running is not done. */}
        <span style={{ width: `${Math.round(((index + 0.5) / steps.length) * 100)}%` }} />
      </div>
    </div>
  );
}
