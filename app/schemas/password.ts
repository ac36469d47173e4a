// New staff passwords: at least 12 characters and not guessable, as judged by zxcvbn-ts (a maintained
// TypeScript port of Dropbox's zxcvbn) with its common-password, diceware and English dictionaries
// and keyboard patterns. Used by the same zod schema in the browser and in the action; the estimator
// and its dictionaries (a few MB) are loaded on the first check only, so pages that never check a new
// password never download them.
import { z } from "zod";
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from an offline slow-hash scenario". */
export const MIN_PASSWORD_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-en"),
  ]).then(
    // No translations: the feedback comes back as keys (e.g. "similarToCommon"), which our own
    // locale files translate under password.warnings / password.suggestions, in English and Japanese.
    ([core, common, en]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
      }),
    (error: unknown) => {
      estimator = undefined;
      throw error;
    },
  );
  return estimator;
}

/**
 * Why a new password will not do, as i18n keys one per line (the reason first, then the estimator's
 * suggestions), or null when it will. `userInputs` (the person's name, email) count as guessable.
 */
export async function passwordProblem(password: string, userInputs: string[] = []): Promise<string | null> {
  if (password.length < MIN_PASSWORD_LENGTH) return "errors.passwordLength";
  const result = (await loadEstimator()).check(password, userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const { warning, suggestions } = result.feedback;
  return [warning ? `password.warnings.${warning}` : "password.weak", ...suggestions.map((s) => `password.suggestions.${s}`)].join("\n");
}

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, "errors.passwordLength")
  .max(MAX_PASSWORD_LENGTH, "errors.tooLong")
  .superRefine(async (password, ctx) => {
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) return;
    let problem: string | null;
    try {
      problem = await passwordProblem(password);
    } catch (error) {
      // In the browser, an estimator that failed to download must not block the form: the action
      // checks again on the server, where it cannot fail this way.
      if (typeof document !== "undefined") return;
      throw error;
    }
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
