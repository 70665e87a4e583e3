import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { usePagedList } from "./usePagedList";

describe("usePagedList", () => {
  it("counts once per filter, not on every page turn, and starts a new filter at its first page", async () => {
    const readPage = vi.fn(async (window: object) => window);
    const readTotal = vi.fn(async () => 1_000_000);
    const { result, rerender } = renderHook(({ key }) => usePagedList(key, 25, readPage, readTotal), { initialProps: { key: "{}" } });
    await waitFor(() => expect(result.current.total).toBe(1_000_000));
    expect(result.current.page).toEqual({ first: 25 });
    act(() => result.current.turn({ first: 25, after: "c1" }));
    await waitFor(() => expect(result.current.page).toEqual({ first: 25, after: "c1" }));
    expect(readTotal).toHaveBeenCalledTimes(1);
    rerender({ key: '{"kind":"COMPANY"}' });
    await waitFor(() => expect(readTotal).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(result.current.page).toEqual({ first: 25 }));
    expect(readPage).toHaveBeenCalledTimes(3);
  });
});
