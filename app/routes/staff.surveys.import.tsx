// Importing a survey file: upload the JSON (or paste it) and get a new draft survey. The whole file is
// checked first; a bad file creates nothing and the page lists each problem with its question and field.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, PageHeader, TableWrap } from "~/components/ui";
import { problemField, type SurveyFileProblem } from "~/schemas/survey-file";
import { importSurveyFile } from "~/services/survey-file.server";
import { requireRole } from "~/utils/auth.server";

/** A hundred questions in two languages fit in a few hundred kilobytes. */
const MAX_BYTES = 2 * 1024 * 1024;

type ActionResult = { error: string | null; problems: SurveyFileProblem[] };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "staff");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
  } catch {
    return data<ActionResult>({ error: "surveyFile.import.tooLarge", problems: [] }, { status: 413 });
  }
  const file = form.get("file");
  const pasted = String(form.get("json") ?? "");
  const text = file instanceof File && file.size > 0 ? await file.text() : pasted;
  if (text.trim() === "") return data<ActionResult>({ error: "surveyFile.import.chooseFile", problems: [] }, { status: 400 });
  const result = await importSurveyFile(text, user.id);
  if (!result.ok) return data<ActionResult>({ error: null, problems: result.problems }, { status: 400 });
  throw redirect(`/staff/surveys/${result.id}`);
}

export default function ImportSurveyFile() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const problems = result?.problems ?? [];
  return (
    <>
      <PageHeader title={t("surveyFile.import.title")} subtitle={<Link to="/staff/surveys">← {t("surveys.title")}</Link>} />
      <Card>
        <p>{t("surveyFile.import.intro")}</p>
        <p className="small muted">{t("surveyFile.import.format")}</p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <label className="field">
            <span>{t("surveyFile.import.file")}</span>
            {/* A file input is wider than a phone's column unless told otherwise. */}
            <input type="file" name="file" accept=".json,application/json" style={{ minWidth: 0, maxWidth: "100%" }} />
          </label>
          <label className="field">
            <span>{t("surveyFile.import.paste")}</span>
            <textarea name="json" rows={8} className="mono small" spellCheck={false} placeholder='{"title": {"ja": "…", "en": "…"}, "questions": […]}' />
          </label>
          <div className="row gap">
            <Button type="submit" busy={busy} disabled={busy}>
              {t("surveyFile.import.submit")}
            </Button>
          </div>
        </Form>
      </Card>
      {result?.error ? <Alert tone="error">{t(result.error)}</Alert> : null}
      {problems.length > 0 ? (
        <Card title={t("surveyFile.import.rejected", { count: problems.length })}>
          <TableWrap label={t("surveyFile.import.rejected", { count: problems.length })}>
            <table className="table" data-testid="survey-file-problems">
              <thead>
                <tr>
                  <th>{t("surveyFile.import.question")}</th>
                  <th>{t("surveyFile.import.field")}</th>
                  <th className="col-text">{t("surveyFile.import.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((problem, i) => (
                  <tr key={`${i}-${problem.path}`}>
                    <td>
                      {problem.question ? (
                        <>
                          <span className="mono">{problem.question.key ?? "—"}</span>{" "}
                          <span className="muted small">questions[{problem.question.index}]</span>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="mono">{problemField(problem) || t("surveyFile.wholeFile")}</td>
                    <td>{t(problem.message, problem.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </Card>
      ) : null}
    </>
  );
}
