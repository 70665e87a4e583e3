import { useEffect, useState, type FormEvent } from "react";
import { ApiError, byField, request, type FieldErrors } from "../api";
import { graphql } from "../gql";
import type { CustomersQuery } from "../gql/graphql";
import { Field } from "../parts/Field";
import { Link, navigate } from "../router";
import { may, type Session } from "../session";

const CUSTOMERS = graphql(`
  query Customers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    customers(filter: { search: $search }, orderBy: { field: NAME }, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { node { id name kind lifecycleStage region owner { name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id } errors { field code message } }
  }
`);

const PAGE = 25;
type Window = { first?: number; after?: string; last?: number; before?: string };

export function Customers({ session }: { session: Session }) {
  const [search, setSearch] = useState("");
  const [slice, setSlice] = useState<Window>({ first: PAGE });
  const [page, setPage] = useState<CustomersQuery["customers"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {  // one request when typing pauses, not one per key
      request(CUSTOMERS, { search: search || null, ...slice }).then(
        (data) => !stale && setPage(data.customers),
        (error: ApiError) => !stale && setProblem(error.message),
      );
    }, search ? 200 : 0);
    return () => { stale = true; clearTimeout(timer); };
  }, [search, slice]);

  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <div className="toolbar">
        <input type="search" aria-label="Search customers" placeholder="Search by name, email or phone" value={search}
               onChange={(e) => { setSearch(e.target.value); setSlice({ first: PAGE }); }} />
        {page && <span>{page.totalCount} customers</span>}
      </div>
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
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={!page?.pageInfo.hasPreviousPage}
                onClick={() => page && setSlice({ last: PAGE, before: page.pageInfo.startCursor ?? undefined })}>Previous</button>
        <button type="button" disabled={!page?.pageInfo.hasNextPage}
                onClick={() => page && setSlice({ first: PAGE, after: page.pageInfo.endCursor ?? undefined })}>Next</button>
      </nav>
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
