// The ready-made loyalty survey staff start from (every construct of DESIGN §3, two items where a pair
// makes the construct more reliable), and the checks the builder runs on any list of questions.
import { likertPoints, type ChoiceOption, type Construct, type Localized, type Question } from "./types";

export interface SurveyTemplate {
  title: Localized;
  intro: Localized;
  thanks: Localized;
  questions: Question[];
}

const agreeAnchors = {
  low: { ja: "まったくそう思わない", en: "Strongly disagree" },
  high: { ja: "とてもそう思う", en: "Strongly agree" },
};

function likert(key: string, construct: Construct, label: Localized, reverse = false): Question {
  return { key, type: "likert", label, required: true, points: 5, reverse, construct, anchors: agreeAnchors };
}

function single(key: string, construct: Construct, label: Localized, help: Localized, options: ChoiceOption[]): Question {
  return { key, type: "single", label, help, required: true, construct, options };
}

const willingness: ChoiceOption[] = [
  { value: "yes", label: { ja: "はい、ぜひ", en: "Yes, gladly" } },
  { value: "maybe", label: { ja: "内容によっては", en: "Maybe, depending on what it involves" } },
  { value: "no", label: { ja: "いいえ", en: "No" } },
];

// Asked before anyone is invited, so the customer is told that answering commits them to nothing.
const noCommitment: Localized = {
  ja: "お答えいただいても、お申し込みにはなりません。",
  en: "Answering does not sign you up for anything.",
};

export function loyaltyTemplate(): SurveyTemplate {
  return {
    title: { ja: "当ブランドについてのアンケート", en: "Tell us what you think of our brand" },
    intro: {
      ja: "いつも当ブランドをご愛顧いただき、ありがとうございます。より良い商品とサービスをお届けするため、率直なご意見をお聞かせください。所要時間は3分ほどです。",
      en: "Thank you for choosing our brand. Please tell us honestly what you think, so that we can offer you better products and services. It takes about three minutes.",
    },
    thanks: {
      ja: "ご回答いただき、ありがとうございました。いただいたご意見は、今後の商品・サービスづくりに活かしてまいります。",
      en: "Thank you for your answers. We will use your feedback to make our products and services better.",
    },
    questions: [
      likert("attach1", "attachment", { ja: "当ブランドが好きです。", en: "I like this brand." }),
      likert("attach2", "attachment", { ja: "当ブランドに愛着を感じています。", en: "I feel attached to this brand." }),
      likert("pref1", "preference", {
        ja: "同じような商品なら、ほかのブランドより当ブランドを選びます。",
        en: "Given similar products, I choose this brand over others.",
      }),
      likert(
        "pref2",
        "preference",
        {
          ja: "ほかのブランドのほうが安ければ、すぐに乗り換えると思います。",
          en: "I would easily switch to another brand if it were cheaper.",
        },
        true,
      ),
      likert("cont1", "continuity", {
        ja: "これからも当ブランドの商品を買い続けたいと思います。",
        en: "I will keep buying from this brand.",
      }),
      likert("cont2", "continuity", {
        ja: "次に同じ種類の商品を買うときも、当ブランドを選ぶつもりです。",
        en: "The next time I buy this kind of product, I intend to choose this brand again.",
      }),
      likert("trust1", "trust", { ja: "当ブランドは信頼できると思います。", en: "I trust this brand." }),
      likert("trust2", "trust", {
        ja: "当ブランドは、お客様との約束をきちんと守ってくれると感じます。",
        en: "This brand keeps its promises to its customers.",
      }),
      {
        key: "nps",
        type: "nps",
        label: {
          ja: "当ブランドを友人や知人にすすめる可能性は、どのくらいありますか。",
          en: "How likely are you to recommend our brand to a friend or colleague?",
        },
        required: true,
        construct: "recommend",
        anchors: {
          low: { ja: "まったくすすめない", en: "Not at all likely" },
          high: { ja: "ぜひすすめたい", en: "Extremely likely" },
        },
      },
      single(
        "wallet",
        "share_of_wallet",
        {
          ja: "この種類の商品に使うお金のうち、当ブランドに使っている割合はどのくらいですか。",
          en: "Of what you spend on this kind of product, how much goes to our brand?",
        },
        { ja: "おおよその割合でかまいません。", en: "A rough estimate is fine." },
        [
          { value: "almost_all", label: { ja: "ほぼすべて", en: "Almost all" } },
          { value: "more_than_half", label: { ja: "半分より多い", en: "More than half" } },
          { value: "about_half", label: { ja: "半分くらい", en: "About half" } },
          { value: "less_than_half", label: { ja: "半分より少ない", en: "Less than half" } },
          { value: "hardly_any", label: { ja: "ほとんどない", en: "Hardly any" } },
        ],
      ),
      single(
        "ambassador",
        "ambassador_interest",
        {
          ja: "当ブランドを使った感想や体験を、ほかの方に伝えるお手伝いをしていただけますか。",
          en: "Would you like to share your experience of our brand with other people on our behalf?",
        },
        noCommitment,
        willingness,
      ),
      single(
        "cocreation",
        "cocreation_interest",
        {
          ja: "新しい商品やサービスづくりに参加してみたいと思いますか（試作品へのご意見、意見交換会への参加など）。",
          en: "Would you like to help us create new products and services (for example by trying prototypes or joining a discussion meeting)?",
        },
        noCommitment,
        willingness,
      ),
      {
        key: "comment",
        type: "long_text",
        label: {
          ja: "当ブランドのいちばん好きなところ、または改善してほしいところを、ご自由にお書きください。",
          en: "What do you like most about our brand, and what should we improve? Please write freely.",
        },
        required: false,
      },
    ],
  };
}

export const questionKeyPattern = /^[a-z][a-z0-9_]{0,31}$/;

const builderErrors = {
  duplicateKey: "survey.builder.errors.duplicateKey",
  badKey: "survey.builder.errors.badKey",
  labelRequired: "survey.builder.errors.labelRequired",
  badPoints: "survey.builder.errors.badPoints",
  needsOptions: "survey.builder.errors.needsOptions",
  optionValueRequired: "survey.builder.errors.optionValueRequired",
  duplicateOption: "survey.builder.errors.duplicateOption",
  reverseNotLikert: "survey.builder.errors.reverseNotLikert",
} as const;
export type QuestionErrorKey = (typeof builderErrors)[keyof typeof builderErrors];
export const questionErrorKeys: readonly QuestionErrorKey[] = Object.values(builderErrors);

export interface QuestionProblem {
  /** Position of the question in the list. */
  index: number;
  /** The builder field at fault: `key`, `label`, `points`, `options`, `options.2.value`, `reverse`. */
  field: string;
  message: QuestionErrorKey;
}

/** Everything wrong with a survey's questions, in order; an empty list means it can be saved. */
export function validateQuestions(questions: Question[]): QuestionProblem[] {
  const problems: QuestionProblem[] = [];
  const seenKeys = new Set<string>();
  questions.forEach((question, index) => {
    const problem = (field: string, message: QuestionErrorKey) => problems.push({ index, field, message });

    if (!questionKeyPattern.test(question.key)) problem("key", builderErrors.badKey);
    else if (seenKeys.has(question.key)) problem("key", builderErrors.duplicateKey);
    seenKeys.add(question.key);

    if (!question.label?.ja?.trim()) problem("label", builderErrors.labelRequired);

    if (question.type === "likert" && !likertPoints.some((points) => points === question.points)) {
      problem("points", builderErrors.badPoints);
    }
    // Rating without points means the default five stars.
    if (question.type === "rating" && question.points != null && !(Number.isInteger(question.points) && question.points >= 3 && question.points <= 10)) {
      problem("points", builderErrors.badPoints);
    }

    if (question.type === "single" || question.type === "multiple") {
      const options = question.options ?? [];
      if (options.length < 2) problem("options", builderErrors.needsOptions);
      const seenValues = new Set<string>();
      options.forEach((option, optionIndex) => {
        const value = option.value.trim();
        if (value === "") problem(`options.${optionIndex}.value`, builderErrors.optionValueRequired);
        else if (seenValues.has(value)) problem(`options.${optionIndex}.value`, builderErrors.duplicateOption);
        seenValues.add(value);
        if (!option.label?.ja?.trim()) problem(`options.${optionIndex}.label`, builderErrors.labelRequired);
      });
    }

    if (question.reverse && question.type !== "likert") problem("reverse", builderErrors.reverseNotLikert);
  });
  return problems;
}
