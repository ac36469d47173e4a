// A candidate row's actions for staff: shortlist, take off the shortlist, restore, and dismiss with a
// required note (a disclosure holding the note's form, so the row stays one line until it is needed).
import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { CandidateList } from "~/domain/loyalty";
import { NOTE_MAX } from "~/schemas/candidates";
import { Button } from "~/components/ui";

export function MarkButton({
  list,
  customer,
  intent,
  label,
  busy,
  variant = "secondary",
}: {
  list: CandidateList;
  customer: string;
  intent: "shortlist" | "unmark";
  label: string;
  busy: boolean;
  variant?: "primary" | "secondary" | "ghost";
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="list" value={list} />
      <input type="hidden" name="customer" value={customer} />
      <Button type="submit" name="intent" value={intent} variant={variant} disabled={busy} className="button-small">
        {label}
      </Button>
    </Form>
  );
}

export function DismissForm({ list, customer, name, busy }: { list: CandidateList; customer: string; name: string; busy: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <details className="candidate-dismiss">
      <summary className="button button-ghost button-small">{t("candidates.dismiss")}</summary>
      <Form method="post" className="stack" style={{ minWidth: "16rem" }}>
        <input type="hidden" name="list" value={list} />
        <input type="hidden" name="customer" value={customer} />
        <p className="small muted">
          <strong>{t("candidates.dismissTitle", { name })}</strong> {t("candidates.dismissBody")}
        </p>
        <div className="field">
          <label htmlFor={`${id}-note`}>{t("candidates.note")}</label>
          <textarea id={`${id}-note`} name="note" rows={2} required maxLength={NOTE_MAX} aria-describedby={`${id}-hint`} />
          <p className="field-hint" id={`${id}-hint`}>
            {t("candidates.noteHint")}
          </p>
        </div>
        <Button type="submit" name="intent" value="dismiss" variant="danger" disabled={busy} className="button-small">
          {t("candidates.confirmDismiss")}
        </Button>
      </Form>
    </details>
  );
}
