import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BarChart, axis, layout } from "./charts";
import { byPeriod } from "../pages/Forecast";

describe("axis", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect(axis(730)).toEqual({ top: 1000, ticks: [0, 500, 1000] });
    expect(axis(1500)).toEqual({ top: 2000, ticks: [0, 1000, 2000] });
    expect(axis(42)).toEqual({ top: 50, ticks: [0, 25, 50] });
    expect(axis(5)).toEqual({ top: 5, ticks: [0, 2.5, 5] });
    expect(axis(0).top).toBe(1);  // an empty chart still has an axis
  });
});

describe("layout", () => {
  it("puts each category's bars side by side and scales them to the axis", () => {
    const bars = layout(2, [{ name: "a", values: [50, 100] }, { name: "b", values: [0, -5] }], 200, 100, 100);
    expect(bars).toHaveLength(4);
    const [a0, a1, b0, b1] = bars;
    expect(a0).toMatchObject({ x: 10, y: 50, height: 50, width: 40 });
    expect(a1).toMatchObject({ x: 110, y: 0, height: 100 });
    expect(b0).toMatchObject({ x: 50, height: 0 });
    expect(b1.height).toBe(0);  // a negative amount draws no bar below the axis
  });
});

describe("BarChart", () => {
  it("keeps every number in a table, not only in the bars", () => {
    render(<BarChart title="Revenue" labels={["2026-01", "2026-02"]} format={(n) => `${n} EUR`}
                     series={[{ name: "Won", values: [10, 20] }, { name: "Weighted", values: [5, 7] }]} />);
    expect(screen.getByText("Revenue")).toBeTruthy();
    expect(screen.getByRole("cell", { name: "20 EUR" })).toBeTruthy();
    expect(screen.getByRole("columnheader", { name: "Weighted" })).toBeTruthy();
  });
});

describe("byPeriod", () => {
  it("sums every owner's row of a period, periods in order", () => {
    const row = (period: string, weighted: string) =>
      ({ key: "k", label: "x", period, weighted, bestCase: "0", committed: "0", closedWon: "1.5", openCount: 1 });
    const sums = byPeriod([row("2026-02", "10"), row("2026-01", "2.5"), row("2026-02", "5")]);
    expect(sums.periods).toEqual(["2026-01", "2026-02"]);
    expect(sums.weighted).toEqual([2.5, 15]);
    expect(sums.won).toEqual([1.5, 3]);
  });
});
