// The loyalty matrix (DESIGN §4): both axes joined. Behaviour (CPM segment, RFM) on one axis, the
// psychological loyalty score on the other; four quadrants with borders the brand sets.
// Pure rules. The database applies the same ones in SQL (db/views/customer_loyalty.sql);
// tests/db/loyalty.test.ts checks both agree customer by customer.
import type { CpmSegment } from "./cpm";
import type { NpsCategory } from "./survey/types";

/** Ordered as the matrix reads: behaviour high first, psychology high first. */
export const quadrants = ["true_loyal", "habitual", "latent_fan", "low"] as const;
export type Quadrant = (typeof quadrants)[number];

export interface QuadrantBorders {
  /** The CPM segments whose behaviour counts as high. */
  highSegments: CpmSegment[];
  /** A loyalty score at or above this (0–100) counts as high psychology. */
  psychBorder: number;
}

/** DESIGN §4's defaults: loyal, steady or trendy and active; a score of 70 or more. */
export const defaultQuadrantBorders: QuadrantBorders = {
  highSegments: ["loyal_active", "steady_active", "trendy_active"],
  psychBorder: 70,
};

/**
 * The customer's quadrant, or null without a loyalty score ("not yet asked"). A customer without a
 * segment (no purchase yet) has low behaviour.
 */
export function quadrantOf(segment: CpmSegment | null, psychScore: number | null, borders: QuadrantBorders): Quadrant | null {
  if (psychScore === null) return null;
  const behaviourHigh = segment !== null && borders.highSegments.includes(segment);
  const psychHigh = psychScore >= borders.psychBorder;
  if (behaviourHigh) return psychHigh ? "true_loyal" : "habitual";
  return psychHigh ? "latent_fan" : "low";
}

/**
 * The behaviour score on the matrix's x axis, 0–100: the mean of the three RFM quintile scores
 * (1–5 each), rescaled so that 1-1-1 is 0 and 5-5-5 is 100. Null without purchases. One decimal.
 */
export function behaviourScore(r: number | null, f: number | null, m: number | null): number | null {
  if (r === null || f === null || m === null) return null;
  return Math.round(((r + f + m - 3) / 12) * 1000) / 10;
}

// ---- Candidates (DESIGN §4) --------------------------------------------------------------------

/** An answer to an interest question (ambassador_interest, cocreation_interest), from the latest response that answered one. */
export type Interest = "yes" | "maybe" | "no";
export const interests = ["yes", "maybe", "no"] as const;

export type CandidateList = "ambassador" | "cocreation";
export const candidateLists = ["ambassador", "cocreation"] as const;

/** Why a customer is left out of a list, whatever their score (checked in this order). */
export const exclusionReasons = ["no_consent", "member", "detractor", "declined", "dismissed"] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];

export interface AmbassadorWeights {
  psych: number;
  nps: number;
  behaviour: number;
  tenure: number;
  interest: number;
}
export interface CocreationWeights {
  psych: number;
  interest: number;
  tenure: number;
  text: number;
}

export interface CandidateSettings {
  /** The lowest loyalty score (0–100) a candidate of either list may have. */
  minScore: number;
  /** Tenure at which the tenure part is full, in years. */
  tenureYears: number;
  /** Open-text characters (over the latest responses) at which the text part is full. */
  textChars: number;
  ambassador: AmbassadorWeights;
  cocreation: CocreationWeights;
  /** Between equal scores: the customer id, or the higher expected 90-day value first (issue 19). */
  tieBreaker?: CandidateTieBreaker;
}

export const candidateTieBreakers = ["none", "expected_value"] as const;
export type CandidateTieBreaker = (typeof candidateTieBreakers)[number];

/** Defaults, written in the README: a weighted mean of parts that are each 0–1, times 100. */
export const defaultCandidateSettings: CandidateSettings = {
  minScore: 70,
  tenureYears: 3,
  textChars: 200,
  ambassador: { psych: 3, nps: 2, behaviour: 2, tenure: 1, interest: 2 },
  cocreation: { psych: 3, interest: 3, tenure: 2, text: 2 },
};

/** What the rules read of one customer (customer_loyalty's row). */
export interface CandidateInput {
  segment: CpmSegment | null;
  purchaseCount: number;
  tenureDays: number | null;
  rfmR: number | null;
  rfmF: number | null;
  rfmM: number | null;
  psychScore: number | null;
  npsScore: number | null;
  npsCategory: NpsCategory | null;
  ambassadorInterest: Interest | null;
  cocreationInterest: Interest | null;
  /** Characters of open text in the customer's answers (constructive comments). */
  textChars: number;
  /** Marketing consent given and not unsubscribed, and an email address to reach them. */
  contactable: boolean;
  /** Already a programme member (any status) or holding an open invitation to be one. */
  member: boolean;
  /** Dismissed by staff from this list (and not restored). */
  dismissed: boolean;
}

/** A reason in words, as data: the page and the exports word it in the reader's language. */
export type CandidateReason =
  | { kind: "promoter"; nps: number }
  | { kind: "score"; score: number }
  | { kind: "segment"; segment: CpmSegment }
  | { kind: "tenure"; years: number }
  | { kind: "interest"; list: CandidateList; answer: Interest | null }
  | { kind: "text"; chars: number };

export type CandidateVerdict =
  | { status: "candidate"; score: number; reasons: CandidateReason[] }
  | { status: "excluded"; reason: ExclusionReason }
  | { status: "not_candidate" };

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const interestPart: Record<Interest | "none", number> = { yes: 1, maybe: 0.5, none: 0.25, no: 0 };

/** Tenure in years, one decimal. */
export function tenureYears(tenureDays: number | null): number {
  return round1((tenureDays ?? 0) / 365.25);
}

/**
 * Why a customer is kept off a list, in this order. Membership (or an open invitation) keeps people off
 * the ambassador list only: members are the first people a town meeting asks to co-create (DESIGN §6).
 */
function exclusion(c: CandidateInput, list: CandidateList): ExclusionReason | null {
  if (!c.contactable) return "no_consent";
  if (c.member && list === "ambassador") return "member";
  if (c.npsCategory === "detractor") return "detractor";
  if ((list === "ambassador" ? c.ambassadorInterest : c.cocreationInterest) === "no") return "declined";
  if (c.dismissed) return "dismissed";
  return null;
}

function weighted(parts: [number, number][]): number {
  const total = parts.reduce((s, [w]) => s + w, 0);
  if (total <= 0) return 0;
  return round1((100 * parts.reduce((s, [w, p]) => s + w * p, 0)) / total);
}

/**
 * Ambassador: people who will speak for the brand. A candidate has a loyalty score of at least
 * minScore, is a promoter in their latest NPS answer, a repeat buyer and active (a segment other than
 * first-time, not lapsed), and has not said no to ambassador_interest.
 */
export function ambassadorVerdict(c: CandidateInput, s: CandidateSettings): CandidateVerdict {
  if (c.psychScore === null) return { status: "not_candidate" };
  const excluded = exclusion(c, "ambassador");
  if (excluded) return { status: "excluded", reason: excluded };
  const repeatActive = c.purchaseCount >= 2 && c.segment !== null && c.segment.endsWith("_active");
  if (c.psychScore < s.minScore || c.npsCategory !== "promoter" || c.npsScore === null || !repeatActive) return { status: "not_candidate" };
  const w = s.ambassador;
  const behaviour = (behaviourScore(c.rfmR, c.rfmF, c.rfmM) ?? 0) / 100;
  const score = weighted([
    [w.psych, c.psychScore / 100],
    [w.nps, c.npsScore / 10],
    [w.behaviour, behaviour],
    [w.tenure, clamp01((c.tenureDays ?? 0) / 365.25 / s.tenureYears)],
    [w.interest, interestPart[c.ambassadorInterest ?? "none"]],
  ]);
  return {
    status: "candidate",
    score,
    reasons: [
      { kind: "promoter", nps: c.npsScore },
      { kind: "score", score: c.psychScore },
      { kind: "segment", segment: c.segment! },
      { kind: "tenure", years: tenureYears(c.tenureDays) },
      { kind: "interest", list: "ambassador", answer: c.ambassadorInterest },
    ],
  };
}

/**
 * Co-creation: people who will improve the brand with it. A candidate has a loyalty score of at least
 * minScore and said yes or maybe to cocreation_interest, or, not asked, has a long tenure (tenureYears)
 * or rich open-text answers (textChars); they need not be big spenders.
 */
export function cocreationVerdict(c: CandidateInput, s: CandidateSettings): CandidateVerdict {
  if (c.psychScore === null) return { status: "not_candidate" };
  const excluded = exclusion(c, "cocreation");
  if (excluded) return { status: "excluded", reason: excluded };
  const tenurePart = clamp01((c.tenureDays ?? 0) / 365.25 / s.tenureYears);
  const textPart = clamp01(c.textChars / s.textChars);
  const willing = c.cocreationInterest === "yes" || c.cocreationInterest === "maybe";
  if (c.psychScore < s.minScore || !(willing || tenurePart >= 1 || textPart >= 1)) return { status: "not_candidate" };
  const w = s.cocreation;
  const score = weighted([
    [w.psych, c.psychScore / 100],
    [w.interest, interestPart[c.cocreationInterest ?? "none"]],
    [w.tenure, tenurePart],
    [w.text, textPart],
  ]);
  const reasons: CandidateReason[] = [
    { kind: "score", score: c.psychScore },
    { kind: "interest", list: "cocreation", answer: c.cocreationInterest },
  ];
  if (c.segment) reasons.push({ kind: "segment", segment: c.segment });
  reasons.push({ kind: "tenure", years: tenureYears(c.tenureDays) });
  if (c.textChars > 0) reasons.push({ kind: "text", chars: c.textChars });
  return { status: "candidate", score, reasons };
}

export function verdict(list: CandidateList, c: CandidateInput, s: CandidateSettings): CandidateVerdict {
  return list === "ambassador" ? ambassadorVerdict(c, s) : cocreationVerdict(c, s);
}

/** Everything of issue 16 the brand sets, stored as one value in Settings. */
export interface LoyaltySettings {
  borders: QuadrantBorders;
  candidates: CandidateSettings;
}
export const defaultLoyaltySettings: LoyaltySettings = { borders: defaultQuadrantBorders, candidates: defaultCandidateSettings };

/** The views of a ranked list: the top 5 % ("one to 5 %" before "one to one"), 10 %, or all. */
export const candidateViews = ["top5", "top10", "all"] as const;
export type CandidateView = (typeof candidateViews)[number];

/** How many of `total` ranked candidates a view shows: at least one when there is any. */
export function viewSize(view: CandidateView, total: number): number {
  if (view === "all" || total === 0) return total;
  return Math.max(1, Math.ceil((total * (view === "top5" ? 5 : 10)) / 100));
}

/** Problems with settings, as message keys with the field: scores whole numbers within 0–100, weights not negative, some weight. */
export function checkCandidateSettings(s: CandidateSettings, b: QuadrantBorders): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  const score = (field: string, v: number) => {
    // Whole numbers: the matrix counts respondents by whole score (db/views/loyalty_grid.sql), which
    // places every score exactly on its side of a whole border.
    if (!Number.isInteger(v) || v < 0 || v > 100) problems.push({ field, problem: "score_range" });
  };
  score("psychBorder", b.psychBorder);
  score("minScore", s.minScore);
  if (b.highSegments.length === 0) problems.push({ field: "highSegments", problem: "none_selected" });
  if (!(s.tenureYears > 0)) problems.push({ field: "tenureYears", problem: "positive" });
  if (!(s.textChars > 0)) problems.push({ field: "textChars", problem: "positive" });
  for (const list of candidateLists) {
    const weights = s[list] as unknown as Record<string, number>;
    for (const [k, v] of Object.entries(weights)) {
      if (!Number.isFinite(v) || v < 0) problems.push({ field: `${list}.${k}`, problem: "negative_weight" });
    }
    if (Object.values(weights).every((v) => !(v > 0))) problems.push({ field: list, problem: "no_weight" });
  }
  return problems;
}

/**
 * The answer to an interest question as yes / maybe / no: a choice's value (yes, maybe, no; other
 * values are not read), or a scale item's position (top third yes, bottom third no, between maybe).
 */
export function interestOf(type: string, value: unknown, points?: number | null): Interest | null {
  if (type === "single") return value === "yes" || value === "maybe" || value === "no" ? value : null;
  if (typeof value !== "number" || !Number.isInteger(value)) return null;
  const [low, high] = type === "nps" ? [0, 10] : [1, points ?? 5];
  if (value < low || value > high) return null;
  // In whole numbers, as the SQL does: 3·(v − low) against the span's thirds.
  const span = high - low;
  const third = 3 * (value - low);
  return third >= 2 * span ? "yes" : third <= span ? "no" : "maybe";
}
