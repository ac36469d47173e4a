// A loyalty questionnaire's shape (DESIGN §3), shared by the builder, the answer page, scoring and
// imports. Pure types and constants: no database, no React.
//
// Glossary: 構成概念 construct (what a group of items measures), 逆転項目 reverse-scored item,
// 推奨者 promoter, 中立者 passive, 批判者 detractor.

export type SurveyLocale = "ja" | "en";
/** Text in both languages; the builder requires Japanese and fills English from it when left empty. */
export type Localized = Record<SurveyLocale, string>;

export const questionTypes = ["nps", "likert", "rating", "single", "multiple", "short_text", "long_text"] as const;
export type QuestionType = (typeof questionTypes)[number];

/** The five constructs that make the psychological loyalty score; the other three are asked, not scored. */
export const scoredConstructs = ["attachment", "preference", "continuity", "trust", "recommend"] as const;
export const constructs = [...scoredConstructs, "share_of_wallet", "ambassador_interest", "cocreation_interest"] as const;
export type Construct = (typeof constructs)[number];
export type ScoredConstruct = (typeof scoredConstructs)[number];

export const likertPoints = [5, 6, 7] as const;
export const TEXT_LIMITS = { short_text: 200, long_text: 2000 } as const;

export interface ChoiceOption {
  /** Stable value stored in answers and exports, e.g. `yes`, `weekly`. */
  value: string;
  label: Localized;
}

export interface Question {
  /** Short stable key used in answers, exports and imports, e.g. `nps`, `attach1`. */
  key: string;
  type: QuestionType;
  label: Localized;
  /** Optional help under the label. */
  help?: Localized | null;
  required: boolean;
  /** Likert: 5, 6 or 7 points; rating: number of stars (5). Ignored for other types. */
  points?: number | null;
  /** Likert only: agreement lowers the construct (e.g. "I often think of switching brands"). */
  reverse?: boolean;
  /** Scale items (nps, likert, rating) may measure a construct. Choice items may carry one too (e.g. ambassador_interest). */
  construct?: Construct | null;
  /** Likert: the end labels ("strongly disagree" … "strongly agree"). */
  anchors?: { low: Localized; high: Localized } | null;
  /** single / multiple: the options offered. */
  options?: ChoiceOption[];
}

/**
 * An answer per question key: nps/likert/rating → integer; single → option value; multiple → option
 * values; text → string. A question left unanswered is absent.
 */
export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue>;

export type ConstructWeights = Record<ScoredConstruct, number>;
export const defaultConstructWeights: ConstructWeights = {
  attachment: 1,
  preference: 1,
  continuity: 1,
  trust: 1,
  recommend: 1,
};

export type NpsCategory = "promoter" | "passive" | "detractor";
