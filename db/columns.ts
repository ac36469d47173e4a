// Typed columns for hand-written SQL. A query whose FROM is SQL (laterals, subqueries, CTEs: what
// drizzle's builder cannot say) selects `col(alias.column)`: rendered as "alias"."column", decoded the
// way drizzle decodes that column, and typed from the schema (nullable unless the column is NOT NULL).
// So renaming or retyping a column fails `npm run typecheck`, not production.
//
//   const c = alias(customers, "c");
//   db.select({ id: col(c.id), email: col(c.email) }).from(sql`customers c join ...`).where(...)
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

export type ColumnValue<C extends AnyPgColumn> = C["_"]["notNull"] extends true ? C["_"]["data"] : C["_"]["data"] | null;

export function col<C extends AnyPgColumn>(column: C): SQL<ColumnValue<C>> {
  return sql<ColumnValue<C>>`${column}`.mapWith(column);
}

/** The same column, nullable: for the columns of a LEFT JOINed alias. */
export function nullableCol<C extends AnyPgColumn>(column: C): SQL<C["_"]["data"] | null> {
  return sql<C["_"]["data"] | null>`${column}`.mapWith(column);
}
