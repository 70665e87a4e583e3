import { describe, expect, it } from "vitest";
import { countdown, days, isoDate } from "./format";

describe("countdown", () => {
  it("reads working time left as an agent would", () => {
    expect(countdown({ remainingMinutes: 125, breached: false })).toBe("2 h 5 min left");
    expect(countdown({ remainingMinutes: 7, breached: false })).toBe("7 min left");
    expect(countdown({ remainingMinutes: 0, breached: true })).toBe("missed");
    expect(countdown(null)).toBe("");
  });
});

describe("days", () => {
  it("counts whole days between two times, or up to now", () => {
    expect(days("2026-03-01T10:00:00Z", "2026-03-04T09:59:00Z")).toBe(2);
    expect(days("2026-03-01T10:00:00Z", "2026-03-04T10:00:00Z")).toBe(3);
    expect(days("2026-03-01T00:00:00Z", null, new Date("2026-03-11T12:00:00Z"))).toBe(10);
  });
});

describe("isoDate", () => {
  it("is the UTC calendar day the Date scalar takes", () => {
    expect(isoDate(new Date(Date.UTC(2026, 11, 31, 23, 30)))).toBe("2026-12-31");
  });
});
