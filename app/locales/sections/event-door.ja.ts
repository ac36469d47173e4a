// Japanese strings of the event door (check-in), report and export pages (/staff/events/<id>/…). Keys mirror event-door.en.ts.
export const eventDoorJa = {
  checkInTitle: "受付",
};
