// English strings of the event door (check-in), report and export pages (/staff/events/<id>/…). Keys mirror event-door.ja.ts.
export const eventDoorEn = {
  checkInTitle: "Check-in",
};
