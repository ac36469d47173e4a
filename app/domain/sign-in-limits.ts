// How staff sign-in is limited (OWASP's authentication and credential-stuffing guidance): hard limits
// per address and per (address, account), so one source cannot go on guessing; per account across
// addresses only a growing delay, never a refusal, so nobody can lock a colleague out by failing on
// purpose. Counts are of attempts not known to have succeeded (failed or still being checked), over a
// fixed window that starts at the first of them.

export const SIGN_IN_WINDOW_MINUTES = 15;
/** Attempts one address may have checked for one account in the window. */
export const MAX_PER_PAIR = 5;
/** Attempts one address may have checked across all accounts in the window (an office shares one). */
export const MAX_PER_ADDRESS = 20;
/** Failed or pending attempts on one account, from anywhere, before its sign-ins start to slow down. */
export const ACCOUNT_FREE_ATTEMPTS = 3;
export const ACCOUNT_FIRST_DELAY_MS = 500;
export const ACCOUNT_MAX_DELAY_MS = 30_000;

export type AttemptCounts = { address: number; pair: number };

/** Whether an attempt, already counted (so its counts include itself), may have its password checked. */
export function attemptAllowed(counts: AttemptCounts): boolean {
  return counts.address <= MAX_PER_ADDRESS && counts.pair <= MAX_PER_PAIR;
}

/**
 * The wait before checking a password, given how many other attempts on the account failed or are
 * still being checked in the window: none up to ACCOUNT_FREE_ATTEMPTS, then 0.5 s doubling with each
 * further one, at most 30 s.
 */
export function accountDelayMs(otherAttempts: number): number {
  if (otherAttempts < ACCOUNT_FREE_ATTEMPTS) return 0;
  const doublings = otherAttempts - ACCOUNT_FREE_ATTEMPTS;
  return doublings >= 16 ? ACCOUNT_MAX_DELAY_MS : Math.min(ACCOUNT_MAX_DELAY_MS, ACCOUNT_FIRST_DELAY_MS * 2 ** doublings);
}
