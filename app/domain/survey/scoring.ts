// The scores of one response (DESIGN §3): each scale item rescaled to 0–100, averaged per construct, and
// the five loyalty constructs averaged with the brand's weights into the psychological loyalty score.
import {
  constructs,
  defaultConstructWeights,
  scoredConstructs,
  type AnswerValue,
  type Answers,
  type Construct,
  type ConstructWeights,
  type NpsCategory,
  type Question,
} from "./types";

/** A loyalty score needs answers to items of at least this many of the five scored constructs. */
export const MIN_SCORED_CONSTRUCTS = 2;

export interface ResponseScores {
  /**
   * 0–100, one decimal; null unless items of at least two of the five scored constructs were answered
   * (a survey that asks only the recommend item gives an NPS, not a loyalty score).
   */
  psychScore: number | null;
  /** The 0–10 answer to the NPS item. */
  npsScore: number | null;
  npsCategory: NpsCategory | null;
  /** Mean item score per construct answered, 0–100, one decimal. */
  constructScores: Partial<Record<Construct, number>>;
  /**
   * What Cronbach's alpha per construct needs, laid out by alphaLayout: for each construct with two or
   * more scale items, its items' 0–100 scores (reverse items flipped) and their total when every item
   * of it was answered, else as many nulls; null when no such construct was complete. Stored with the
   * response (loyalty_scores), so the statistics unnest one array instead of reading every answer.
   */
  alphaScores: (number | null)[] | null;
}

/** The scale items (NPS, Likert, rating) that measure a construct, per construct in the survey's order. */
export function constructItems(questions: Question[]): Map<Construct, Question[]> {
  const byConstruct = new Map<Construct, Question[]>();
  for (const q of questions) {
    if (!q.construct || !(q.type === "nps" || q.type === "likert" || q.type === "rating")) continue;
    byConstruct.set(q.construct, [...(byConstruct.get(q.construct) ?? []), q]);
  }
  return byConstruct;
}

export interface AlphaSlot {
  construct: Construct;
  items: Question[];
  /** 1-based positions in alphaScores: the items at first … first + k − 1, their total at first + k. */
  first: number;
}

/** The constructs that have an alpha (two or more scale items), in the order of `constructs`. */
export function alphaLayout(questions: Question[]): AlphaSlot[] {
  const byConstruct = constructItems(questions);
  const layout: AlphaSlot[] = [];
  let next = 1;
  for (const construct of constructs) {
    const items = byConstruct.get(construct) ?? [];
    if (items.length < 2) continue;
    layout.push({ construct, items, first: next });
    next += items.length + 1;
  }
  return layout;
}

function alphaScores(questions: Question[], answers: Answers): (number | null)[] | null {
  const slots: (number | null)[] = [];
  let complete = false;
  for (const { items } of alphaLayout(questions)) {
    const scores = items.map((q) => itemScore(q, answers[q.key]));
    if (scores.every((v) => v !== null)) {
      complete = true;
      slots.push(...(scores as number[]), (scores as number[]).reduce((a, b) => a + b, 0));
    } else {
      slots.push(...scores.map(() => null), null);
    }
  }
  return complete ? slots : null;
}

/** One item's answer on 0–100, or null when the item is not a scale item or the value does not fit it. */
export function itemScore(question: Question, value: AnswerValue | null | undefined): number | null {
  if (typeof value !== "number" || !Number.isInteger(value)) return null;
  switch (question.type) {
    case "nps":
      return value >= 0 && value <= 10 ? value * 10 : null;
    case "likert": {
      const score = scaleScore(value, question.points ?? 5);
      return score !== null && question.reverse ? 100 - score : score;
    }
    case "rating":
      return scaleScore(value, question.points ?? 5);
    default:
      return null;
  }
}

export function scoreResponse(questions: Question[], answers: Answers, weights: ConstructWeights = defaultConstructWeights): ResponseScores {
  const itemScores = new Map<Construct, number[]>();
  for (const question of questions) {
    if (!question.construct || !constructs.includes(question.construct)) continue;
    const score = itemScore(question, answers[question.key]);
    if (score === null) continue;
    const scores = itemScores.get(question.construct) ?? [];
    scores.push(score);
    itemScores.set(question.construct, scores);
  }

  const constructMeans = new Map<Construct, number>();
  for (const [construct, scores] of itemScores) constructMeans.set(construct, scores.reduce((sum, s) => sum + s, 0) / scores.length);

  // Weights are re-normalised over the constructs this response covers, so a survey without, say, trust
  // items is scored on the other four rather than dragged down by a missing zero.
  let weighted = 0;
  let weightSum = 0;
  let answered = 0;
  for (const construct of scoredConstructs) {
    const mean = constructMeans.get(construct);
    if (mean !== undefined) answered++;
    const weight = weights[construct];
    if (mean === undefined || !(weight > 0)) continue;
    weighted += weight * mean;
    weightSum += weight;
  }

  const constructScores: Partial<Record<Construct, number>> = {};
  for (const [construct, mean] of constructMeans) constructScores[construct] = round1(mean);

  const npsScore = npsItemAnswer(questions, answers);
  return {
    alphaScores: alphaScores(questions, answers),
    psychScore: answered >= MIN_SCORED_CONSTRUCTS && weightSum > 0 ? round1(weighted / weightSum) : null,
    npsScore,
    npsCategory: npsCategory(npsScore),
    constructScores,
  };
}

/** 推奨者 promoter 9–10, 中立者 passive 7–8, 批判者 detractor 0–6. */
export function npsCategory(score: number | null): NpsCategory | null {
  if (score === null || !Number.isInteger(score) || score < 0 || score > 10) return null;
  if (score >= 9) return "promoter";
  if (score >= 7) return "passive";
  return "detractor";
}

/** The survey's NPS item is fixed by its questions, not by which of them a respondent happened to answer. */
function npsItemAnswer(questions: Question[], answers: Answers): number | null {
  const npsItems = questions.filter((question) => question.type === "nps");
  const item = npsItems.find((question) => question.construct === "recommend") ?? npsItems[0];
  if (!item) return null;
  const value = answers[item.key];
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 10 ? value : null;
}

function scaleScore(value: number, points: number): number | null {
  if (points < 2 || value < 1 || value > points) return null;
  return ((value - 1) / (points - 1)) * 100;
}

// The nudge keeps a mean that is exactly …5 from rounding down when floating point lands on …4999…
// (a mean of 0.35 can come out as 0.34999999999999964); scores lie in 0–100, where 1e-9 changes nothing else.
function round1(x: number): number {
  return Math.round(x * 10 + 1e-9) / 10;
}
