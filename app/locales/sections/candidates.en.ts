// English strings of the candidate lists (/staff/candidates). Keys mirror candidates.ja.ts.
export const candidatesEn = {
  title: "Candidates",
};
