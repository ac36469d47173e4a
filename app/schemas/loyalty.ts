// Settings › Loyalty matrix and candidates: the form's flat fields (one checkbox per CPM segment, one
// number per weight) and the LoyaltySettings they make. The browser and the action check with this
// same schema; the rules are the domain's checkCandidateSettings (a score within 0–100, no negative
// weight, some weight per list, some segment as high behaviour).
import { z } from "zod";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { candidateTieBreakers, checkCandidateSettings, type LoyaltySettings } from "~/domain/loyalty";

const score = z.coerce.number({ invalid_type_error: "loyalty.errors.scoreRange" }).int("loyalty.errors.scoreRange").min(0, "loyalty.errors.scoreRange").max(100, "loyalty.errors.scoreRange");
const weight = z.coerce.number({ invalid_type_error: "loyalty.errors.negativeWeight" }).min(0, "loyalty.errors.negativeWeight").max(100, "loyalty.errors.weightMax");
const positive = z.coerce.number({ invalid_type_error: "loyalty.errors.positive" }).gt(0, "loyalty.errors.positive").max(10_000, "loyalty.errors.positive");
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const ambassadorWeightFields = ["psych", "nps", "behaviour", "tenure", "interest"] as const;
export const cocreationWeightFields = ["psych", "interest", "tenure", "text"] as const;

const shape = {
  psychBorder: score,
  minScore: score,
  tenureYears: positive,
  textChars: positive,
  tieBreaker: z.enum(candidateTieBreakers).default("none").catch("none"),
  ...Object.fromEntries(cpmSegments.map((s) => [`high_${s}`, checkbox])),
  ...Object.fromEntries(ambassadorWeightFields.map((k) => [`a_${k}`, weight])),
  ...Object.fromEntries(cocreationWeightFields.map((k) => [`c_${k}`, weight])),
} as Record<string, z.ZodTypeAny>;

export type LoyaltySettingsFields = Record<string, string | number | boolean>;

/** The settings as the form's flat fields (its default values). */
export function loyaltyFields(s: LoyaltySettings): LoyaltySettingsFields {
  return {
    psychBorder: s.borders.psychBorder,
    minScore: s.candidates.minScore,
    tenureYears: s.candidates.tenureYears,
    textChars: s.candidates.textChars,
    tieBreaker: s.candidates.tieBreaker ?? "none",
    ...Object.fromEntries(cpmSegments.map((seg) => [`high_${seg}`, s.borders.highSegments.includes(seg)])),
    ...Object.fromEntries(ambassadorWeightFields.map((k) => [`a_${k}`, s.candidates.ambassador[k]])),
    ...Object.fromEntries(cocreationWeightFields.map((k) => [`c_${k}`, s.candidates.cocreation[k]])),
  };
}

function toSettings(v: Record<string, unknown>): LoyaltySettings {
  const n = (k: string) => v[k] as number;
  return {
    borders: { highSegments: cpmSegments.filter((seg) => v[`high_${seg}`] === true) as CpmSegment[], psychBorder: n("psychBorder") },
    candidates: {
      minScore: n("minScore"),
      tenureYears: n("tenureYears"),
      textChars: n("textChars"),
      tieBreaker: v.tieBreaker as LoyaltySettings["candidates"]["tieBreaker"],
      ambassador: { psych: n("a_psych"), nps: n("a_nps"), behaviour: n("a_behaviour"), tenure: n("a_tenure"), interest: n("a_interest") },
      cocreation: { psych: n("c_psych"), interest: n("c_interest"), tenure: n("c_tenure"), text: n("c_text") },
    },
  };
}

// The domain's problems, placed on a field of the form.
const problemField: Record<string, string> = {
  highSegments: `high_${cpmSegments[0]}`,
  ambassador: "a_psych",
  cocreation: "c_psych",
};
const problemMessage: Record<string, string> = {
  score_range: "loyalty.errors.scoreRange",
  negative_weight: "loyalty.errors.negativeWeight",
  no_weight: "loyalty.errors.noWeight",
  none_selected: "loyalty.errors.noHighSegment",
  positive: "loyalty.errors.positive",
};

export const loyaltySettingsSchema = z
  .object(shape)
  .superRefine((v, ctx) => {
    for (const p of checkCandidateSettings(toSettings(v).candidates, toSettings(v).borders)) {
      const field = problemField[p.field] ?? p.field.replace(/^ambassador\./, "a_").replace(/^cocreation\./, "c_");
      ctx.addIssue({ code: "custom", path: [field], message: problemMessage[p.problem] ?? p.problem });
    }
  })
  .transform(toSettings);
