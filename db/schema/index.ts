export * from "./staff";
export * from "./settings";
export * from "./customers";
