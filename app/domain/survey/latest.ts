// A customer's current survey figures (DESIGN §3, issue 12), each by its own "latest" rule:
// - the psychological loyalty score comes from the latest response that has one (scored from at least
//   two of the five loyalty constructs): a later one-question NPS survey does not overwrite it;
// - the NPS score and category come from the latest response that answered a recommend item.
// The customer list and export apply the same rules in SQL (latestScores in customers.server.ts);
// tests/db/survey-analytics.test.ts checks the two agree.
import type { NpsCategory } from "./types";

export interface ScoredResponse {
  id: number;
  surveyId: number;
  submittedAt: string;
  psychScore: number | null;
  npsScore: number | null;
  npsCategory: string | null;
}

export interface LatestFigures<R extends ScoredResponse> {
  loyalty: (R & { psychScore: number }) | null;
  nps: (R & { npsScore: number; npsCategory: NpsCategory }) | null;
}

/** The responses in any order; of two submitted at the same moment the one recorded later (higher id) counts. */
export function latestFigures<R extends ScoredResponse>(responses: R[]): LatestFigures<R> {
  const newestFirst = [...responses].sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt) || b.id - a.id);
  const loyalty = newestFirst.find((r) => r.psychScore !== null) ?? null;
  const nps = newestFirst.find((r) => r.npsScore !== null && r.npsCategory !== null) ?? null;
  return { loyalty: loyalty as LatestFigures<R>["loyalty"], nps: nps as LatestFigures<R>["nps"] };
}
