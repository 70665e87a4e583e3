// Cursor paging both ways, as every list of the API offers it: the next page after the last cursor, the previous
// page before the first one.
export type Window = { first?: number; after?: string; last?: number; before?: string };

type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };

export function Pager({ size, info, onChange }: { size: number; info?: PageInfo | null; onChange: (w: Window) => void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!info?.hasPreviousPage}
              onClick={() => info && onChange({ last: size, before: info.startCursor ?? undefined })}>Previous</button>
      <button type="button" disabled={!info?.hasNextPage}
              onClick={() => info && onChange({ first: size, after: info.endCursor ?? undefined })}>Next</button>
    </nav>
  );
}
