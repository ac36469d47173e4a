// The rows an import refused, each invalid row once with every bad cell under it: column as written in
// the file, the value, and the reason in words. Shared by the customer/purchase imports and the survey
// answers import.
import { useTranslation } from "react-i18next";
import { TableWrap } from "~/components/ui";

export interface ImportErrorRow {
  row: number;
  column: string;
  value: string;
  /** Already in the reader's language. */
  reason: string;
}

export interface InvalidRow {
  row: number;
  errors: ImportErrorRow[];
}

/** Errors grouped by their row, rows in the order they first appear (the callers pass them in row order). */
export function groupByRow(errors: ImportErrorRow[]): InvalidRow[] {
  const rows = new Map<number, InvalidRow>();
  for (const e of errors) {
    const found = rows.get(e.row);
    if (found) found.errors.push(e);
    else rows.set(e.row, { row: e.row, errors: [e] });
  }
  return [...rows.values()];
}

export function ImportErrorsTable({ rows }: { rows: InvalidRow[] }) {
  const { t } = useTranslation();
  return (
    <TableWrap label={t("imports.problems")}>
      <table className="table" data-testid="import-errors">
        <thead>
          <tr>
            <th className="num">{t("imports.row")}</th>
            <th>{t("imports.problems")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ row, errors: cells }) => (
            <tr key={row} data-row={row}>
              <th scope="row" className="num import-error-row">
                {row}
              </th>
              <td>
                <ul className="import-error-cells">
                  {cells.map((e, i) => (
                    <li key={`${i}-${e.column}`}>
                      <strong>{e.column}</strong>
                      {e.value ? <span className="mono"> “{e.value}”</span> : null}
                      <span className="import-error-reason">{e.reason}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
