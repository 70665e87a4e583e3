// A page a plugin ships itself (crm.ConsolePage(script=...)): a plugin installed with pip after this console was built
// brings its own JavaScript module, served by the server from the plugin's package. The console imports it and calls
//   mount(element, { request(query, variables), session, navigate }) -> optional cleanup
// where `request` posts GraphQL as the logged-in user (the same token, errors thrown as ApiError) and `session` is who
// is logged in with their grants. See docs/plugins.md, "A page of your own".
import { useEffect, useRef, useState } from "react";
import { requestText } from "../api";
import { navigate } from "../router";
import { may, type Session } from "../session";

type Mount = (element: HTMLElement, api: PageApi) => void | (() => void);
export type PageApi = {
  request: (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  session: { id: string; name: string; may: (resource: string, action: "READ" | "WRITE") => boolean };
  navigate: (path: string) => void;
};

export function PluginPage({ script, title, session }: { script: string; title: string; session: Session }) {
  const box = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let cleanup: void | (() => void);
    let gone = false;
    setProblem(null);
    import(/* @vite-ignore */ script).then((module: { mount?: Mount }) => {
      if (gone || !box.current) return;
      if (typeof module.mount !== "function") throw new Error("its script has no mount function");
      box.current.replaceChildren();
      cleanup = module.mount(box.current, {
        request: requestText,
        session: { id: session.id, name: session.name, may: (resource, action) => may(session, resource, action) },
        navigate,
      });
    }).catch((e: Error) => !gone && setProblem(`The page ${title} could not be shown: ${e.message}`));
    return () => {
      gone = true;
      if (typeof cleanup === "function") cleanup();
    };
  }, [script, title, session]);

  return (
    <>
      {problem && <p role="alert" className="error">{problem}</p>}
      <div ref={box} className="plugin-page" />
    </>
  );
}
