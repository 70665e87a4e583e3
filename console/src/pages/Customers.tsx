import { useState, type FormEvent } from "react";
import { byField, request, type FieldErrors } from "../api";
import { graphql } from "../gql";
import type { CustomerFilter, CustomerKind, LifecycleStage } from "../gql/graphql";
import { Field } from "../parts/Field";
import { Pager } from "../parts/Pager";
import { usePagedList } from "../parts/usePagedList";
import { SavedViews } from "../parts/SavedViews";
import { Link, navigate } from "../router";
import { may, type Session } from "../session";

const CUSTOMERS = graphql(`
  query Customers($filter: CustomerFilter, $first: Int, $after: String, $last: Int, $before: String) {
    customers(filter: $filter, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {
      edges { node { id name kind lifecycleStage region owner { name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const COUNT = graphql(`
  query CustomerCount($filter: CustomerFilter) { customers(filter: $filter, first: 0) { totalCount } }
`);

const CREATE = graphql(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id } errors { field code message } }
  }
`);

const PAGE = 25;
const STAGES: LifecycleStage[] = ["LEAD", "PROSPECT", "CUSTOMER", "CHURNED", "PARTNER", "OTHER"];

export function Customers({ session }: { session: Session }) {
  const [filter, setFilter] = useState<CustomerFilter>({});
  const { page, total, problem, turn } = usePagedList(
    JSON.stringify(filter), PAGE,
    (window) => request(CUSTOMERS, { filter, ...window }).then((d) => d.customers),
    () => request(COUNT, { filter }).then((d) => d.customers.totalCount),
    filter.search ? 200 : 0,  // one request when typing pauses, not one per key
  );

  // An empty value leaves its condition out (and a new filter starts again at the first page).
  const change = (next: CustomerFilter) =>
    setFilter(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== "" && v != null)) as CustomerFilter);
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <div className="toolbar">
        <input type="search" aria-label="Search customers" placeholder="Search by name, email or phone" value={filter.search ?? ""}
               onChange={(e) => change({ ...filter, search: e.target.value })} />
        <select aria-label="Kind" value={filter.kind ?? ""} onChange={(e) => change({ ...filter, kind: e.target.value as CustomerKind })}>
          <option value="">every kind</option>
          <option value="COMPANY">companies</option>
          <option value="PERSON">people</option>
        </select>
        <select aria-label="Stage" value={filter.lifecycleStage ?? ""}
                onChange={(e) => change({ ...filter, lifecycleStage: e.target.value as LifecycleStage })}>
          <option value="">every stage</option>
          {STAGES.map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}
        </select>
        <label>
          <input type="checkbox" checked={filter.ownerId === session.id}
                 onChange={(e) => change({ ...filter, ownerId: e.target.checked ? session.id : null })} />
          Mine only
        </label>
        {total != null && <span>{total} customers</span>}
      </div>
      <SavedViews list="customers" filter={filter} onApply={change} />
      {problem && <p role="alert" className="error">{problem}</p>}
      {may(session, "customer", "WRITE") && <NewCustomer />}
      <table>
        <thead><tr><th>Name</th><th>Kind</th><th>Stage</th><th>Region</th><th>Owner</th></tr></thead>
        <tbody>
          {page?.edges.map(({ node }) => (
            <tr key={node.id}>
              <td><Link to={`/customers/${encodeURIComponent(node.id)}`}>{node.name}</Link></td>
              <td>{node.kind.toLowerCase()}</td>
              <td>{node.lifecycleStage.toLowerCase()}</td>
              <td>{node.region}</td>
              <td>{node.owner?.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager size={PAGE} info={page?.pageInfo} onChange={turn} />
    </section>
  );
}

function NewCustomer() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"COMPANY" | "PERSON">("COMPANY");
  const [errors, setErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { createCustomer } = await request(CREATE, { input: { name, kind } });
    if (createCustomer.customer) navigate(`/customers/${encodeURIComponent(createCustomer.customer.id)}`);
    else setErrors(byField(createCustomer.errors));
  }

  if (!open) return <button type="button" onClick={() => setOpen(true)}>New customer</button>;
  return (
    <form className="card" onSubmit={submit} aria-label="New customer">
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <div className="field">
        <label htmlFor="new-kind">Kind</label>
        <select id="new-kind" value={kind} onChange={(e) => setKind(e.target.value as "COMPANY" | "PERSON")}>
          <option value="COMPANY">Company</option>
          <option value="PERSON">Person</option>
        </select>
      </div>
      {errors[""] && <p role="alert" className="error">{errors[""]}</p>}
      <button type="submit">Create</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
    </form>
  );
}
