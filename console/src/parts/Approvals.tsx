// The requests waiting for my decision, approved or rejected on the spot (a rejection needs a comment: it goes back to
// the record's owner). My day shows all of them, a module's page those of its records.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, byField, request, type FieldErrors } from "../api";
import { graphql } from "../gql";
import type { PendingApprovalsQuery } from "../gql/graphql";
import { Field } from "./Field";
import { money, when } from "./format";

const PENDING = graphql(`
  query PendingApprovals($recordType: String) {
    myPendingApprovals(first: 50, recordType: $recordType) {
      edges { node { id title recordType value currency submittedAt history { action comment actor { name } } } }
    }
  }
`);

const APPROVE = graphql(`
  mutation Approve($input: ApprovalDecisionInput!) { approve(input: $input) { request { id status } errors { field code message } } }
`);

const REJECT = graphql(`
  mutation Reject($input: ApprovalDecisionInput!) { reject(input: $input) { request { id status } errors { field code message } } }
`);

type Request = PendingApprovalsQuery["myPendingApprovals"]["edges"][number]["node"];

export function PendingApprovals({ recordType, onDecided }: { recordType?: string; onDecided?: () => void }) {
  const [pending, setPending] = useState<Request[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(PENDING, { recordType: recordType ?? null }).then(
    (d) => setPending(d.myPendingApprovals.edges.map((e) => e.node)), (e: ApiError) => setProblem(e.message)), [recordType]);
  useEffect(() => { load(); }, [load]);

  const decided = (message: string) => { setDone(message); load(); onDecided?.(); };
  if (problem) return <p role="alert" className="error">{problem}</p>;
  if (!pending) return <p>Loading…</p>;
  return (
    <>
      {done && <p role="status">{done}</p>}
      {pending.length === 0 ? <p>Nothing waits for you.</p> : (
        <ul className="approvals">
          {pending.map((r) => <Decision key={r.id} request={r} onDecided={decided} />)}
        </ul>
      )}
    </>
  );
}

function Decision({ request: r, onDecided }: { request: Request; onDecided: (message: string) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  async function approve() {
    const { approve } = await request(APPROVE, { input: { requestId: r.id } });
    setErrors(byField(approve.errors));
    if (approve.request) onDecided(`${r.title}: approved${approve.request.status === "PENDING" ? " (the next step decides next)" : ""}.`);
  }

  async function reject(event: FormEvent) {
    event.preventDefault();
    const { reject } = await request(REJECT, { input: { requestId: r.id, comment } });
    setErrors(byField(reject.errors));
    if (reject.request) onDecided(`${r.title}: rejected, back to its owner.`);
  }

  const other = Object.entries(errors).filter(([field]) => field !== "comment").map(([, m]) => m)[0];
  return (
    <li className="card" data-approval={r.id}>
      <strong>{r.title}</strong>
      <span>
        <span className="kind">{r.recordType.replace(/_/g, " ")}</span>
        {r.value != null && <> · {money(r.value, r.currency)}</>} · submitted <time dateTime={r.submittedAt}>{when(r.submittedAt)}</time>
      </span>
      {r.history.filter((h) => h.comment).map((h, i) => <p key={i} className="comment">{h.actor?.name}: {h.comment}</p>)}
      {other && <p role="alert" className="error">{other}</p>}
      {!rejecting ? (
        <div className="actions">
          <button type="button" onClick={approve} aria-label={`Approve ${r.title}`}>Approve</button>
          <button type="button" onClick={() => setRejecting(true)} aria-label={`Reject ${r.title}`}>Reject…</button>
        </div>
      ) : (
        <form onSubmit={reject} aria-label={`Reject ${r.title}`}>
          <Field label="Why is it rejected?" value={comment} onChange={(e) => setComment(e.target.value)} error={errors.comment} />
          <div className="actions">
            <button type="submit">Reject</button>
            <button type="button" onClick={() => setRejecting(false)}>Cancel</button>
          </div>
        </form>
      )}
    </li>
  );
}
