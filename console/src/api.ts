// The one way the console talks to the server: POST /graphql as the logged-in user. After login the server keeps the
// token in an HttpOnly, SameSite=Strict cookie (POST /app/session), which no script reads and which /graphql accepts
// only with the X-CRM-Console header; a reload stays logged in. The token is also kept in memory for this page's life.
import type { TypedDocumentString } from "./gql/graphql";

let token: string | null = null;
const listeners = new Set<() => void>();

export function setToken(value: string | null): void {
  token = value;
  listeners.forEach((listen) => listen());
}

export function currentToken(): string | null {
  return token;
}

export function onTokenChange(listen: () => void): () => void {
  listeners.add(listen);
  return () => listeners.delete(listen);
}

/** Keep the session across reloads: the server sets the token as an HttpOnly cookie of this origin. */
export async function startSession(value: string): Promise<void> {
  await fetch("/app/session", { method: "POST", headers: { "Content-Type": "application/json", "X-CRM-Console": "1" },
                                body: JSON.stringify({ token: value }) });
}

/** Forget the session cookie (logout revokes the token itself). */
export async function endSession(): Promise<void> {
  await fetch("/app/session", { method: "DELETE", headers: { "X-CRM-Console": "1" } });
}

/** A refusal the server answered with a GraphQL error (FORBIDDEN, BAD_USER_INPUT, UNAVAILABLE, ...). */
export class ApiError extends Error {
  constructor(message: string, readonly code: string, readonly field?: string) {
    super(message);
  }
}

export async function request<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CRM-Console": "1", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = await response.json().catch(() => null);
  const first = body?.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? "INTERNAL";
    if (code === "UNAUTHENTICATED") setToken(null);
    throw new ApiError(first.message, code, first.extensions?.field);
  }
  if (!response.ok || !body?.data) throw new ApiError(`the server answered ${response.status}`, "INTERNAL");
  return body.data as R;
}

/** GraphQL as text, for pages that plugins ship (their operations are not typed by this build). */
export function requestText(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  return request(query as unknown as TypedDocumentString<Record<string, unknown>, Record<string, unknown>>, variables);
}

/** Typed errors of a mutation's payload, by field (null: about the whole input). */
export type FieldErrors = Record<string, string>;

export function byField(errors: readonly { field?: string | null; code: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const key = e.field ?? "";
    out[key] = e.code === "CONFLICT" ? "Someone changed this meanwhile: reload it and make your change again." : e.message;
  }
  return out;
}
