// GraphiQL for developers, built with the console and served by this server (no CDN): it works where the server has
// no internet access. Log in with the `login` mutation, then put the token in the Headers tab:
// {"Authorization": "Bearer <token>"}.
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import type { Fetcher } from "@graphiql/toolkit";
import "graphiql/graphiql.css";
import "./graphiql.css";

const fetcher: Fetcher = async (params, options) => {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return response.json();
};

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={'{"Authorization": "Bearer "}'} shouldPersistHeaders={false} />,
);
