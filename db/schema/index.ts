export * from "./staff";
export * from "./settings";
export * from "./customers";
export * from "./metrics";
export * from "./outbox";
export * from "./surveys";
export * from "./loyalty";
export * from "./survey-stats";
