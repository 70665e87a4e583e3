import { useState, type FormEvent } from "react";
import { ApiError, request, setToken, startSession } from "../api";
import { graphql } from "../gql";

const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { token errors { field code message } }
  }
`);

export function Login() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { login } = await request(LOGIN, { input: { email, password } });
      if (login.token) {
        await startSession(login.token).catch(() => undefined);  // without it, a reload asks to log in again
        setToken(login.token);
      }
      else setError(login.errors[0]?.message ?? "Wrong email or password.");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The server cannot be reached.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>Log in</h1>
      <form onSubmit={submit}>
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}
