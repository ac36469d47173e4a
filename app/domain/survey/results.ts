// A survey's figures per construct and per question (DESIGN §3), from the counts, sums and sums of
// squares SQL aggregates (survey_alpha_stats, survey_answer_stats). Pure: no database, no React.
import { alphaLayout, constructItems } from "./scoring";
import { alphaReading, cronbachAlphaFromMoments, type AlphaReading } from "./stats";
import { constructs, type Construct, type NpsCategory, type Question, type QuestionType } from "./types";

// ---- Cronbach's alpha per construct ------------------------------------------------------------

/** One row of survey_alpha_stats summed over the segments asked for: a slot of alphaLayout. */
export interface AlphaMomentRow {
  pos: number;
  n: number;
  s: number;
  ss: number;
}

export interface ConstructResult {
  /** Mean of the construct's 0–100 score over the responses that answered any of its items. */
  mean: number | null;
  /** Cronbach's alpha over the responses that answered every item; null for one item or too few answers. */
  alpha: number | null;
  reading: AlphaReading | null;
  /** Responses that answered every item of the construct. */
  complete: number;
  /** Scale items (NPS, Likert, rating) measuring the construct. */
  items: number;
}

export { constructItems };

/**
 * Alpha belongs to one construct: for each construct with two or more items, from the moments of the
 * responses that answered all of them (the slots of alphaLayout). Never over mixed constructs.
 */
export function constructResults(
  questions: Question[],
  moments: AlphaMomentRow[],
  means: Partial<Record<Construct, { sum: number; n: number }>>,
): Partial<Record<Construct, ConstructResult>> {
  const items = constructItems(questions);
  const layout = new Map(alphaLayout(questions).map((slot) => [slot.construct, slot]));
  const byPos = new Map(moments.map((r) => [Number(r.pos), r]));
  const result: Partial<Record<Construct, ConstructResult>> = {};
  for (const construct of constructs) {
    const k = items.get(construct)?.length ?? 0;
    if (k === 0) continue;
    const m = means[construct];
    const mean = m && m.n > 0 ? round(m.sum / m.n, 1) : null;
    const slot = layout.get(construct);
    if (!slot) {
      result[construct] = { mean, alpha: null, reading: null, complete: m?.n ?? 0, items: k };
      continue;
    }
    const perItem = Array.from({ length: k }, (_, i) => byPos.get(slot.first + i));
    const totals = byPos.get(slot.first + k);
    const complete = totals?.n ?? 0;
    const alpha =
      totals && perItem.every(Boolean)
        ? cronbachAlphaFromMoments({
            n: complete,
            itemSums: perItem.map((r) => Number(r!.s)),
            itemSumSquares: perItem.map((r) => Number(r!.ss)),
            totalSum: Number(totals.s),
            totalSumSquares: Number(totals.ss),
          })
        : null;
    result[construct] = { mean, alpha: alpha === null ? null : round(alpha, 3), reading: alphaReading(alpha), complete, items: k };
  }
  return result;
}

// ---- Every question's result -------------------------------------------------------------------

/**
 * One row of survey_answer_stats: scale and single-choice answers under their value; multiple-choice
 * answers under each option chosen and once under '' (the respondents); text answers under '' alone.
 */
export interface AnswerCountRow {
  segment: string;
  npsCategory: string;
  key: string;
  value: string;
  n: number;
}

export interface ScaleResult {
  key: string;
  type: "nps" | "likert" | "rating";
  answered: number;
  /** Every point of the scale with its count and share of the answers (0–1). */
  distribution: { value: number; n: number; share: number }[];
  mean: number | null;
  /** Likert: share (0–1) of answers on the two highest points (as answered, before reverse scoring). */
  topTwoBox?: number | null;
}

export interface ChoiceCount {
  value: string;
  n: number;
  /** Single: of the answers; multiple: of the respondents who answered the question (0–1). */
  share: number;
}

/** Option counts within one group (an NPS category or a CPM segment) of a crossed choice question. */
export interface ChoiceCross {
  group: string;
  answered: number;
  options: ChoiceCount[];
}

export interface ChoiceResult {
  key: string;
  type: "single" | "multiple";
  answered: number;
  options: ChoiceCount[];
  byNpsCategory: ChoiceCross[];
  bySegment: ChoiceCross[];
}

export interface TextResult {
  key: string;
  type: "short_text" | "long_text";
  answered: number;
}

export type QuestionResult = ScaleResult | ChoiceResult | TextResult;

const npsGroups: (NpsCategory | "")[] = ["promoter", "passive", "detractor", ""];

/** The points a scale question can take: NPS 0–10, Likert and rating 1…points. */
export function scalePoints(question: Question): number[] {
  if (question.type === "nps") return Array.from({ length: 11 }, (_, i) => i);
  const points = question.points ?? 5;
  return Array.from({ length: points }, (_, i) => i + 1);
}

/**
 * Each question's figures from the answer counts (already narrowed to a segment when one is chosen):
 * scale questions their distribution, mean and (Likert) top-2-box; choice questions counts and shares,
 * also crossed with NPS category and CPM segment; text questions how many answered.
 */
export function questionResults(questions: Question[], rows: AnswerCountRow[], segmentOrder: readonly string[]): QuestionResult[] {
  const byKey = new Map<string, AnswerCountRow[]>();
  for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  return questions.map((q) => {
    const own = byKey.get(q.key) ?? [];
    // Respondents: the '' rows of multiple-choice and text questions, every row of the others.
    const respondents = (rows: AnswerCountRow[]) => total(q.type === "multiple" || q.type === "short_text" || q.type === "long_text" ? rows.filter((r) => r.value === "") : rows);
    const answered = respondents(own);
    if (q.type === "nps" || q.type === "likert" || q.type === "rating") {
      const counts = sumBy(own.filter((r) => r.value !== ""), (r) => r.value);
      const points = scalePoints(q);
      const distribution = points.map((value) => {
        const n = counts.get(String(value)) ?? 0;
        return { value, n, share: answered > 0 ? round(n / answered, 4) : 0 };
      });
      const sum = distribution.reduce((acc, d) => acc + d.value * d.n, 0);
      const result: ScaleResult = { key: q.key, type: q.type, answered, distribution, mean: answered > 0 ? round(sum / answered, 2) : null };
      if (q.type === "likert") {
        const top = distribution.slice(-2).reduce((acc, d) => acc + d.n, 0);
        result.topTwoBox = answered > 0 ? round(top / answered, 4) : null;
      }
      return result;
    }
    if (q.type === "single" || q.type === "multiple") {
      const optionValues = (q.options ?? []).map((o) => o.value);
      const options = (subset: AnswerCountRow[]) => {
        const counts = sumBy(subset.filter((r) => r.value !== ""), (r) => r.value);
        const base = respondents(subset);
        return optionValues.map((value) => {
          const n = counts.get(value) ?? 0;
          return { value, n, share: base > 0 ? round(n / base, 4) : 0 };
        });
      };
      const cross = (groups: readonly string[], groupOf: (r: AnswerCountRow) => string): ChoiceCross[] =>
        groups
          .map((group) => {
            const subset = own.filter((r) => groupOf(r) === group);
            return { group, answered: respondents(subset), options: options(subset) };
          })
          .filter((c) => c.answered > 0);
      return {
        key: q.key,
        type: q.type,
        answered,
        options: options(own),
        byNpsCategory: cross(npsGroups, (r) => r.npsCategory),
        bySegment: cross(segmentOrder, (r) => r.segment),
      };
    }
    return { key: q.key, type: q.type as Extract<QuestionType, "short_text" | "long_text">, answered };
  });
}

function total(rows: { n: number }[]) {
  return rows.reduce((acc, r) => acc + r.n, 0);
}

function sumBy<T extends { n: number }>(rows: T[], keyOf: (row: T) => string) {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + row.n);
  return counts;
}

function round(x: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(x * f + (x >= 0 ? 1e-9 : -1e-9)) / f;
}
