// Postgres arrays as ONE query parameter (array literal text plus a cast): the same on postgres.js and
// PGlite, and a single parameter however many values (no `in ($1, …, $n)` limit).
import { sql } from "drizzle-orm";

const quote = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

export const textArray = (values: string[]) => sql`${`{${values.map(quote).join(",")}}`}::text[]`;

export const bigintArray = (values: number[]) => sql`${`{${values.join(",")}}`}::bigint[]`;

/** Null stays a null array. */
export const float8Array = (values: number[] | null) => sql`${values ? `{${values.join(",")}}` : null}::float8[]`;
