// Columns of hand-written FROM clauses, qualified by their alias. In the select list of a query whose
// FROM is SQL, drizzle renders a column (bare, in sql`${column}`, or through col() of db/columns.ts)
// without its table, as if the query read one table: `select "id" from survey_responses r join surveys s`
// is ambiguous. qcol(r.id) renders "r"."id" wherever it is used, typed and decoded like col().
import { getTableName, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { ColumnValue } from "./columns";

/** `"alias"."column"`, typed and decoded from the schema (nullable unless the column is NOT NULL). */
export function qcol<C extends AnyPgColumn>(column: C): SQL<ColumnValue<C>> {
  return sql<ColumnValue<C>>`${qualified(column)}`.mapWith(column);
}

/** The same, nullable: for the columns of a LEFT JOINed alias. */
export function nullableQcol<C extends AnyPgColumn>(column: C): SQL<C["_"]["data"] | null> {
  return sql<C["_"]["data"] | null>`${qualified(column)}`.mapWith(column);
}

/** The column as SQL, qualified by its table's alias, for computed fields: sql`${qualified(r.id)}::int`. */
export function qualified(column: AnyPgColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
