// The rows an import refused: row number, column as written in the file, the value, and the reason
// in words. Shared by the customer/purchase imports and the survey answers import.
import { useTranslation } from "react-i18next";

export interface ImportErrorRow {
  row: number;
  column: string;
  value: string;
  /** Already in the reader's language. */
  reason: string;
}

export function ImportErrorsTable({ errors }: { errors: ImportErrorRow[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="import-errors">
        <thead>
          <tr>
            <th className="num">{t("imports.row")}</th>
            <th>{t("imports.column")}</th>
            <th>{t("imports.value")}</th>
            <th>{t("imports.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={`${i}-${e.row}-${e.column}`}>
              <td className="num">{e.row}</td>
              <td>{e.column}</td>
              <td className="mono">{e.value}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
