import { useCallback, useEffect, useState } from "react";
import { ApiError, request } from "../api";
import { graphql } from "../gql";
import type { MyDayQuery } from "../gql/graphql";
import { when } from "../parts/format";
import { Link } from "../router";
import type { Session } from "../session";

const MY_DAY = graphql(`
  query MyDay {
    myTasks(first: 50) { edges { node { id subject dueAt overdue version customer { id name } } } }
    myPendingApprovals(first: 20) { edges { node { id title recordType submittedAt } } }
  }
`);

const COMPLETE = graphql(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) { activity { id } errors { field code message } }
  }
`);

export function MyDay(_: { session: Session }) {
  const [day, setDay] = useState<MyDayQuery | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(MY_DAY).then(setDay, (e: ApiError) => setProblem(e.message)), []);
  useEffect(() => { load(); }, [load]);

  async function complete(id: string, version: number) {
    const { completeTask } = await request(COMPLETE, { input: { id, version } });
    if (completeTask.errors.length) setProblem(completeTask.errors[0].message);
    load();
  }

  return (
    <section aria-labelledby="day-title">
      <h1 id="day-title">My day</h1>
      {problem && <p role="alert" className="error">{problem}</p>}
      <h2>Tasks</h2>
      {day && day.myTasks.edges.length === 0 && <p>No open tasks.</p>}
      <ul className="tasks">
        {day?.myTasks.edges.map(({ node }) => (
          <li key={node.id} className={node.overdue ? "overdue" : undefined}>
            <button type="button" onClick={() => complete(node.id, node.version)} aria-label={`Complete ${node.subject}`}>Done</button>
            <span>{node.subject}</span>
            {node.customer && <Link to={`/customers/${encodeURIComponent(node.customer.id)}`}>{node.customer.name}</Link>}
            <time dateTime={node.dueAt ?? undefined}>{node.overdue ? "overdue since " : ""}{when(node.dueAt)}</time>
          </li>
        ))}
      </ul>
      <h2>Waiting for my approval</h2>
      {day && day.myPendingApprovals.edges.length === 0 && <p>Nothing waits for you.</p>}
      <ul>
        {day?.myPendingApprovals.edges.map(({ node }) => (
          <li key={node.id}>{node.title} <span className="kind">{node.recordType}</span> <time>{when(node.submittedAt)}</time></li>
        ))}
      </ul>
    </section>
  );
}
