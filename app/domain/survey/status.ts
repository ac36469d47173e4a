// What a survey's status allows, in one place: a survey opens only with questions (nobody could
// answer an empty one), and invitations go out only while it is open (a personal link to a draft or a
// closed survey could not be answered) and only after the user confirmed how many people they reach.

export type SurveyStatus = "draft" | "open" | "closed";

/** Why a survey may not open, or null when it may. */
export function openRefusal(survey: { questions: readonly unknown[] }): "surveys.errors.noQuestions" | null {
  return survey.questions.length === 0 ? "surveys.errors.noQuestions" : null;
}

/** Why invitations may not go out for a survey, or null when they may. */
export function sendRefusal(survey: { status: SurveyStatus }): "surveys.errors.notOpen" | null {
  return survey.status === "open" ? null : "surveys.errors.notOpen";
}

export type SendStep =
  /** 409: the survey is not open. */
  | { refuse: "surveys.errors.notOpen"; status: 409 }
  /** 400: nobody of the selection can be invited (no e-mail, no consent, already invited). */
  | { refuse: "surveys.errors.nobodyToInvite"; status: 400 }
  /** Ask the user to confirm this number of recipients (none confirmed yet, or a number since changed). */
  | { confirm: number }
  | { send: true };

/**
 * What a send request may do: emails go out only on a request that confirms the number of eligible
 * recipients stated to the user; when that number has changed since (new consents, another send), the
 * user is asked again.
 */
export function sendStep(survey: { status: SurveyStatus }, eligible: number, confirmed: number | null): SendStep {
  const refused = sendRefusal(survey);
  if (refused) return { refuse: refused, status: 409 };
  if (eligible === 0) return { refuse: "surveys.errors.nobodyToInvite", status: 400 };
  if (confirmed !== eligible) return { confirm: eligible };
  return { send: true };
}
