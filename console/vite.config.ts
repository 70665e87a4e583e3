/// <reference types="vitest" />
// Built into the Python package (core/web/console), served by the server under /app: no Node.js where it runs.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/app/",
  build: {
    outDir: "../core/web/console", emptyOutDir: true, assetsDir: "assets", modulePreload: { polyfill: false },
    // The console; GraphiQL's page is put beside it by scripts/graphiql.mjs.
    rollupOptions: { input: { console: "index.html" } },
  },
  server: { proxy: { "/graphql": "http://127.0.0.1:8000" } },
  test: { environment: "jsdom", globals: true },
});
