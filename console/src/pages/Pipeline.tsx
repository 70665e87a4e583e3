import { useCallback, useEffect, useState, type DragEvent, type ReactNode } from "react";
import { ApiError, byField, request } from "../api";
import { graphql } from "../gql";
import type { BoardQuery } from "../gql/graphql";
import { money } from "../parts/format";
import { Link } from "../router";
import { may, type Session } from "../session";

const BOARD = graphql(`
  query Board {
    pipelines { id name isDefault stages { id name kind probability } }
    opportunities(first: 100, filter: { status: OPEN }) {
      edges { node { id name amount currency version pipeline { id } stage { id } customer { id name } } }
    }
  }
`);

const MOVE = graphql(`
  mutation MoveOpportunity($input: MoveOpportunityInput!) {
    moveOpportunity(input: $input) { opportunity { id version stage { id } } errors { field code message } }
  }
`);

type Deal = BoardQuery["opportunities"]["edges"][number]["node"];

/** The default pipeline as a board: a column per open stage; dragging a deal to a column moves it there. */
export function Pipeline({ session }: { session: Session }) {
  const [board, setBoard] = useState<BoardQuery | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(BOARD).then(setBoard, (e: ApiError) => setProblem(e.message)), []);
  useEffect(() => { load(); }, [load]);
  const movable = may(session, "opportunity", "WRITE");

  async function move(deal: Deal, stageId: string) {
    if (deal.stage.id === stageId) return;
    const { moveOpportunity } = await request(MOVE, { input: { id: deal.id, stageId, version: deal.version } });
    const errors = byField(moveOpportunity.errors);
    setProblem(Object.values(errors)[0] ?? null);
    load();
  }

  const pipeline = board?.pipelines.find((p) => p.isDefault) ?? board?.pipelines[0];
  if (!board || !pipeline) return <p>{problem ?? "Loading…"}</p>;
  const deals = board.opportunities.edges.map((e) => e.node).filter((d) => d.pipeline.id === pipeline.id);
  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">{pipeline.name}</h1>
      {problem && <p role="alert" className="error">{problem}</p>}
      <div className="board">
        {pipeline.stages.filter((s) => s.kind === "OPEN").map((stage) => (
          <Column key={stage.id} title={`${stage.name} (${stage.probability} %)`} stageId={stage.id}
                  onDrop={(id) => { const deal = deals.find((d) => d.id === id); if (deal) move(deal, stage.id); }}>
            {deals.filter((d) => d.stage.id === stage.id).map((deal) => (
              <article key={deal.id} className="deal" draggable={movable} data-deal={deal.id}
                       onDragStart={(e: DragEvent) => e.dataTransfer.setData("text/plain", deal.id)}>
                <strong><Link to={`/deals/${encodeURIComponent(deal.id)}`}>{deal.name}</Link></strong>
                <span>{money(deal.amount, deal.currency)}</span>
                {deal.customer && <Link to={`/customers/${encodeURIComponent(deal.customer.id)}`}>{deal.customer.name}</Link>}
                {movable && (
                  <select aria-label={`Move ${deal.name} to`} value={deal.stage.id} onChange={(e) => move(deal, e.target.value)}>
                    {pipeline.stages.filter((s) => s.kind === "OPEN").map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                  </select>
                )}
              </article>
            ))}
          </Column>
        ))}
      </div>
    </section>
  );
}

function Column({ title, stageId, onDrop, children }: { title: string; stageId: string; onDrop: (dealId: string) => void;
                                                       children: ReactNode }) {
  const [over, setOver] = useState(false);
  return (
    <section className={over ? "column over" : "column"} aria-label={title} data-stage={stageId}
             onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)}
             onDrop={(e) => { e.preventDefault(); setOver(false); onDrop(e.dataTransfer.getData("text/plain")); }}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
