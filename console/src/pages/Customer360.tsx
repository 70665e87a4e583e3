import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, byField, request, type FieldErrors } from "../api";
import { graphql } from "../gql";
import type { CustomerQuery, TimelineQuery } from "../gql/graphql";
import { Field } from "../parts/Field";
import { when } from "../parts/format";
import { TaskList, type Task } from "../parts/Tasks";
import { may, type Session } from "../session";

const CUSTOMER = graphql(`
  query Customer($id: ID!) {
    customer(id: $id) {
      id name kind industry region website lifecycleStage version tags
      owner { name }
      emails { value label }
      phones { value label }
      contacts { id name title }
      customFields { key label text number date boolean }
      summary { lastContactAt activityCount openTaskCount }
    }
    openTasks: activities(first: 20, filter: { customerId: $id, openTasks: true }) {
      edges { node { id subject dueAt overdue version } }
    }
  }
`);

const TIMELINE = graphql(`
  query Timeline($id: ID!, $after: String) {
    customer(id: $id) {
      timeline(first: 20, after: $after) {
        edges { node { id kind title body occurredAt actor { name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { customer { id version } errors { field code message } }
  }
`);

const LOG = graphql(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) { activity { id } errors { field code message } }
  }
`);

type Customer = NonNullable<CustomerQuery["customer"]>;
type Entry = NonNullable<TimelineQuery["customer"]>["timeline"]["edges"][number]["node"];

export function Customer360({ id, session }: { id: string; session: Session }) {
  const [customer, setCustomer] = useState<Customer | null | undefined>(undefined);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [timelineKey, setTimelineKey] = useState(0);
  const load = useCallback(() => request(CUSTOMER, { id }).then((data) => {
    setCustomer(data.customer);
    setTasks(data.openTasks.edges.map((e) => e.node));
  }), [id]);
  useEffect(() => { load(); }, [load]);

  if (customer === undefined) return <p>Loading…</p>;
  if (customer === null) return <p role="alert">There is no such customer, or it is not yours to see.</p>;
  const writable = may(session, "customer", "WRITE");
  return (
    <article className="c360" aria-labelledby="c360-title">
      <h1 id="c360-title">{customer.name}</h1>
      <div className="columns">
        <section className="card" aria-label="Details">
          {writable ? <EditCustomer customer={customer} onSaved={load} /> : <Details customer={customer} />}
          <dl className="numbers">
            <dt>Activities</dt><dd>{customer.summary.activityCount ?? 0}</dd>
            <dt>Open tasks</dt><dd>{customer.summary.openTaskCount ?? 0}</dd>
            <dt>Last contact</dt><dd>{when(customer.summary.lastContactAt) || "never"}</dd>
          </dl>
          <h2>Open tasks</h2>
          <TaskList tasks={tasks} showCustomer={false} onChanged={() => { setTimelineKey((k) => k + 1); load(); }} />
          <h2>Contacts</h2>
          <ul>{customer.contacts.map((c) => <li key={c.id}>{c.name}{c.title ? `, ${c.title}` : ""}</li>)}</ul>
          {customer.customFields.length > 0 && (
            <dl>{customer.customFields.map((f) => (
              <div key={f.key}><dt>{f.label}</dt><dd>{String(f.text ?? f.number ?? f.date ?? f.boolean ?? "")}</dd></div>
            ))}</dl>
          )}
        </section>
        <section aria-label="Timeline" className="timeline">
          {may(session, "activity", "WRITE") && <LogActivity customerId={customer.id} onLogged={() => { setTimelineKey((k) => k + 1); load(); }} />}
          <Timeline key={timelineKey} id={customer.id} />
        </section>
      </div>
    </article>
  );
}

function Details({ customer }: { customer: Customer }) {
  return (
    <dl>
      <dt>Kind</dt><dd>{customer.kind.toLowerCase()}</dd>
      <dt>Industry</dt><dd>{customer.industry}</dd>
      <dt>Region</dt><dd>{customer.region}</dd>
      <dt>Website</dt><dd>{customer.website}</dd>
      <dt>Owner</dt><dd>{customer.owner?.name}</dd>
      <dt>Email</dt><dd>{customer.emails.map((e) => e.value).join(", ")}</dd>
      <dt>Phone</dt><dd>{customer.phones.map((p) => p.value).join(", ")}</dd>
    </dl>
  );
}

function EditCustomer({ customer, onSaved }: { customer: Customer; onSaved: () => void }) {
  const [form, setForm] = useState({ name: customer.name, industry: customer.industry ?? "", region: customer.region ?? "",
                                     website: customer.website ?? "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const { updateCustomer } = await request(UPDATE, { input: { id: customer.id, version: customer.version, ...form } });
    setErrors(byField(updateCustomer.errors));
    if (updateCustomer.customer) { setSaved(true); onSaved(); }
  }

  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  return (
    <form onSubmit={submit} aria-label="Edit customer">
      <Field label="Name" value={form.name} onChange={set("name")} error={errors.name} />
      <Field label="Industry" value={form.industry} onChange={set("industry")} error={errors.industry} />
      <Field label="Region" value={form.region} onChange={set("region")} error={errors.region} />
      <Field label="Website" value={form.website} onChange={set("website")} error={errors.website} />
      {errors.version && <p role="alert" className="error">{errors.version}</p>}
      {saved && <p role="status">Saved.</p>}
      <button type="submit">Save</button>
    </form>
  );
}

function LogActivity({ customerId, onLogged }: { customerId: string; onLogged: () => void }) {
  const [kind, setKind] = useState("call");
  const [due, setDue] = useState("");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    // A task is due at the local time chosen; the API takes it with its offset.
    const dueAt = kind === "task" && due ? new Date(due).toISOString() : null;
    const { logActivity } = await request(LOG, { input: { customerId, kind, subject, body: body || null, dueAt } });
    setErrors(byField(logActivity.errors));
    if (logActivity.activity) { setSubject(""); setBody(""); setDue(""); onLogged(); }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Log an activity">
      <div className="field">
        <label htmlFor="log-kind">Kind</label>
        <select id="log-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {["call", "email", "meeting", "visit", "note", "task"].map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </div>
      {kind === "task" && <Field label="Due" type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} error={errors.dueAt} />}
      <Field label="Subject" value={subject} onChange={(e) => setSubject(e.target.value)} error={errors.subject} />
      <div className="field">
        <label htmlFor="log-body">Notes</label>
        <textarea id="log-body" value={body} onChange={(e) => setBody(e.target.value)} />
      </div>
      <button type="submit">Log</button>
    </form>
  );
}

/** The unified timeline, newest first, read on as the reader scrolls to its end. */
function Timeline({ id }: { id: string }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);  // undefined: first page not read yet
  const [problem, setProblem] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const more = useCallback(async () => {
    if (busy.current || next === null) return;
    busy.current = true;
    try {
      const data = await request(TIMELINE, { id, after: next ?? null });
      const page = data.customer?.timeline;
      if (page) {
        setEntries((old) => [...old, ...page.edges.map((e) => e.node)]);
        setNext(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
      }
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : "The timeline cannot be read.");
    } finally {
      busy.current = false;
    }
  }, [id, next]);

  useEffect(() => {
    if (next === undefined) { more(); return; }
    const observer = new IntersectionObserver((seen) => seen.some((s) => s.isIntersecting) && more());
    if (end.current) observer.observe(end.current);
    return () => observer.disconnect();
  }, [more, next]);

  return (
    <>
      <h2>Timeline</h2>
      {problem && <p role="alert" className="error">{problem}</p>}
      <ol className="entries">
        {entries.map((e) => (
          <li key={e.id}>
            <span className="kind">{e.kind.replace(/_/g, " ")}</span> <strong>{e.title}</strong>
            <time dateTime={e.occurredAt}>{when(e.occurredAt)}</time>
            {e.actor && <span className="actor">{e.actor.name}</span>}
            {e.body && <p>{e.body}</p>}
          </li>
        ))}
      </ol>
      {next !== null && <div ref={end} className="more">Loading more…</div>}
    </>
  );
}
