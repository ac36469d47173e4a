// Waves (DESIGN §3): one survey's responses, optionally within a date range in the brand's time zone,
// reduced by one SQL aggregate to NPS counts and per-construct moments; two of them compared.
import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { qualified } from "../../db/columns";
import { surveyResponses, surveys } from "../../db/schema";
import { meanDifference, npsDifference, type MeanDifference, type Moments, type NpsDifference } from "../domain/survey/waves";
import { constructs, type Construct } from "../domain/survey/types";
import { npsCountColumns } from "./survey-nps.server";

export interface WaveSelection {
  surveyId: number;
  /** YYYY-MM-DD, inclusive, in the brand's time zone; null or absent: no bound. */
  from?: string | null;
  to?: string | null;
}

export interface Wave {
  responses: number;
  counts: { promoters: number; passives: number; detractors: number };
  /** Only constructs with at least one score in this wave. */
  constructs: Partial<Record<Construct, Moments & { mean: number }>>;
}

export interface WaveComparison {
  nps: NpsDifference;
  /** Every construct scored in either wave, in the order of `constructs`. */
  constructs: { construct: Construct; nA: number; nB: number; diff: MeanDifference }[];
}

const r = alias(surveyResponses, "r");

// Construct names are our own constants, so they go into the statement as literals.
const score = (c: Construct) => sql`(${qualified(r.constructScores)} ->> ${sql.raw(`'${c}'`)})::float8`;

export async function getWave(selection: WaveSelection, db: Db = getDb()): Promise<Wave> {
  // A day starts at midnight in the brand's time zone; `to` includes its whole day.
  const bounds: SQL[] = [];
  if (selection.from) bounds.push(sql`and r.submitted_at >= (${selection.from}::date)::timestamp at time zone b.time_zone`);
  if (selection.to) bounds.push(sql`and r.submitted_at < (${selection.to}::date + 1)::timestamp at time zone b.time_zone`);
  const perConstruct = Object.fromEntries(
    constructs.flatMap((c) => [
      [`${c}_n`, sql<number>`count(${score(c)})::int`],
      [`${c}_sum`, sql<number>`coalesce(sum(${score(c)}), 0)::float8`],
      [`${c}_ss`, sql<number>`coalesce(sum(${score(c)} * ${score(c)}), 0)::float8`],
    ]),
  ) as Record<`${Construct}_${"n" | "sum" | "ss"}`, SQL<number>>;
  const [row] = await db
    .select({ responses: sql<number>`count(*)::int`, ...npsCountColumns(r.npsCategory), ...perConstruct })
    .from(sql`survey_responses r cross join brand_settings b`)
    .where(sql`b.id = 1 and ${r.surveyId} = ${selection.surveyId} ${sql.join(bounds, sql` `)}`);
  const moments: Wave["constructs"] = {};
  for (const c of constructs) {
    const n = Number(row?.[`${c}_n`] ?? 0);
    if (n === 0) continue;
    const sum = Number(row![`${c}_sum`]);
    moments[c] = { n, sum, sumSquares: Number(row![`${c}_ss`]), mean: sum / n };
  }
  return {
    responses: Number(row?.responses ?? 0),
    counts: { promoters: Number(row?.promoters ?? 0), passives: Number(row?.passives ?? 0), detractors: Number(row?.detractors ?? 0) },
    constructs: moments,
  };
}

/** B − A for NPS and each construct scored in either wave. */
export function compareWaves(a: Wave, b: Wave): WaveComparison {
  const none: Moments = { n: 0, sum: 0, sumSquares: 0 };
  return {
    nps: npsDifference(a.counts, b.counts),
    constructs: constructs
      .filter((c) => a.constructs[c] || b.constructs[c])
      .map((c) => {
        const mA = a.constructs[c] ?? none;
        const mB = b.constructs[c] ?? none;
        return { construct: c, nA: mA.n, nB: mB.n, diff: meanDifference(mA, mB) };
      }),
  };
}

export interface WaveSurvey {
  id: number;
  title: { ja: string; en: string };
  version: number;
  previousId: number | null;
}

/** Every survey for the pickers, newest first, with the version it was copied from. */
export async function listWaveSurveys(db: Db = getDb()): Promise<WaveSurvey[]> {
  return db
    .select({ id: surveys.id, title: surveys.title, version: surveys.version, previousId: surveys.previousId })
    .from(surveys)
    .orderBy(sql`${surveys.id} desc`);
}
