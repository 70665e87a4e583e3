import { useCallback, useEffect, useState } from "react";
import { ApiError, currentToken, endSession, onTokenChange, request, setToken } from "./api";
import { Link, usePath } from "./router";
import { ME, type Session } from "./session";
import { Login } from "./pages/Login";
import { MyDay } from "./pages/MyDay";
import { Customers } from "./pages/Customers";
import { Customer360 } from "./pages/Customer360";
import { Pipeline } from "./pages/Pipeline";
import { LeadPool } from "./pages/LeadPool";
import { Tickets } from "./pages/Tickets";
import { Stock } from "./pages/Stock";
import { Deal } from "./pages/Deal";
import { Forecast } from "./pages/Forecast";
import { Contracts } from "./pages/Contracts";
import { PluginPage } from "./pages/PluginPage";
import { graphql } from "./gql";

const LOGOUT = graphql(`
  mutation Logout { logout { errors { code } } }
`);

// The pages this build has, by the path modules declare (crm.ConsolePage): a module that is off declares nothing,
// and its entry is not shown.
const PAGES: Record<string, (props: { session: Session }) => JSX.Element> = {
  "/my-day": MyDay,
  "/customers": Customers,
  "/pipeline": Pipeline,
  "/lead-pool": LeadPool,
  "/tickets": Tickets,
  "/stock": Stock,
  "/forecast": Forecast,
  "/contracts": Contracts,
};

// Pages of one record, opened from a list: each needs its list's page to be allowed.
const RECORDS: { pattern: RegExp; list: string; Page: (props: { id: string; session: Session }) => JSX.Element }[] = [
  { pattern: /^\/customers\/([^/]+)$/, list: "/customers", Page: Customer360 },
  { pattern: /^\/deals\/([^/]+)$/, list: "/pipeline", Page: Deal },
];

export function App() {
  // Logged in: by this page's login (a token in memory), or by the session cookie of an earlier one (asked at start).
  const [token, setLocal] = useState(currentToken());
  const [session, setSession] = useState<Session | null | undefined>(undefined);  // undefined: not known yet
  const [problem, setProblem] = useState<string | null>(null);
  const path = usePath();

  useEffect(() => onTokenChange(() => { setLocal(currentToken()); if (!currentToken()) setSession(null); }), []);
  useEffect(() => {
    request(ME).then(
      (data) => setSession(data.me ? { ...data.me, pages: data.consolePages } : null),
      (error: ApiError) => (error.code === "UNAUTHENTICATED" ? setSession(null) : setProblem(error.message)),
    );
  }, [token]);

  const logout = useCallback(async () => {
    await request(LOGOUT).catch(() => undefined);
    await endSession().catch(() => undefined);
    setToken(null);
  }, []);

  if (session === null) return <Login />;
  if (!session) return <main className="loading">{problem ?? "Loading…"}</main>;

  // Only what the server lists: a page of a disabled module, or of records the caller may not read, is not shown
  // even when its address is typed in.
  const known = session.pages.filter((p) => p.path in PAGES || p.script);
  const allowed = new Set(known.map((p) => p.path));
  const record = RECORDS.map((r) => ({ ...r, match: allowed.has(r.list) ? path.match(r.pattern) : null })).find((r) => r.match);
  const shipped = known.find((p) => p.path === path && !(p.path in PAGES) && p.script);  // a plugin's own page
  const Page = allowed.has(path) ? PAGES[path] : record ? null : known[0] ? PAGES[known[0].path] : null;
  return (
    <div className="shell">
      <header>
        <strong>CRM</strong>
        <nav aria-label="Main">
          {known.map((p) => (
            <Link key={p.path} to={p.path} aria-current={path === p.path ? "page" : undefined}>
              {p.title}
            </Link>
          ))}
        </nav>
        <span className="who">{session.name}</span>
        <button type="button" onClick={logout}>Log out</button>
      </header>
      <main>
        {record?.match ? <record.Page id={decodeURIComponent(record.match[1])} session={session} />
          : shipped?.script ? <PluginPage key={shipped.script} script={shipped.script} title={shipped.title} session={session} />
          : Page && <Page session={session} />}
      </main>
    </div>
  );
}
