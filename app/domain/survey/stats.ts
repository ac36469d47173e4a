// Survey statistics (DESIGN §3): NPS with its 95 % interval and Cronbach's alpha. SQL aggregates the
// counts, sums and sums of squares over all responses; these functions turn them into the figures shown.

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsWithInterval {
  n: number;
  /** % promoters − % detractors, −100…100; null with no answers. */
  nps: number | null;
  /** The 95 % adjusted-Wald interval, −100…100. */
  low: number | null;
  high: number | null;
  /** Fewer than 30 answers: the figure is indicative only. */
  indicative: boolean;
}

/**
 * The Net Promoter Score, defined once: % promoters − % detractors among the responses that gave the
 * 0–10 answer (npsCategory in scoring.ts sorts them: 9–10, 7–8, 0–6), −100…100; null with none.
 * SQL only counts the categories stored with each response (npsCountColumns in
 * app/models/survey-nps.server.ts, the statistics views); every figure shown comes from here.
 */
export function npsOf({ promoters, passives, detractors }: NpsCounts): number | null {
  const n = promoters + passives + detractors;
  return n === 0 ? null : (100 * (promoters - detractors)) / n;
}

/** Below this many answers an NPS is shown as indicative only. */
export const NPS_INDICATIVE_BELOW = 30;

/**
 * NPS with its 95 % adjusted-Wald interval (Rocks 2016, The American Statistician; as MeasuringU
 * recommends): add 3 to n and ¾ to promoters and to detractors, take the standard error of the
 * difference of the two adjusted proportions of the same sample, var = (p + d − (p − d)²) / n (the two
 * are negatively correlated, hence the square), and go ±1.96 SE around the adjusted NPS, clipped to
 * −100…100. The point estimate stays the plain NPS. Unlike the plain Wald interval it never collapses
 * to a point (six promoters: 26 to 100, not 100 to 100).
 */
export function npsWithInterval({ promoters, passives, detractors }: NpsCounts): NpsWithInterval {
  for (const count of [promoters, passives, detractors]) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`NPS counts must be whole numbers ≥ 0, got ${count}`);
  }
  const n = promoters + passives + detractors;
  const nps = npsOf({ promoters, passives, detractors });
  if (nps === null) return { n, nps: null, low: null, high: null, indicative: true };
  const { low, high } = adjustedWald(promoters, detractors, n);
  return { n, nps, low, high, indicative: n < NPS_INDICATIVE_BELOW };
}

function adjustedWald(promoters: number, detractors: number, n: number) {
  const nAdj = n + 3;
  const p = (promoters + 0.75) / nAdj;
  const d = (detractors + 0.75) / nAdj;
  const center = p - d;
  const halfWidth = 1.96 * Math.sqrt((p + d - center ** 2) / nAdj);
  return { low: Math.max(-100, (center - halfWidth) * 100), high: Math.min(100, (center + halfWidth) * 100) };
}

/**
 * Cronbach's alpha of complete cases (one row per respondent, one column per item):
 * α = k/(k−1) · (1 − Σ var(item) / var(total)), sample variances. Null when it is undefined: fewer than
 * two items or two respondents, or totals that do not vary.
 */
export function cronbachAlpha(rows: number[][]): number | null {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (n < 2 || k < 2) return null;
  for (const row of rows) {
    if (row.length !== k || !row.every(Number.isFinite)) throw new RangeError("cronbachAlpha needs complete rows of the same length");
  }
  const itemVariances = Array.from({ length: k }, (_, item) => sampleVariance(rows.map((row) => row[item])));
  const totals = rows.map((row) => row.reduce((sum, value) => sum + value, 0));
  const totalVariance = sampleVariance(totals);
  // Equal non-integer totals can leave rounding noise instead of a zero variance; treat it as zero.
  const largestTotal = totals.reduce((max, total) => Math.max(max, Math.abs(total)), 0);
  if (totalVariance <= largestTotal * largestTotal * 1e-12) return null;
  return (k / (k - 1)) * (1 - itemVariances.reduce((sum, v) => sum + v, 0) / totalVariance);
}

export interface AlphaMoments {
  /** Respondents with every item answered. */
  n: number;
  /** Per item: Σx and Σx² over those respondents. */
  itemSums: number[];
  itemSumSquares: number[];
  /** Σ of each respondent's total, and Σ of its square. */
  totalSum: number;
  totalSumSquares: number;
}

/** The same alpha from sums and sums of squares, which one SQL aggregate can produce for any number of rows. */
export function cronbachAlphaFromMoments({ n, itemSums, itemSumSquares, totalSum, totalSumSquares }: AlphaMoments): number | null {
  const k = itemSums.length;
  if (itemSumSquares.length !== k) throw new RangeError("itemSums and itemSumSquares must have one entry per item");
  if (n < 2 || k < 2) return null;
  // n·Σx² − (Σx)² is n(n−1) times the sample variance; the factor cancels in the ratio. With integer
  // answers it is exact, where Σx² − (Σx)²/n would already round.
  const spread = (sum: number, sumSquares: number) => n * sumSquares - sum * sum;
  const totalSpread = spread(totalSum, totalSumSquares);
  // As in cronbachAlpha: rounding noise where the true spread is zero counts as zero.
  if (totalSpread <= n * Math.abs(totalSumSquares) * 1e-12) return null;
  const itemSpread = itemSums.reduce((acc, sum, item) => acc + spread(sum, itemSumSquares[item]), 0);
  return (k / (k - 1)) * (1 - itemSpread / totalSpread);
}

/**
 * How far a construct's items hang together: below .6 they do not ("inconsistent"), .6–.7
 * questionable, ≥ .7 acceptable, ≥ .9 so high that some items may say the same thing twice ("redundant").
 */
export type AlphaReading = "inconsistent" | "questionable" | "acceptable" | "redundant";

export function alphaReading(alpha: number | null): AlphaReading | null {
  if (alpha === null || Number.isNaN(alpha)) return null;
  // A computed 0.7 may arrive as 0.69999…; the tolerance keeps it on the side the reader sees it on.
  const a = alpha + 1e-9;
  if (a >= 0.9) return "redundant";
  if (a >= 0.7) return "acceptable";
  if (a >= 0.6) return "questionable";
  return "inconsistent";
}

function sampleVariance(values: number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
}
