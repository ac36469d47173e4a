// The confirmation step of an action that emails many people or cannot be undone. The server asks for
// it (the action answers "confirm" with the count instead of acting) and only acts on a post that
// carries the count it stated, so a stale page or a double click never acts on a number nobody saw.
import { Form, Link } from "@remix-run/react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./index";

export function ConfirmPanel({
  title,
  children,
  intent,
  fields,
  confirmLabel,
  cancelLabel,
  cancelTo,
  busy,
  danger,
}: {
  title: string;
  children: ReactNode;
  intent: string;
  /** Posted again with the confirmation: the count confirmed and whatever the first post chose. */
  fields: Record<string, string | number>;
  confirmLabel: string;
  cancelLabel: string;
  cancelTo: string;
  busy?: boolean;
  danger?: boolean;
}) {
  const titleId = useId();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} tabIndex={-1} className="card confirm-panel" role="alertdialog" aria-labelledby={titleId} data-testid="confirm-panel">
      <h2 id={titleId} className="card-title">
        {title}
      </h2>
      <div className="stack">{children}</div>
      <Form method="post" className="row gap confirm-actions">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={String(value)} />
        ))}
        <Button type="submit" name="intent" value={intent} variant={danger ? "danger" : "primary"} busy={busy} disabled={busy}>
          {confirmLabel}
        </Button>
        <Link to={cancelTo} className="button button-secondary" replace>
          {cancelLabel}
        </Link>
      </Form>
    </section>
  );
}
