// English strings of the loyalty matrix (/staff/loyalty) and its settings. Keys mirror loyalty.ja.ts.
export const loyaltyEn = {
  title: "Loyalty matrix",
};
