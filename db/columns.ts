// Typed columns for hand-written SQL. A query whose FROM is SQL (laterals, subqueries, CTEs: what
// drizzle's builder cannot say) selects `col(alias.column)`: rendered as "alias"."column", decoded the
// way drizzle decodes that column, and typed from the schema (nullable unless the column is NOT NULL).
// So renaming or retyping a column fails `npm run typecheck`, not production.
//
//   const c = alias(customers, "c");
//   db.select({ id: col(c.id), email: col(c.email) }).from(sql`customers c join ...`).where(...)
//
// In the select list of a query without drizzle joins, drizzle writes a column met inside sql`` by its
// bare name ("id"), which is ambiguous (or wrong) once the FROM joins two tables: expressions in a select
// list name their columns with `qualified(...)`, which always writes "alias"."column".
import { getTableName, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

export type ColumnValue<C extends AnyPgColumn> = C["_"]["notNull"] extends true ? C["_"]["data"] : C["_"]["data"] | null;

/** "alias"."column", wherever it is written. */
export function qualified(column: AnyPgColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

export function col<C extends AnyPgColumn>(column: C): SQL<ColumnValue<C>> {
  return sql<ColumnValue<C>>`${qualified(column)}`.mapWith(column);
}

/** The same column, nullable: for the columns of a LEFT JOINed alias. */
export function nullableCol<C extends AnyPgColumn>(column: C): SQL<C["_"]["data"] | null> {
  return sql<C["_"]["data"] | null>`${qualified(column)}`.mapWith(column);
}
