// English strings of customer potential (issue 19) on the customer list, the customer page, the CPM
// matrix and the candidate settings. Keys mirror potential.ja.ts.
export const potentialEn = {
  alive: "Still active",
  expectedPurchases: "Purchase days, next 90 days",
  expectedValue: "Value, next 90 days",
  minAlive: "Still active from (%)",
  maxAlive: "to (%)",
  minValue: "Value from",
  card: "Customer potential",
  asOf: "BG/NBD and Gamma-Gamma as of {{date}}",
  sentence:
    "{{name}} bought on {{days}} different days, the first {{T}} days ago and the last {{lapse}} days ago. The model gives a {{alive}} chance that they are still an active customer, and expects {{purchases}} purchase days worth about {{value}} in the next 90 days.",
  sentenceNoValue:
    "{{name}} bought on {{days}} different days, the first {{T}} days ago and the last {{lapse}} days ago. The model gives a {{alive}} chance that they are still an active customer, and expects {{purchases}} purchase days in the next 90 days.",
  bands: {
    likely: "Very likely still active: keep in touch as usual.",
    uncertain: "May be drifting away: a reason to come back may help.",
    unlikely: "Probably gone: call only if their past makes them worth it.",
  },
  noFit: "No model yet: the figures appear after the next behaviour refresh.",
  noPurchase: "No purchase yet: the model needs at least one purchase day.",
  explain: "How this is worked out",
  matrixValue: "Expected 90-day value {{value}}",
  followUpTitle: "Lapsed loyal customers to call first",
  followUpBody: "Ordered by the chance they are still active: the ones still worth a call come first.",
  reasons: {
    malformed: "The purchase data could not be read as the model needs them.",
    no_customers: "There are no customers with a purchase to fit the model to.",
    no_repeat: "No customer has bought on a second day yet, so repeat buying cannot be estimated.",
    too_few_spend: "Too few customers with spend on repeat purchase days: {{customers}} (at least {{needed}} needed).",
    max_iterations: "The fit was still moving after {{iterations}} steps.",
    no_fit: "No parameters describe these purchases well (one of them ran off to zero or infinity).",
    not_finite: "The fit produced values that are not numbers.",
    infinite_mean_spend: "The spend model's q came out at {{q}}, not above 1: the mean spend would be infinite (a few very large amounts?).",
  },
  tieBreaker: "Ties between equal scores",
  tieBreakers: { none: "Customer number", expected_value: "Higher expected 90-day value first" },

};
