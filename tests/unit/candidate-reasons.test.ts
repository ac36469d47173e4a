// A candidate's reasons in words (issue 16 item 3): the domain's reasons (data) worded in English and
// Japanese through the real locale files, in the order the rules give them.
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { defaultCandidateSettings, type CandidateReason } from "~/domain/loyalty";
import { i18nOptions, type Locale } from "~/i18n";
import en from "~/locales/en";
import { describeReasons, reasonsOfRow, type CandidateFigures, type Translate } from "~/utils/candidate-reasons";

async function translator(locale: Locale): Promise<Translate> {
  const instance = i18next.createInstance();
  await instance.init(i18nOptions(locale));
  return instance.getFixedT(locale) as unknown as Translate;
}

const fan: CandidateFigures = {
  cpm_segment: "loyal_active",
  purchase_count: 12,
  tenure_days: 1170,
  rfm_r: 5,
  rfm_f: 5,
  rfm_m: 4,
  psych_score: 86,
  nps_score: 10,
  nps_category: "promoter",
  ambassador_interest: "yes",
  cocreation_interest: null,
  text_chars: 0,
};

describe("candidate reasons in words", () => {
  it("words an ambassador's reasons as the issue shows them, in English and Japanese", async () => {
    const reasons = reasonsOfRow("ambassador", fan, defaultCandidateSettings);
    expect(describeReasons(reasons, await translator("en"))).toBe("promoter (10), score 86, Loyal · active, tenure 3.2 years, said yes to sharing");
    expect(describeReasons(reasons, await translator("ja"))).toBe("推奨者(10)、スコア 86、優良・現役、継続 3.2 年、紹介に「はい」");
  });

  it("words every kind and answer, one decimal at most, and nothing for no reasons", async () => {
    const t = await translator("en");
    const reasons: CandidateReason[] = [
      { kind: "score", score: 72.25 },
      { kind: "interest", list: "cocreation", answer: null },
      { kind: "interest", list: "cocreation", answer: "maybe" },
      { kind: "segment", segment: "first_lapsed" },
      { kind: "tenure", years: 0 },
      { kind: "text", chars: 340 },
    ];
    expect(describeReasons(reasons, t)).toBe(
      "score 72.3, not asked about co-creation, said maybe to co-creation, First-time · lapsed, tenure 0 years, 340 characters of comments",
    );
    expect(describeReasons([], t)).toBe("");
    // No key is left untranslated, in either language, for any answer of either list.
    for (const locale of ["en", "ja"] as const) {
      const tl = await translator(locale);
      for (const list of ["ambassador", "cocreation"] as const) {
        for (const answer of ["yes", "maybe", "no", null] as const) {
          expect(describeReasons([{ kind: "interest", list, answer }], tl)).not.toMatch(/candidates\./);
        }
      }
    }
    expect(Object.keys(en.candidates.reasonWords.interest.ambassador)).toEqual(["yes", "maybe", "no", "none"]);
  });

  it("gives a co-creation candidate the domain's reasons, and a row that no longer qualifies the reasons its figures have", async () => {
    const t = await translator("en");
    const partner = { ...fan, cocreation_interest: "yes" as const, text_chars: 120 };
    expect(describeReasons(reasonsOfRow("cocreation", partner, defaultCandidateSettings), t)).toBe(
      "score 86, said yes to co-creation, Loyal · active, tenure 3.2 years, 120 characters of comments",
    );
    // A detractor now (shortlisted before): no "promoter", the rest as it stands.
    const detractor = { ...fan, nps_score: 3, nps_category: "detractor" as const };
    expect(describeReasons(reasonsOfRow("ambassador", detractor, defaultCandidateSettings), t)).toBe("score 86, Loyal · active, tenure 3.2 years, said yes to sharing");
  });
});
