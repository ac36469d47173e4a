// Customer potential (issue 19): the math core. BG/NBD for repeat purchases and Gamma-Gamma for spend
// per purchase, fitted by maximum likelihood over distinct combinations, and the per-customer
// predictions. Pure TypeScript, no database; both fits are synchronous.
export {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodGradient,
  expectedPurchases,
  expectedPurchasesIfAlive,
  expectedPurchasesNew,
  fitBgNbd,
  pAlive,
  type BgNbdParams,
  type FrequencyCounts,
} from "./bgnbd.server";
export {
  expectedSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGradient,
  MIN_SPEND_CUSTOMERS,
  type GammaGammaParams,
  type SpendCounts,
} from "./gamma-gamma.server";
export type { FitResult } from "./optimise.server";
