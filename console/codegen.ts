// Typed operations: every `graphql(...)` in src is checked against the committed schema and typed; a schema change
// that breaks an operation fails `npm run build` (and CI).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../graphql/schema.graphql",
  documents: ["src/**/*.ts", "src/**/*.tsx", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },  // fragments share fields between operations, not hide them
      config: {
        documentMode: "string",
        scalars: { Date: "string", DateTime: "string", Decimal: "string", JSON: "unknown" },
        enumsAsTypes: true,
        strictScalars: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
