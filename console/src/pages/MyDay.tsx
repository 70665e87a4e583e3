import { useCallback, useEffect, useState } from "react";
import { ApiError, request } from "../api";
import { graphql } from "../gql";
import type { MyDayQuery, MyTicketsAtRiskQuery } from "../gql/graphql";
import { PendingApprovals } from "../parts/Approvals";
import { countdown } from "../parts/format";
import { TaskList } from "../parts/Tasks";
import { Link } from "../router";
import type { Session } from "../session";

const MY_DAY = graphql(`
  query MyDay {
    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }
  }
`);

const AT_RISK = graphql(`
  query MyTicketsAtRisk {
    ticketsAtRisk(first: 10) {
      edges { node { id number subject customer { id name } firstResponse { remainingMinutes breached } resolution { remainingMinutes breached } } }
    }
  }
`);

/** What needs me today: my open tasks (overdue first), requests waiting for my approval, and (with service) the tickets
 * whose SLA is about to be missed. */
export function MyDay({ session }: { session: Session }) {
  const [day, setDay] = useState<MyDayQuery | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(MY_DAY).then(setDay, (e: ApiError) => setProblem(e.message)), []);
  useEffect(() => { load(); }, [load]);

  return (
    <section aria-labelledby="day-title">
      <h1 id="day-title">My day</h1>
      {problem && <p role="alert" className="error">{problem}</p>}
      <h2>Tasks</h2>
      {day && <TaskList tasks={day.myTasks.edges.map((e) => e.node)} onChanged={load} />}
      <h2>Waiting for my approval</h2>
      <PendingApprovals />
      {session.pages.some((p) => p.path === "/tickets") && <TicketsAtRisk />}
    </section>
  );
}

function TicketsAtRisk() {
  const [tickets, setTickets] = useState<MyTicketsAtRiskQuery["ticketsAtRisk"]["edges"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => { request(AT_RISK).then((d) => setTickets(d.ticketsAtRisk.edges), (e: ApiError) => setProblem(e.message)); }, []);
  return (
    <>
      <h2>Tickets at risk</h2>
      {problem && <p role="alert" className="error">{problem}</p>}
      {tickets && tickets.length === 0 && <p>No ticket is close to missing its target.</p>}
      <ul className="tasks">
        {tickets?.map(({ node: t }) => (
          <li key={t.id} data-ticket={t.id}>
            <span>{t.number} {t.subject}</span>
            {t.customer && <Link to={`/customers/${encodeURIComponent(t.customer.id)}`}>{t.customer.name}</Link>}
            <span className="late">{t.firstResponse && !t.firstResponse.breached ? `reply: ${countdown(t.firstResponse)}` : `resolve: ${countdown(t.resolution)}`}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
