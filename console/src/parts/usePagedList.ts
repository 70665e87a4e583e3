// A list read a page at a time by cursor, as every list page of the console reads one. The total is asked once per
// filter, in a request of its own sent beside the first page: counting a million rows takes longer than reading 25 of
// them, so the page shows first and the count follows, and turning pages never counts again.
import { useEffect, useState } from "react";
import { ApiError } from "../api";
import type { Window } from "./Pager";

export function usePagedList<P>(
  key: string,  // the filter, as text: a new key starts again at the first page and counts again
  size: number,
  readPage: (window: Window) => Promise<P>,
  readTotal: () => Promise<number>,
  delay = 0,  // ms to wait for typing to pause before asking
) {
  const [slice, setSlice] = useState<Window>({ first: size });
  const [sliceOf, setSliceOf] = useState(key);
  const [page, setPage] = useState<P | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const current = sliceOf === key ? slice : { first: size };  // the window belongs to the filter it was chosen for

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      readPage(current).then((p) => { if (!stale) { setPage(p); setProblem(null); } },
                             (e: ApiError) => !stale && setProblem(e.message));
    }, delay);
    return () => { stale = true; clearTimeout(timer); };
  }, [key, JSON.stringify(current)]);  // (the key stands for what readPage reads)

  useEffect(() => {
    let stale = false;
    setTotal(null);
    const timer = setTimeout(() => {
      readTotal().then((n) => !stale && setTotal(n), (e: ApiError) => !stale && setProblem(e.message));
    }, delay);
    return () => { stale = true; clearTimeout(timer); };
  }, [key]);

  const turn = (window: Window) => { setSlice(window); setSliceOf(key); };
  return { page, total, problem, turn };
}
