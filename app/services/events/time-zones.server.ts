// The time zones the event form offers: every IANA zone this runtime knows, computed on the server so
// the browser renders the same list it was sent (no hydration difference between ICU versions).
let zones: string[] | null = null;

export function timeZones(current?: string): string[] {
  zones ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["Asia/Tokyo", "UTC"];
  if (!zones.includes("UTC")) zones = ["UTC", ...zones];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}
