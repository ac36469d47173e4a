// Settings › Ambassador programme (issue 17): the programme's name and terms in each language, the
// certificate's validity, the invitation window and the points rules; admins edit, others read.
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Button, Card, TextField } from "~/components/ui";
import { pointKinds } from "~/domain/programme";
import { programmeSettingsSchema, type programmeFields } from "~/schemas/programme";

export function ProgrammeSettingsCard({ values, canEdit, serverErrors }: { values: ReturnType<typeof programmeFields>; canEdit: boolean; serverErrors?: Record<string, string> }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const form = useZodForm(programmeSettingsSchema, { defaultValues: values, serverErrors });
  return (
    <Card title={<span id="programme">{t("programmeSettings.title")}</span>}>
      <p className="muted small">{t("programmeSettings.intro")}</p>
      <Form method="post" onSubmit={form.onSubmit} noValidate className="stack" data-testid="programme-settings">
        <input type="hidden" name="intent" value="programme" />
        <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
          <TextField label={t("programmeSettings.name_ja")} {...form.register("name_ja")} error={form.errorFor("name_ja")} />
          <TextField label={t("programmeSettings.name_en")} {...form.register("name_en")} error={form.errorFor("name_en")} />
        </fieldset>
        <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
          {(["terms_ja", "terms_en"] as const).map((k) => (
            <label key={k} className="field">
              <span className="field-label">{t(`programmeSettings.${k}`)}</span>
              <textarea className="input" rows={6} {...form.register(k)} aria-invalid={form.errorFor(k) ? true : undefined} />
              {form.errorFor(k) ? <span className="field-error">{form.errorFor(k)}</span> : null}
            </label>
          ))}
        </fieldset>
        <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
          <TextField label={t("programmeSettings.certificateMonths")} hint={t("programmeSettings.certificateMonthsHint")} type="number" min={0} max={120} step={1} {...form.register("certificateMonths")} error={form.errorFor("certificateMonths")} />
          <TextField label={t("programmeSettings.invitationDays")} type="number" min={1} max={90} step={1} {...form.register("invitationDays")} error={form.errorFor("invitationDays")} />
        </fieldset>
        <fieldset disabled={!canEdit} className="form-grid plain-fieldset">
          <legend className="small muted">{t("programmeSettings.points")}</legend>
          {pointKinds.map((k) => (
            <TextField key={k} label={t(`member.kinds.${k}`)} type="number" min={0} step={1} {...form.register(`p_${k}`)} error={form.errorFor(`p_${k}`)} />
          ))}
        </fieldset>
        {canEdit ? (
          <div className="form-actions">
            <Button type="submit" busy={busy}>
              {t("programmeSettings.save")}
            </Button>
          </div>
        ) : null}
      </Form>
    </Card>
  );
}
