// Open tasks with a "Done" button each (completeTask, at the version read: a task changed meanwhile is refused and the
// list is read again). My day lists mine; the 360 view a customer's.
import { useState } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import { when } from "./format";
import { Link } from "../router";

const COMPLETE = graphql(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) { activity { id } errors { field code message } }
  }
`);

export type Task = { id: string; subject: string; dueAt?: string | null; overdue: boolean; version: number;
                     customer?: { id: string; name: string } | null };

export function TaskList({ tasks, onChanged, showCustomer = true }: { tasks: Task[]; onChanged: () => void; showCustomer?: boolean }) {
  const [problem, setProblem] = useState<string | null>(null);

  async function complete(task: Task) {
    const { completeTask } = await request(COMPLETE, { input: { id: task.id, version: task.version } });
    setProblem(completeTask.errors.length ? completeTask.errors[0].message : null);
    onChanged();
  }

  return (
    <>
      {problem && <p role="alert" className="error">{problem}</p>}
      {tasks.length === 0 && <p>No open tasks.</p>}
      <ul className="tasks">
        {tasks.map((task) => (
          <li key={task.id} className={task.overdue ? "overdue" : undefined} data-task={task.id}>
            <button type="button" onClick={() => complete(task)} aria-label={`Complete ${task.subject}`}>Done</button>
            <span>{task.subject}</span>
            {showCustomer && task.customer && <Link to={`/customers/${encodeURIComponent(task.customer.id)}`}>{task.customer.name}</Link>}
            {task.dueAt && <time dateTime={task.dueAt}>{task.overdue ? "overdue since " : "due "}{when(task.dueAt)}</time>}
          </li>
        ))}
      </ul>
    </>
  );
}
