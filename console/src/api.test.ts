import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, byField, currentToken, request, setToken } from "./api";
import type { TypedDocumentString } from "./gql/graphql";

const QUERY = { toString: () => "{ me { id } }" } as unknown as TypedDocumentString<{ me: { id: string } }, Record<string, never>>;

function answer(body: unknown, status = 200) {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(body), { status })));
}

afterEach(() => { vi.unstubAllGlobals(); setToken(null); });

describe("byField", () => {
  it("puts each typed error on its field, the whole input's under ''", () => {
    expect(byField([{ field: "name", code: "REQUIRED", message: "name must not be empty" },
                    { field: null, code: "INVALID", message: "nope" }])).toEqual({ name: "name must not be empty", "": "nope" });
  });
  it("says what to do about a stale version", () => {
    expect(byField([{ field: "version", code: "CONFLICT", message: "changed" }]).version).toMatch(/reload/);
  });
});

describe("request", () => {
  it("sends the token and answers the data", async () => {
    setToken("crm_secret");
    answer({ data: { me: { id: "VXNlcjox" } } });
    expect(await request(QUERY)).toEqual({ me: { id: "VXNlcjox" } });
    const [, init] = (fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls[0];
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer crm_secret");
  });
  it("turns a GraphQL error into an ApiError with its code and field", async () => {
    answer({ data: null, errors: [{ message: "too many", extensions: { code: "BAD_USER_INPUT", field: "first" } }] });
    await expect(request(QUERY)).rejects.toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });
  it("forgets the token when the server no longer knows it", async () => {
    setToken("crm_old");
    answer({ data: null, errors: [{ message: "log in first", extensions: { code: "UNAUTHENTICATED" } }] }, 200);
    await expect(request(QUERY)).rejects.toBeInstanceOf(ApiError);
    expect(currentToken()).toBeNull();
  });
});
