// Brand settings: everyone reads them, admins change them.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Alert, Button, Card, PageHeader, SelectField, TextField } from "~/components/ui";
import { cpmSegments } from "~/domain/cpm";
import { candidateTieBreakers } from "~/domain/loyalty";
import { scoredConstructs } from "~/domain/survey/types";
import { getLoyaltySettings, saveLoyaltySettings } from "~/models/loyalty.server";
import { getProgrammeSettings, saveProgrammeSettings } from "~/models/programme.server";
import { programmeFields, programmeSettingsSchema } from "~/schemas/programme";
import { ProgrammeSettingsCard } from "~/components/programme-settings-card";
import { ambassadorWeightFields, cocreationWeightFields, loyaltyFields, loyaltySettingsSchema } from "~/schemas/loyalty";
import { getMetricsState } from "~/models/metrics.server";
import { saveAnalysisDate } from "~/services/behaviour.server";
import { getBrandSettings, getConstructWeights, saveBrandSettings, saveConstructWeights } from "~/models/settings.server";
import { analysisDateOf, analysisDateSchema, brandSettingsSchema, constructWeightsSchema } from "~/schemas/settings";
import { useFormat } from "~/utils/use-format";
import { requireRole } from "~/utils/auth.server";
import { parseForm, readForm } from "~/utils/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const [settings, weights, metrics, loyalty, programme] = await Promise.all([getBrandSettings(), getConstructWeights(), getMetricsState(), getLoyaltySettings(), getProgrammeSettings()]);
  return {
    canEdit: user.role === "admin",
    settings,
    weights,
    metrics: { asOf: metrics.asOf, analysisDate: metrics.analysisDate },
    loyalty: loyaltyFields(loyalty),
    programme: programmeFields(programme),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const form = await readForm(request);
  if (form.get("intent") === "weights") {
    const weights = await parseForm(form, constructWeightsSchema);
    if (!weights.ok) return data({ fieldErrors: weights.fieldErrors, saved: false, rescored: null }, { status: 400 });
    return { fieldErrors: {}, saved: true, rescored: await saveConstructWeights(weights.data) };
  }
  if (form.get("intent") === "loyalty") {
    const parsed = await parseForm(form, loyaltySettingsSchema);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, saved: false, rescored: null }, { status: 400 });
    await saveLoyaltySettings(parsed.data);
    return { fieldErrors: {}, saved: true, rescored: null };
  }
  if (form.get("intent") === "programme") {
    const parsed = await parseForm(form, programmeSettingsSchema);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, saved: false, rescored: null }, { status: 400 });
    await saveProgrammeSettings(parsed.data);
    return { fieldErrors: {}, saved: true, rescored: null };
  }
  if (form.get("intent") === "analysisDate") {
    const parsed = await parseForm(form, analysisDateSchema);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, saved: false, rescored: null }, { status: 400 });
    // Recomputes every customer's metrics as of the new date before answering.
    await saveAnalysisDate(analysisDateOf(parsed.data));
    return { fieldErrors: {}, saved: true, rescored: null };
  }
  const parsed = await parseForm(form, brandSettingsSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, saved: false, rescored: null }, { status: 400 });
  await saveBrandSettings(parsed.data);
  return { fieldErrors: {}, saved: true, rescored: null };
}

export default function Settings() {
  const { canEdit, settings, weights, metrics, loyalty, programme } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const form = useZodForm(brandSettingsSchema, { defaultValues: settings, serverErrors: actionData?.fieldErrors });
  const weightsForm = useZodForm(constructWeightsSchema, { defaultValues: weights, serverErrors: actionData?.fieldErrors });
  const dateForm = useZodForm(analysisDateSchema, {
    defaultValues: { analysisMode: metrics.analysisDate ? "fixed" : "today", analysisDate: metrics.analysisDate ?? "" },
    serverErrors: actionData?.fieldErrors,
  });
  const fixed = dateForm.watch("analysisMode") === "fixed";
  const loyaltyForm = useZodForm(loyaltySettingsSchema, { defaultValues: loyalty, serverErrors: actionData?.fieldErrors });
  const f = useFormat();
  return (
    <>
      <PageHeader
        title={t("settings.title")}
        actions={
          canEdit ? (
            <Link className="button button-secondary" to="/staff/admin">
              {t("settings.manageStaff")}
            </Link>
          ) : null
        }
      />
      {actionData?.saved ? (
        <Alert tone="success">{actionData.rescored === null ? t("common.saved") : t("settings.rescored", { count: actionData.rescored })}</Alert>
      ) : null}
      {!canEdit ? <Alert>{t("settings.readOnly")}</Alert> : null}
      <Card title={t("settings.brand")}>
        <Form method="post" onSubmit={form.onSubmit} noValidate className="form-grid">
          <fieldset disabled={!canEdit} className="contents">
            <TextField label={t("settings.brandName")} {...form.register("brandName")} error={form.errorFor("brandName")} />
            <TextField label={t("settings.currency")} {...form.register("currency")} error={form.errorFor("currency")} />
            <TextField label={t("settings.timeZone")} {...form.register("timeZone")} error={form.errorFor("timeZone")} />
            <TextField label={t("settings.primaryColor")} type="color" {...form.register("primaryColor")} error={form.errorFor("primaryColor")} />
          </fieldset>
          {canEdit ? (
            <div className="form-actions">
              <Button type="submit" busy={navigation.state === "submitting"}>
                {t("common.save")}
              </Button>
            </div>
          ) : null}
        </Form>
      </Card>
      <Card title={t("settings.analysisDate")}>
        <p className="small muted">{t("settings.analysisDateHelp")}</p>
        <Form method="post" onSubmit={dateForm.onSubmit} noValidate className="stack" data-testid="analysis-date">
          <fieldset disabled={!canEdit} className="plain-fieldset choice-group">
            <legend className="small muted">{t("settings.metricsAsOf")}</legend>
            <label className="field-inline">
              <input type="radio" value="today" {...dateForm.register("analysisMode")} />
              {t("settings.analysisToday")}
            </label>
            <label className="field-inline">
              <input type="radio" value="fixed" {...dateForm.register("analysisMode")} />
              {t("settings.analysisFixed")}
            </label>
          </fieldset>
          {fixed ? (
            <TextField label={t("settings.analysisDateField")} type="date" disabled={!canEdit} {...dateForm.register("analysisDate")} error={dateForm.errorFor("analysisDate")} />
          ) : null}
          <p className="small muted" data-testid="metrics-as-of">
            {metrics.asOf ? t("cpm.asOf", { date: f.date(metrics.asOf) }) : t("cpm.neverRefreshed")}
          </p>
          {canEdit ? (
            <div className="form-actions">
              <Button type="submit" name="intent" value="analysisDate" busy={navigation.state === "submitting"}>
                {t("settings.saveAnalysisDate")}
              </Button>
            </div>
          ) : null}
        </Form>
      </Card>
      <Card title={t("settings.weights")}>
        <p className="small muted">{t("settings.weightsHelp")}</p>
        <Form method="post" onSubmit={weightsForm.onSubmit} noValidate className="form-grid">
          <fieldset disabled={!canEdit} className="contents">
            {scoredConstructs.map((c) => (
              <TextField key={c} label={t(`surveys.constructs.${c}`)} type="number" step="0.5" min="0" max="10" {...weightsForm.register(c)} error={weightsForm.errorFor(c)} />
            ))}
          </fieldset>
          {canEdit ? (
            <div className="form-actions">
              <Button type="submit" name="intent" value="weights" busy={navigation.state === "submitting"}>
                {t("settings.saveWeights")}
              </Button>
            </div>
          ) : null}
        </Form>
      </Card>
      <Card title={<span id="loyalty">{t("loyalty.settingsTitle")}</span>}>
        <p className="small muted">{t("loyalty.settingsHelp")}</p>
        <Form method="post" onSubmit={loyaltyForm.onSubmit} noValidate className="stack" data-testid="loyalty-settings">
          <fieldset disabled={!canEdit} className="plain-fieldset">
            <legend className="small muted">{t("loyalty.highSegments")}</legend>
            <div className="choice-grid">
              {cpmSegments.map((s) => (
                <label className="field-inline" key={s}>
                  <input type="checkbox" {...loyaltyForm.register(`high_${s}`)} />
                  {t(`cpm.segments.${s}`)}
                </label>
              ))}
            </div>
            {loyaltyForm.errorFor(`high_${cpmSegments[0]}`) ? <p className="field-error">{loyaltyForm.errorFor(`high_${cpmSegments[0]}`)}</p> : null}
          </fieldset>
          <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
            {(["psychBorder", "minScore", "tenureYears", "textChars"] as const).map((k) => (
              <TextField key={k} label={t(`loyalty.${k}`)} type="number" step={k === "psychBorder" || k === "minScore" ? "1" : "any"} {...loyaltyForm.register(k)} error={loyaltyForm.errorFor(k)} />
            ))}
            <SelectField
              label={t("potential.tieBreaker")}
              options={candidateTieBreakers.map((k) => ({ value: k, label: t(`potential.tieBreakers.${k}`) }))}
              {...loyaltyForm.register("tieBreaker")}
              error={loyaltyForm.errorFor("tieBreaker")}
            />
          </fieldset>
          <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
            <legend className="small muted">{t("loyalty.ambassadorWeights")}</legend>
            {ambassadorWeightFields.map((k) => (
              <TextField key={k} label={t(`loyalty.weights.${k}`)} type="number" step="any" min="0" {...loyaltyForm.register(`a_${k}`)} error={loyaltyForm.errorFor(`a_${k}`)} />
            ))}
          </fieldset>
          <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
            <legend className="small muted">{t("loyalty.cocreationWeights")}</legend>
            {cocreationWeightFields.map((k) => (
              <TextField key={k} label={t(`loyalty.weights.${k}`)} type="number" step="any" min="0" {...loyaltyForm.register(`c_${k}`)} error={loyaltyForm.errorFor(`c_${k}`)} />
            ))}
          </fieldset>
          {canEdit ? (
            <div className="form-actions">
              <Button type="submit" name="intent" value="loyalty" busy={navigation.state === "submitting"}>
                {t("loyalty.save")}
              </Button>
            </div>
          ) : null}
        </Form>
      </Card>
      <ProgrammeSettingsCard values={programme} canEdit={canEdit} serverErrors={actionData?.fieldErrors} />
    </>
  );
}
