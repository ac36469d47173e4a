// Customer potential (issue 19): the current BG/NBD and Gamma-Gamma fits with their parameters in words
// (and a warning when the latest refit did not converge), and the hold-out validation: a job that fits
// as of the metrics' date minus N days and compares its predictions with what happened.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { BehaviourTabs } from "~/components/cpm/tabs";
import { useZodForm } from "~/components/form";
import { BgNbdParameters, FitDetails, GammaGammaParameters } from "~/components/potential/model-parameters";
import { ValidationProgress } from "~/components/potential/validation-progress";
import { FitReasonText } from "~/components/potential/fit-reason";
import { ValidationResult } from "~/components/potential/validation-result";
import { Alert, Button, Card, EmptyState, PageHeader, TextField } from "~/components/ui";
import { DEFAULT_HOLDOUT_DAYS } from "~/domain/potential";
import { roleAllows } from "~/domain/roles";
import { getMetricsState } from "~/models/metrics.server";
import { currentFits, latestAttempt, type StoredFit } from "~/models/potential.server";
import { validationSchema } from "~/schemas/potential";
import { refreshBehaviour } from "~/services/behaviour.server";
import { lastFinishedValidation, latestValidation, startValidation } from "~/services/potential/validation-job.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { useFormat } from "~/utils/use-format";

const PAGE = "/staff/behaviour/potential";

/** A stored fit as the page shows it (dates as ISO strings, the parameters as numbers). */
const fitView = <P,>(fit: StoredFit | null) =>
  fit && fit.params
    ? {
        fittedAt: fit.fittedAt.toISOString(),
        asOf: fit.asOf,
        customers: fit.customers,
        logLikelihood: fit.logLikelihood,
        iterations: fit.iterations,
        seconds: fit.seconds,
        params: fit.params as unknown as P,
      }
    : null;

/** The latest refit attempt when it did not converge (the page warns; the previous fit stays). */
const failureView = (attempt: StoredFit | null) =>
  attempt && !attempt.converged
    ? { fittedAt: attempt.fittedAt.toISOString(), message: attempt.message ?? "—", code: attempt.reasonCode, values: attempt.reasonValues }
    : null;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const [fits, bgAttempt, ggAttempt, metrics, run, finished] = await Promise.all([
    currentFits(),
    latestAttempt("bgnbd"),
    latestAttempt("gamma_gamma"),
    getMetricsState(),
    latestValidation(),
    lastFinishedValidation(),
  ]);
  return {
    bgnbd: fitView<{ r: number; alpha: number; a: number; b: number }>(fits.bgnbd),
    gammaGamma: fitView<{ p: number; q: number; gamma: number }>(fits.gammaGamma),
    failures: { bgnbd: failureView(bgAttempt), gammaGamma: failureView(ggAttempt) },
    metricsAsOf: metrics.asOf,
    run,
    // The last result stays in view while a new validation runs, and after one that failed.
    finished: finished && finished.jobId !== run?.jobId ? finished : null,
    canRun: roleAllows(user.role, "staff"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const form = await readForm(request);
  // Before the first fit the page offers the behaviour refresh, which refits the models.
  if (form.get("intent") === "refresh") {
    await refreshBehaviour();
    throw redirect(PAGE);
  }
  const parsed = await parseForm(form, validationSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const run = await startValidation(parsed.data.holdoutDays);
  if (!run) return data({ fieldErrors: { holdoutDays: "potentialPage.validation.noMetrics" } }, { status: 409 });
  throw redirect(PAGE);
}

export default function PotentialPage() {
  const { bgnbd, gammaGamma, failures, metricsAsOf, run, finished, canRun } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t } = useTranslation();
  const f = useFormat();
  const running = run?.status === "queued" || run?.status === "running";
  // From the click on: the post and the redirect's load show as the first step.
  const starting = navigation.state !== "idle" && navigation.formData?.has("holdoutDays") === true;
  // Every second while the validation runs: its step, then its result.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1_000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const form = useZodForm(validationSchema, {
    serverErrors: actionData?.fieldErrors,
    defaultValues: { holdoutDays: run?.holdoutDays ?? DEFAULT_HOLDOUT_DAYS },
  });
  const submitting = navigation.state === "submitting";

  const failure = (model: "bgnbd" | "gammaGamma", kept: boolean) => {
    const failed = failures[model];
    if (!failed) return null;
    const values = { model: t(`potentialPage.${model}.name`), date: f.dateTime(failed.fittedAt) };
    return (
      <Alert tone="error" key={model}>
        {t(kept ? "potentialPage.notConverged" : "potentialPage.notConvergedNone", values)}
        <br />
        <span className="small">
          <FitReasonText code={failed.code} values={failed.values} message={failed.message} />
        </span>
      </Alert>
    );
  };

  return (
    <>
      <PageHeader title={t("potentialPage.title")} subtitle={t("potentialPage.subtitle")} />
      <BehaviourTabs />
      <div data-testid="fit-warnings">
        {failure("bgnbd", bgnbd !== null)}
        {failure("gammaGamma", gammaGamma !== null)}
      </div>
      {!bgnbd && !gammaGamma ? (
        <Card>
          <EmptyState icon="◔" title={t("potentialPage.emptyTitle")} body={t("potentialPage.emptyBody")}>
            {canRun ? (
              <Form method="post">
                <Button type="submit" name="intent" value="refresh" variant="secondary" busy={submitting}>
                  {t("potentialPage.refresh")}
                </Button>
              </Form>
            ) : null}
          </EmptyState>
        </Card>
      ) : (
        <div className="grid two" data-testid="current-models">
          <Card title={t("potentialPage.bgnbd.title")}>
            <div className="stack">
              <p className="small muted">{t("potentialPage.bgnbd.intro")}</p>
              {bgnbd ? (
                <>
                  <FitDetails fit={bgnbd} />
                  <BgNbdParameters params={bgnbd.params} />
                </>
              ) : (
                <p className="muted">{t("potentialPage.emptyBody")}</p>
              )}
            </div>
          </Card>
          <Card title={t("potentialPage.gammaGamma.title")}>
            <div className="stack">
              <p className="small muted">{t("potentialPage.gammaGamma.intro")}</p>
              {gammaGamma ? (
                <>
                  <FitDetails fit={gammaGamma} />
                  <GammaGammaParameters params={gammaGamma.params} />
                </>
              ) : (
                <p className="muted">{t("potentialPage.gammaGamma.none")}</p>
              )}
            </div>
          </Card>
        </div>
      )}

      <Card title={t("potentialPage.validation.title")}>
        <div className="stack">
          <p className="small muted">{t("potentialPage.validation.intro", { asOf: metricsAsOf ? f.date(metricsAsOf) : "—" })}</p>
          {!canRun ? <Alert>{t("potentialPage.validation.viewerReadOnly")}</Alert> : null}
          {!metricsAsOf ? <Alert>{t("potentialPage.validation.noMetrics")}</Alert> : null}
          <Form method="post" onSubmit={form.onSubmit} noValidate className="form-grid">
            <TextField
              label={t("potentialPage.validation.holdoutDays")}
              type="number"
              inputMode="numeric"
              step={1}
              disabled={!canRun}
              {...form.register("holdoutDays")}
              error={form.errorFor("holdoutDays")}
              hint={t("potentialPage.validation.holdoutHint")}
            />
            <div className="form-actions">
              <Button type="submit" disabled={!canRun || !metricsAsOf || running || starting} busy={running || starting}>
                {t("potentialPage.validation.run")}
              </Button>
            </div>
          </Form>
          {running || starting ? <ValidationProgress step={running && run ? run.step : "queued"} /> : null}
          {!starting && run?.status === "failed" ? <Alert tone="error">{t("potentialPage.validation.failed", { error: run.error ?? "—" })}</Alert> : null}
          {!starting && run?.status === "done" && run.validation ? <ValidationResult validation={run.validation} finishedAt={run.finishedAt} /> : null}
          {!starting && !run ? <p className="muted">{t("potentialPage.validation.none")}</p> : null}
          {finished?.validation && !(run?.status === "done" && !starting) ? <ValidationResult validation={finished.validation} finishedAt={finished.finishedAt} /> : null}
        </div>
      </Card>
    </>
  );
}
