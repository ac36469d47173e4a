// The event's form, for a new event and an edit (issue 18): both languages side by side, wall-clock
// times in the chosen zone, place and/or online link, seats, deadline and companions. Checked by
// eventFormSchema in the browser, and again by the same schema and the service in the action.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Button, Card, SelectField, TextField } from "~/components/ui";
import { eventFormSchema, type EventFormValues } from "~/schemas/events";

export function EventForm({
  defaults,
  timeZones,
  serverErrors,
  busy,
  submitLabel,
}: {
  defaults: EventFormValues;
  timeZones: string[];
  serverErrors?: Record<string, string>;
  busy: boolean;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const form = useZodForm(eventFormSchema, { defaultValues: defaults, serverErrors });
  const area = (name: "descriptionJa" | "descriptionEn" | "agendaJa" | "agendaEn", rows: number, hint?: string) => (
    <label className="field">
      <span className="field-label">{t(`events.form.${name}`)}</span>
      <textarea className="input" rows={rows} {...form.register(name)} aria-invalid={form.errorFor(name) ? true : undefined} />
      {hint ? <span className="field-hint muted small">{hint}</span> : null}
      {form.errorFor(name) ? <span className="field-error">{form.errorFor(name)}</span> : null}
    </label>
  );
  return (
    <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
      <Card title={t("events.form.language")}>
        <div className="grid two">
          <TextField label={t("events.form.titleJa")} lang="ja" {...form.register("titleJa")} error={form.errorFor("titleJa")} hint={t("events.form.titleHint")} />
          <TextField label={t("events.form.titleEn")} lang="en" {...form.register("titleEn")} error={form.errorFor("titleEn")} />
          {area("descriptionJa", 4)}
          {area("descriptionEn", 4)}
          {area("agendaJa", 4, t("events.form.agendaHint"))}
          {area("agendaEn", 4)}
        </div>
      </Card>
      <Card title={t("events.detail.when")}>
        <div className="grid two">
          <TextField label={t("events.form.startsAt")} type="datetime-local" {...form.register("startsAt")} error={form.errorFor("startsAt")} />
          <TextField label={t("events.form.endsAt")} type="datetime-local" {...form.register("endsAt")} error={form.errorFor("endsAt")} />
          <SelectField
            label={t("events.form.timeZone")}
            options={timeZones.map((z) => ({ value: z, label: z }))}
            {...form.register("timeZone")}
            error={form.errorFor("timeZone")}
          />
          <TextField
            label={t("events.form.rsvpDeadline")}
            type="datetime-local"
            {...form.register("rsvpDeadline")}
            error={form.errorFor("rsvpDeadline")}
            hint={t("events.form.rsvpDeadlineHint")}
          />
        </div>
      </Card>
      <Card title={t("events.detail.where")}>
        <div className="grid two">
          <TextField label={t("events.form.venue")} {...form.register("venue")} error={form.errorFor("venue")} hint={t("events.form.venueHint")} />
          <TextField label={t("events.form.onlineUrl")} type="url" inputMode="url" {...form.register("onlineUrl")} error={form.errorFor("onlineUrl")} />
          <TextField label={t("events.form.capacity")} type="number" min={1} step={1} inputMode="numeric" {...form.register("capacity")} error={form.errorFor("capacity")} />
          <TextField
            label={t("events.form.companionsAllowed")}
            type="number"
            min={0}
            max={10}
            step={1}
            inputMode="numeric"
            {...form.register("companionsAllowed")}
            error={form.errorFor("companionsAllowed")}
            hint={t("events.form.companionsHint")}
          />
        </div>
      </Card>
      <div>
        <Button type="submit" busy={busy} disabled={busy}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
