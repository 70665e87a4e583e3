import { useCallback, useEffect, useState } from "react";
import { ApiError, request } from "../api";
import { graphql } from "../gql";
import type { TicketQueueQuery } from "../gql/graphql";
import { countdown } from "../parts/format";
import { Link } from "../router";
import type { Session } from "../session";

const TICKETS = graphql(`
  query TicketQueue($queue: ID, $atRisk: Boolean!) {
    queues { id name }
    tickets(first: 50, filter: { queueId: $queue, open: true }) @skip(if: $atRisk) { edges { node { ...TicketRow } } }
    ticketsAtRisk(first: 50, queueId: $queue) @include(if: $atRisk) { edges { node { ...TicketRow } } }
  }
  fragment TicketRow on Ticket {
    id number subject status priority
    customer { id name }
    assignee { name }
    firstResponse { dueAt remainingMinutes breached }
    resolution { dueAt remainingMinutes breached }
  }
`);

/** A queue's open tickets with their SLA countdowns (working time), or those at risk first. */
export function Tickets(_: { session: Session }) {
  const [queue, setQueue] = useState<string>("");
  const [atRisk, setAtRisk] = useState(false);
  const [data, setData] = useState<TicketQueueQuery | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(TICKETS, { queue: queue || null, atRisk }).then(setData, (e: ApiError) => setProblem(e.message)),
                           [queue, atRisk]);
  useEffect(() => { load(); const timer = setInterval(load, 60_000); return () => clearInterval(timer); }, [load]);

  const rows = (atRisk ? data?.ticketsAtRisk?.edges : data?.tickets?.edges) ?? [];
  return (
    <section aria-labelledby="tickets-title">
      <h1 id="tickets-title">Tickets</h1>
      {problem && <p role="alert" className="error">{problem}</p>}
      <div className="toolbar">
        <label>Queue{" "}
          <select value={queue} onChange={(e) => setQueue(e.target.value)}>
            <option value="">All queues</option>
            {data?.queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
          </select>
        </label>
        <label><input type="checkbox" checked={atRisk} onChange={(e) => setAtRisk(e.target.checked)} /> At risk only</label>
      </div>
      <table>
        <thead><tr><th>Number</th><th>Subject</th><th>Customer</th><th>Priority</th><th>First response</th><th>Resolution</th><th>Assignee</th></tr></thead>
        <tbody>
          {rows.map(({ node }) => (
            <tr key={node.id} data-ticket={node.id}>
              <td>{node.number}</td>
              <td>{node.subject}</td>
              <td>{node.customer && <Link to={`/customers/${encodeURIComponent(node.customer.id)}`}>{node.customer.name}</Link>}</td>
              <td>{node.priority.toLowerCase()}</td>
              <td className={node.firstResponse?.breached ? "error" : undefined}>{countdown(node.firstResponse)}</td>
              <td className={node.resolution?.breached ? "error" : undefined}>{countdown(node.resolution)}</td>
              <td>{node.assignee?.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
