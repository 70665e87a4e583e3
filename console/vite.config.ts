/// <reference types="vitest" />
// Built into the Python package (core/web/console), served by the server under /app: no Node.js where it runs.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/app/",
  build: {
    outDir: "../core/web/console", emptyOutDir: true, assetsDir: "assets", modulePreload: { polyfill: false },
    // Two pages: the console, and GraphiQL for developers (its own, larger bundle, loaded only at /graphql).
    rollupOptions: { input: { console: "index.html", graphiql: "graphiql.html" } },
    chunkSizeWarningLimit: 800,  // GraphiQL's editor is one large chunk, loaded only by developers at /graphql
  },
  server: { proxy: { "/graphql": "http://127.0.0.1:8000" } },
  test: { environment: "jsdom", globals: true },
});
