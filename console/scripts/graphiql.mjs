// GraphiQL's page for the server (GET /graphql): GraphiQL's and React's own prebuilt files from the lock file's
// packages, our start script and page style, copied under names carrying their content's hash (cached for a year)
// and a page that loads them. Copies, not a bundle: the same lock file always gives the same files, which CI
// compares with the committed build (rollup bundled GraphiQL's lazily loaded addons differently from run to run).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const out = "../core/web/console";
const files = [
  ["react", "node_modules/react/umd/react.production.min.js", "js"],
  ["react-dom", "node_modules/react-dom/umd/react-dom.production.min.js", "js"],
  ["graphiql", "node_modules/graphiql/dist/index.umd.js", "js"],
  ["graphiql", "node_modules/graphiql/dist/style.css", "css"],
  ["graphiql-page", "graphiql/page.css", "css"],
  ["graphiql-start", "graphiql/start.js", "js"],
];
mkdirSync(`${out}/assets`, { recursive: true });
const tags = files.map(([name, source, kind]) => {
  const body = readFileSync(source);
  const file = `${name}-${createHash("sha256").update(body).digest("base64url").slice(0, 8)}.${kind}`;
  writeFileSync(`${out}/assets/${file}`, body);
  return kind === "css" ? `    <link rel="stylesheet" href="/app/assets/${file}" />` : `    <script src="/app/assets/${file}" defer></script>`;
});
writeFileSync(`${out}/graphiql.html`, `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>GraphiQL · CRM</title>
    <link rel="icon" href="data:," />
${tags.join("\n")}
  </head>
  <body>
    <div id="graphiql"></div>
  </body>
</html>
`);
