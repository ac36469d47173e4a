// Postgres arrays as ONE query parameter (array literal text plus a cast): the same on postgres.js and
// PGlite, and a single parameter however many values (no `in ($1, …, $n)` limit).
import { sql } from "drizzle-orm";

const quote = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

export const textArray = (values: string[]) => sql`${`{${values.map(quote).join(",")}}`}::text[]`;

export const bigintArray = (values: number[]) => sql`${`{${values.join(",")}}`}::bigint[]`;

/** The literal alone, for a prepared statement's placeholder (cast there with ::float8[]). Null stays null, also as an element. */
export const float8Literal = (values: (number | null)[] | null) => (values ? `{${values.map((v) => (v === null ? "NULL" : v)).join(",")}}` : null);

export const float8Array = (values: (number | null)[] | null) => sql`${float8Literal(values)}::float8[]`;

export const booleanArray = (values: boolean[]) => sql`${`{${values.map((v) => (v ? "t" : "f")).join(",")}}`}::boolean[]`;
