// The CSV upload: a plain multipart form that works without JavaScript, upgraded to an XHR upload with
// a progress bar (fetch cannot report upload progress).
import { Form, useNavigate } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/use-format";
import { Alert, Button } from "./ui";

export function UploadForm({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setError(t("imports.chooseFile"));
      return;
    }
    setError(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = (() => {
        try {
          return JSON.parse(xhr.responseText) as { jobId?: number; error?: string };
        } catch {
          return {};
        }
      })();
      if (xhr.status === 200 && body.jobId) navigate(`/staff/imports/${body.jobId}`);
      else {
        setProgress(null);
        setError(t(body.error ?? "errors.generic"));
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setError(t("errors.generic"));
    };
    xhr.send(data);
  }

  return (
    <Form method="post" action="/staff/imports/upload" encType="multipart/form-data" onSubmit={onSubmit} className="stack" data-testid="upload-form">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <fieldset className="choice-row" disabled={disabled}>
        <legend className="field-label">{t("imports.kind")}</legend>
        <label>
          <input type="radio" name="kind" value="purchases" defaultChecked /> {t("imports.purchases")}
        </label>
        <label>
          <input type="radio" name="kind" value="customers" /> {t("imports.customers")}
        </label>
      </fieldset>
      <label className="field">
        <span className="field-label">{t("imports.file")}</span>
        <input type="file" name="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" required disabled={disabled} />
        <span className="field-hint">{t("imports.fileHint")}</span>
      </label>
      <label className="checkbox">
        <input type="checkbox" name="mode" value="valid_only" disabled={disabled} /> {t("imports.validOnly")}
      </label>
      {progress !== null ? (
        <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)} aria-label={t("imports.uploading")}>
          <div className="progress">
            <span style={{ width: `${progress * 100}%` }} />
          </div>
          <p className="muted small">
            {t("imports.uploading")} {f.percent(progress)}
          </p>
        </div>
      ) : null}
      <Button type="submit" disabled={disabled || progress !== null}>
        {t("imports.upload")}
      </Button>
    </Form>
  );
}
