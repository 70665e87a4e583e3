import { useState } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import type { ContractStatus } from "../gql/graphql";
import { PendingApprovals } from "../parts/Approvals";
import { money } from "../parts/format";
import { Pager } from "../parts/Pager";
import { usePagedList } from "../parts/usePagedList";
import { Link } from "../router";
import type { Session } from "../session";

const CONTRACTS = graphql(`
  query Contracts($status: ContractStatus, $search: String, $first: Int, $after: String, $last: Int, $before: String) {
    contracts(filter: { status: $status, search: $search }, first: $first, after: $after, last: $last, before: $before) {
      edges { node { id number title status value currency endDate outstanding overdue customer { id name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const COUNT = graphql(`
  query ContractCount($status: ContractStatus, $search: String) { contracts(filter: { status: $status, search: $search }, first: 0) { totalCount } }
`);

const STATUSES: ContractStatus[] = ["DRAFT", "PENDING_APPROVAL", "APPROVED", "REJECTED", "ACTIVE", "EXPIRED", "TERMINATED"];
const PAGE = 25;

/** Contracts awaiting my approval (decided here), then the contracts I may read, by status, with what is overdue. */
export function Contracts(_: { session: Session }) {
  const [status, setStatus] = useState<ContractStatus | "">("");
  const [search, setSearch] = useState("");
  const [decided, setDecided] = useState(0);  // a decision changes statuses: read the list again
  const filter = { status: status || null, search: search || null };
  const { page, total, problem, turn } = usePagedList(
    JSON.stringify({ ...filter, decided }), PAGE,
    (window) => request(CONTRACTS, { ...filter, ...window }).then((d) => d.contracts),
    () => request(COUNT, filter).then((d) => d.contracts.totalCount),
    search ? 200 : 0,
  );

  return (
    <section aria-labelledby="contracts-title">
      <h1 id="contracts-title">Contracts</h1>
      <h2>Awaiting my approval</h2>
      <PendingApprovals recordType="contract" onDecided={() => setDecided((n) => n + 1)} />
      <h2>All contracts</h2>
      <div className="toolbar">
        <input type="search" aria-label="Search contracts" placeholder="Number or title" value={search}
               onChange={(e) => setSearch(e.target.value)} />
        <label htmlFor="contract-status">Status</label>
        <select id="contract-status" value={status} onChange={(e) => setStatus(e.target.value as ContractStatus | "")}>
          <option value="">any</option>
          {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        {total != null && <span>{total} contracts</span>}
      </div>
      {problem && <p role="alert" className="error">{problem}</p>}
      <table>
        <thead><tr><th>Number</th><th>Customer</th><th>Title</th><th>Status</th><th>Value</th><th>Ends</th><th>Overdue</th></tr></thead>
        <tbody>
          {page?.edges.map(({ node: c }) => (
            <tr key={c.id} data-contract={c.id}>
              <td>{c.number}</td>
              <td>{c.customer && <Link to={`/customers/${encodeURIComponent(c.customer.id)}`}>{c.customer.name}</Link>}</td>
              <td>{c.title}</td>
              <td>{label(c.status)}</td>
              <td>{money(c.value, c.currency)}</td>
              <td>{c.endDate}</td>
              <td className={Number(c.overdue) > 0 ? "late" : undefined}>{Number(c.overdue) > 0 ? money(c.overdue, c.currency) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager size={PAGE} info={page?.pageInfo} onChange={turn} />
    </section>
  );
}

function label(status: string): string {
  return status.toLowerCase().replace(/_/g, " ");
}
