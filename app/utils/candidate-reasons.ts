// A candidate's reasons in words, in the reader's language ("promoter (10), score 86, Loyal · active,
// tenure 3.2 years, said yes to sharing"). Pure: the page, the CSV download and the CLI export word the
// domain's reasons (CandidateReason, data) the same way, each with its own translator.
import type { CpmSegment } from "~/domain/cpm";
import { tenureYears, verdict, type CandidateInput, type CandidateList, type CandidateReason, type CandidateSettings, type Interest } from "~/domain/loyalty";
import type { NpsCategory } from "~/domain/survey/types";

/** What a translator needs to be here: i18next's t, or any function of a key and values. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** A figure as the reasons show it: at most one decimal, no trailing ".0". */
function figure(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function describeReason(reason: CandidateReason, t: Translate): string {
  switch (reason.kind) {
    case "promoter":
      return t("candidates.reasonWords.promoter", { nps: figure(reason.nps) });
    case "score":
      return t("candidates.reasonWords.score", { score: figure(reason.score) });
    case "segment":
      return t(`cpm.segments.${reason.segment}`);
    case "tenure":
      return t("candidates.reasonWords.tenure", { years: figure(reason.years) });
    case "interest":
      return t(`candidates.reasonWords.interest.${reason.list}.${reason.answer ?? "none"}`);
    case "text":
      return t("candidates.reasonWords.text", { chars: figure(reason.chars) });
  }
}

/** The reasons in order, joined in the language's way. */
export function describeReasons(reasons: readonly CandidateReason[], t: Translate): string {
  return reasons.map((r) => describeReason(r, t)).join(t("candidates.reasonWords.separator"));
}

/** The figures of a candidate row (loyalty.server's rows) the rules read. */
export interface CandidateFigures {
  cpm_segment: CpmSegment | null;
  purchase_count: number;
  tenure_days: number | null;
  rfm_r: number | null;
  rfm_f: number | null;
  rfm_m: number | null;
  psych_score: number | null;
  nps_score: number | null;
  nps_category: NpsCategory | null;
  ambassador_interest: Interest | null;
  cocreation_interest: Interest | null;
  text_chars: number;
}

/**
 * The reasons of a row, as the domain gives them. A row of a ranked list is a candidate; a shortlisted or
 * excluded one may not be (any more): it gets the same kinds of reasons, those its figures have.
 */
export function reasonsOfRow(list: CandidateList, row: CandidateFigures, settings: CandidateSettings): CandidateReason[] {
  const input: CandidateInput = {
    segment: row.cpm_segment,
    purchaseCount: row.purchase_count,
    tenureDays: row.tenure_days,
    rfmR: row.rfm_r,
    rfmF: row.rfm_f,
    rfmM: row.rfm_m,
    psychScore: row.psych_score === null ? null : Number(row.psych_score),
    npsScore: row.nps_score,
    npsCategory: row.nps_category,
    ambassadorInterest: row.ambassador_interest,
    cocreationInterest: row.cocreation_interest,
    textChars: row.text_chars,
    // Whom an exclusion keeps out is the list's business, not the reasons'.
    contactable: true,
    member: false,
    dismissed: false,
  };
  const v = verdict(list, input, settings);
  if (v.status === "candidate") return v.reasons;
  const reasons: CandidateReason[] = [];
  if (list === "ambassador" && row.nps_category === "promoter" && row.nps_score !== null) reasons.push({ kind: "promoter", nps: row.nps_score });
  if (input.psychScore !== null) reasons.push({ kind: "score", score: input.psychScore });
  if (row.cpm_segment) reasons.push({ kind: "segment", segment: row.cpm_segment });
  reasons.push({ kind: "tenure", years: tenureYears(row.tenure_days) });
  reasons.push({ kind: "interest", list, answer: list === "ambassador" ? row.ambassador_interest : row.cocreation_interest });
  if (list === "cocreation" && row.text_chars > 0) reasons.push({ kind: "text", chars: row.text_chars });
  return reasons;
}
