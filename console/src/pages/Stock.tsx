import { useEffect, useState } from "react";
import { ApiError, request } from "../api";
import { graphql } from "../gql";
import type { StockQuery } from "../gql/graphql";
import type { Session } from "../session";

const STOCK = graphql(`
  query Stock($warehouse: ID, $after: String) {
    warehouses { id code name isDefault }
    lowStock(first: 50) { edges { node { productId onHand reserved available reorderPoint suggestedQuantity product { sku name } } } }
    stockLevels(first: 50, after: $after, filter: { warehouseId: $warehouse }) {
      edges { node { productId warehouseId onHand reserved available product { sku name } warehouse { code } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

/** Stock by product and warehouse, and what to reorder: products at or under their reorder point. */
export function Stock(_: { session: Session }) {
  const [warehouse, setWarehouse] = useState("");
  const [data, setData] = useState<StockQuery | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    request(STOCK, { warehouse: warehouse || null }).then(setData, (e: ApiError) => setProblem(e.message));
  }, [warehouse]);

  return (
    <section aria-labelledby="stock-title">
      <h1 id="stock-title">Stock</h1>
      {problem && <p role="alert" className="error">{problem}</p>}
      <h2>To reorder</h2>
      {data && data.lowStock.edges.length === 0 && <p>Nothing is under its reorder point.</p>}
      <ul aria-label="To reorder">
        {data?.lowStock.edges.map(({ node }) => (
          <li key={node.productId}>
            <strong>{node.product?.sku}</strong> {node.product?.name}: {node.available} available (reorder point {node.reorderPoint}),
            order {node.suggestedQuantity}
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <label>Warehouse{" "}
          <select value={warehouse} onChange={(e) => setWarehouse(e.target.value)}>
            <option value="">All warehouses</option>
            {data?.warehouses.map((w) => <option key={w.id} value={w.id}>{w.code} {w.name}</option>)}
          </select>
        </label>
      </div>
      <table>
        <thead><tr><th>Product</th><th>Warehouse</th><th>On hand</th><th>Reserved</th><th>Available</th></tr></thead>
        <tbody>
          {data?.stockLevels.edges.map(({ node }) => (
            <tr key={`${node.productId}-${node.warehouseId}`}>
              <td>{node.product?.sku} {node.product?.name}</td><td>{node.warehouse?.code}</td>
              <td>{node.onHand}</td><td>{node.reserved}</td><td>{node.available}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
