import { describe, expect, it } from "vitest";
import { openRefusal, sendRefusal, sendStep } from "~/domain/survey/status";

describe("what a survey's status allows", () => {
  it("opens only with questions", () => {
    expect(openRefusal({ questions: [] })).toBe("surveys.errors.noQuestions");
    expect(openRefusal({ questions: [{ key: "nps" }] })).toBeNull();
  });

  it("sends only while open", () => {
    expect(sendRefusal({ status: "open" })).toBeNull();
    expect(sendRefusal({ status: "draft" })).toBe("surveys.errors.notOpen");
    expect(sendRefusal({ status: "closed" })).toBe("surveys.errors.notOpen");
  });

  it("sends only on a confirmation of the number of people it reaches", () => {
    const open = { status: "open" as const };
    expect(sendStep(open, 4, null)).toEqual({ confirm: 4 });
    expect(sendStep(open, 4, 3)).toEqual({ confirm: 4 });
    expect(sendStep(open, 4, 4)).toEqual({ send: true });
  });

  it("refuses a closed or draft survey before anything else, then a selection with nobody to invite", () => {
    expect(sendStep({ status: "draft" }, 4, 4)).toEqual({ refuse: "surveys.errors.notOpen", status: 409 });
    expect(sendStep({ status: "closed" }, 0, 0)).toEqual({ refuse: "surveys.errors.notOpen", status: 409 });
    expect(sendStep({ status: "open" }, 0, 0)).toEqual({ refuse: "surveys.errors.nobodyToInvite", status: 400 });
    expect(sendStep({ status: "open" }, 0, null)).toEqual({ refuse: "surveys.errors.nobodyToInvite", status: 400 });
  });
});
