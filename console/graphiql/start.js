// GraphiQL for developers, served at GET /graphql from this server's own files (no CDN: it works where the server
// has no internet access). Log in with the `login` mutation, then put the token in the Headers tab:
// {"Authorization": "Bearer <token>"}.
(function () {
  function fetcher(params, options) {
    var headers = Object.assign({ "Content-Type": "application/json" }, (options && options.headers) || {});
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params) }).then(function (r) { return r.json(); });
  }
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultHeaders: '{"Authorization": "Bearer "}', shouldPersistHeaders: false }),
  );
})();
