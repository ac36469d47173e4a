// Demo answers to the loyalty template that correlate plausibly with behaviour: a latent liking per
// customer, higher for loyal and steady buyers and lower for lapsed ones, with real spread; some
// "quiet fans" (high liking, low willingness to recommend) and some loyal buyers who are detractors.
// Deterministic for a seed.
import type { CpmSegment } from "../../app/domain/cpm";
import type { Answers } from "../../app/domain/survey/types";

const baseLiking: Record<string, number> = {
  loyal: 0.74,
  steady: 0.62,
  trendy: 0.55,
  toddler: 0.48,
  first: 0.4,
};

const comments = [
  "いつも丁寧な接客で気持ちよく買い物ができます。",
  "新商品の情報をもっと早く知りたいです。",
  "店舗が近くにあればもっと利用したいです。",
  "品質が安定していて安心して選べます。",
  "価格が少し高いと感じることがあります。",
  "アプリのポイントが使いやすくなると嬉しいです。",
  "季節限定の商品が楽しみです。",
  "友人にも紹介しましたが、自分だけの楽しみにしておきたい気持ちもあります。",
  "The staff always remember me, which I appreciate.",
  "I would love a loyalty event in my city.",
];

function gaussian(rng: () => number) {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function demoAnswers(segment: CpmSegment | null, rng: () => number): Answers {
  const [kind = "first", state = "active"] = (segment ?? "first_lapsed").split("_");
  const liking = clamp01((baseLiking[kind] ?? 0.4) - (state === "lapsed" ? 0.14 : 0) + gaussian(rng) * 0.17);
  const likert = (shift = 0) => Math.round(1 + 4 * clamp01(liking + 0.08 + shift + gaussian(rng) * 0.2));
  let nps = Math.round(10 * clamp01(liking + 0.2 + gaussian(rng) * 0.15));
  // Quiet fans: they like the brand but keep it to themselves.
  if (liking > 0.7 && rng() < 0.15) nps = Math.max(3, nps - 4 - Math.floor(rng() * 2));
  const willing = (threshold: number) => (liking > threshold && rng() < 0.7 ? "yes" : liking > threshold - 0.2 && rng() < 0.6 ? "maybe" : "no");
  const walletIndex = Math.min(4, Math.max(0, Math.round((1 - liking) * 4 + gaussian(rng) * 0.7)));
  const answers: Answers = {
    attach1: likert(),
    attach2: likert(-0.03),
    pref1: likert(-0.05),
    pref2: 6 - likert(-0.08), // reverse-scored: agreement means switching
    cont1: likert(0.03),
    cont2: likert(),
    trust1: likert(0.05),
    trust2: likert(0.02),
    nps,
    wallet: ["almost_all", "more_than_half", "about_half", "less_than_half", "hardly_any"][walletIndex]!,
    ambassador: willing(0.72),
    cocreation: willing(0.62),
  };
  if (rng() < 0.3) answers.comment = comments[Math.floor(rng() * comments.length)]!;
  return answers;
}
