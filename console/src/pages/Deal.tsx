import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, byField, request, type FieldErrors } from "../api";
import { graphql } from "../gql";
import type { DealQuery } from "../gql/graphql";
import { Field } from "../parts/Field";
import { days, money, when } from "../parts/format";
import { Link } from "../router";
import { may, type Session } from "../session";

const DEAL = graphql(`
  query Deal($id: ID!) {
    opportunity(id: $id) {
      id name status amount currency probability expectedCloseDate nextStep lostReason openedAt closedAt version
      stage { id name } pipeline { name } customer { id name } owner { name }
      stageVisits { enteredAt leftAt stage { name } }
      history { at amount probability expectedCloseDate stage { name } }
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateOpportunity($input: UpdateOpportunityInput!) {
    updateOpportunity(input: $input) { opportunity { id } errors { field code message } }
  }
`);

const WIN = graphql(`
  mutation WinOpportunity($input: WinOpportunityInput!) {
    winOpportunity(input: $input) { opportunity { id } errors { field code message } }
  }
`);

const LOSE = graphql(`
  mutation LoseOpportunity($input: LoseOpportunityInput!) {
    loseOpportunity(input: $input) { opportunity { id } errors { field code message } }
  }
`);

type Deal = NonNullable<DealQuery["opportunity"]>;

/** A deal's page: what it is worth and when it should close (editable by those who may), won or lost from here, and
 * its history: the stages it went through with the days spent in each, and every change of amount, odds or date. */
export function Deal({ id, session }: { id: string; session: Session }) {
  const [deal, setDeal] = useState<Deal | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(DEAL, { id }).then((d) => setDeal(d.opportunity), (e: ApiError) => setProblem(e.message)), [id]);
  useEffect(() => { load(); }, [load]);

  if (deal === undefined) return <p>{problem ?? "Loading…"}</p>;
  if (deal === null) return <p role="alert">There is no such deal, or it is not yours to see.</p>;
  const writable = may(session, "opportunity", "WRITE");
  return (
    <article aria-labelledby="deal-title">
      <h1 id="deal-title">{deal.name}</h1>
      <p className="subtitle">
        {deal.customer && <Link to={`/customers/${encodeURIComponent(deal.customer.id)}`}>{deal.customer.name}</Link>}
        {" · "}{deal.pipeline.name}: {deal.stage.name} · <span className={`status ${deal.status.toLowerCase()}`}>{deal.status.toLowerCase()}</span>
        {deal.owner && <> · {deal.owner.name}</>}
      </p>
      <div className="columns">
        <section className="card" aria-label="Deal">
          {writable && deal.status === "OPEN" ? <EditDeal deal={deal} onSaved={load} /> : (
            <dl className="numbers">
              <dt>Amount</dt><dd>{money(deal.amount, deal.currency)}</dd>
              <dt>Probability</dt><dd>{deal.probability} %</dd>
              <dt>Expected close</dt><dd>{deal.expectedCloseDate ?? "not set"}</dd>
              <dt>Next step</dt><dd>{deal.nextStep}</dd>
              {deal.closedAt && <><dt>Closed</dt><dd>{when(deal.closedAt)}</dd></>}
              {deal.lostReason && <><dt>Lost because</dt><dd>{deal.lostReason}</dd></>}
            </dl>
          )}
          {writable && deal.status === "OPEN" && <Close deal={deal} onClosed={load} />}
        </section>
        <section aria-labelledby="history-title">
          <h2 id="history-title">History</h2>
          <div className="scroll" role="region" aria-label="Stages" tabIndex={0}><table>
            <caption>Stages</caption>
            <thead><tr><th>Stage</th><th>Entered</th><th>Left</th><th>Days</th></tr></thead>
            <tbody>
              {deal.stageVisits.map((v, i) => (
                <tr key={i}>
                  <td>{v.stage.name}</td><td>{when(v.enteredAt)}</td><td>{v.leftAt ? when(v.leftAt) : "still here"}</td>
                  <td>{days(v.enteredAt, v.leftAt)}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
          <div className="scroll" role="region" aria-label="Changes" tabIndex={0}><table>
            <caption>Changes</caption>
            <thead><tr><th>When</th><th>Stage</th><th>Amount</th><th>Probability</th><th>Expected close</th></tr></thead>
            <tbody>
              {deal.history.map((h, i) => (
                <tr key={i}>
                  <td>{when(h.at)}</td><td>{h.stage.name}</td><td>{money(h.amount, deal.currency)}</td><td>{h.probability} %</td>
                  <td>{h.expectedCloseDate}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        </section>
      </div>
    </article>
  );
}

function EditDeal({ deal, onSaved }: { deal: Deal; onSaved: () => void }) {
  const [form, setForm] = useState({ amount: deal.amount, probability: String(deal.probability),
                                     expectedCloseDate: deal.expectedCloseDate ?? "", nextStep: deal.nextStep ?? "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const probability = Number.parseInt(form.probability, 10);
    const { updateOpportunity } = await request(UPDATE, { input: {
      id: deal.id, version: deal.version, amount: form.amount, nextStep: form.nextStep || null,
      probability: Number.isNaN(probability) ? null : probability, expectedCloseDate: form.expectedCloseDate || null } });
    setErrors(byField(updateOpportunity.errors));
    if (updateOpportunity.opportunity) { setSaved(true); onSaved(); }
  }

  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  return (
    <form onSubmit={submit} aria-label="Edit deal">
      <Field label={`Amount (${deal.currency})`} inputMode="decimal" value={form.amount} onChange={set("amount")} error={errors.amount} />
      <Field label="Probability (%)" type="number" min={0} max={100} value={form.probability} onChange={set("probability")}
             error={errors.probability} />
      <Field label="Expected close" type="date" value={form.expectedCloseDate} onChange={set("expectedCloseDate")}
             error={errors.expectedCloseDate} />
      <Field label="Next step" value={form.nextStep} onChange={set("nextStep")} error={errors.nextStep} />
      {(errors.version || errors[""]) && <p role="alert" className="error">{errors.version ?? errors[""]}</p>}
      {saved && <p role="status">Saved.</p>}
      <button type="submit">Save</button>
    </form>
  );
}

function Close({ deal, onClosed }: { deal: Deal; onClosed: () => void }) {
  const [losing, setLosing] = useState(false);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  async function win() {
    const { winOpportunity } = await request(WIN, { input: { id: deal.id, version: deal.version } });
    setErrors(byField(winOpportunity.errors));
    if (winOpportunity.opportunity) onClosed();
  }

  async function lose(event: FormEvent) {
    event.preventDefault();
    const { loseOpportunity } = await request(LOSE, { input: { id: deal.id, version: deal.version, reason } });
    setErrors(byField(loseOpportunity.errors));
    if (loseOpportunity.opportunity) onClosed();
  }

  const other = Object.entries(errors).filter(([field]) => field !== "reason").map(([, message]) => message)[0];
  return (
    <div className="actions">
      {other && <p role="alert" className="error">{other}</p>}
      {!losing ? (
        <>
          <button type="button" onClick={win}>Won</button>
          <button type="button" onClick={() => setLosing(true)}>Lost…</button>
        </>
      ) : (
        <form onSubmit={lose} aria-label="Lose deal">
          <Field label="Why was it lost?" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} />
          <button type="submit">Mark as lost</button>
          <button type="button" onClick={() => setLosing(false)}>Cancel</button>
        </form>
      )}
    </div>
  );
}
