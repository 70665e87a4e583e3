import { describe, expect, it } from "vitest";
import { countdown } from "./Tickets";

describe("countdown", () => {
  it("reads working time left as an agent would", () => {
    expect(countdown({ remainingMinutes: 125, breached: false })).toBe("2 h 5 min left");
    expect(countdown({ remainingMinutes: 7, breached: false })).toBe("7 min left");
    expect(countdown({ remainingMinutes: 0, breached: true })).toBe("missed");
    expect(countdown(null)).toBe("");
  });
});
