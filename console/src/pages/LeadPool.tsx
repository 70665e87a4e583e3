import { useCallback, useEffect, useState } from "react";
import { ApiError, byField, request } from "../api";
import { graphql } from "../gql";
import type { PoolsQuery, PoolLeadsQuery } from "../gql/graphql";
import { when } from "../parts/format";
import type { Session } from "../session";

const POOLS = graphql(`
  query Pools { leadPools { id name waiting claimLimit } }
`);

const POOL_LEADS = graphql(`
  query PoolLeads($pool: ID!) {
    leadPool(poolId: $pool, first: 50) { edges { node { id name companyName source createdAt } } }
  }
`);

const CLAIM = graphql(`
  mutation ClaimLead($input: ClaimLeadInput!) { claimLead(input: $input) { lead { id } errors { field code message } } }
`);

/** The shared pools of leads: the oldest waiting first; a rep claims one, within the pool's claim limit. */
export function LeadPool(_: { session: Session }) {
  const [pools, setPools] = useState<PoolsQuery["leadPools"]>([]);
  const [pool, setPool] = useState<string | null>(null);
  const [leads, setLeads] = useState<PoolLeadsQuery["leadPool"]["edges"]>([]);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const loadPools = useCallback(() => request(POOLS).then((data) => {
    setPools(data.leadPools);
    setPool((current) => current ?? data.leadPools[0]?.id ?? null);
  }, (e: ApiError) => setMessage({ text: e.message, error: true })), []);
  const loadLeads = useCallback(() => {
    if (pool) request(POOL_LEADS, { pool }).then((data) => setLeads(data.leadPool.edges), (e: ApiError) => setMessage({ text: e.message, error: true }));
  }, [pool]);
  useEffect(() => { loadPools(); }, [loadPools]);
  useEffect(() => { loadLeads(); }, [loadLeads]);

  async function claim(id: string, name: string) {
    const { claimLead } = await request(CLAIM, { input: { leadId: id } });
    const refused = Object.values(byField(claimLead.errors))[0];
    setMessage(refused ? { text: refused, error: true } : { text: `${name} is yours now.`, error: false });
    loadPools();
    loadLeads();
  }

  return (
    <section aria-labelledby="pool-title">
      <h1 id="pool-title">Lead pool</h1>
      {message && <p role={message.error ? "alert" : "status"} className={message.error ? "error" : undefined}>{message.text}</p>}
      {pools.length === 0 && <p>You are in no lead pool.</p>}
      <div className="toolbar" role="tablist" aria-label="Pools">
        {pools.map((p) => (
          <button key={p.id} type="button" role="tab" aria-selected={p.id === pool} onClick={() => setPool(p.id)}>
            {p.name} ({p.waiting} waiting{p.claimLimit ? `, up to ${p.claimLimit} each` : ""})
          </button>
        ))}
      </div>
      <table>
        <thead><tr><th>Lead</th><th>Company</th><th>Source</th><th>Waiting since</th><th></th></tr></thead>
        <tbody>
          {leads.map(({ node }) => (
            <tr key={node.id} data-lead={node.id}>
              <td>{node.name}</td><td>{node.companyName}</td><td>{node.source}</td><td>{when(node.createdAt)}</td>
              <td><button type="button" onClick={() => claim(node.id, node.name)} aria-label={`Claim ${node.name}`}>Claim</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
