// Types for the README's operations, generated from the committed schema: a schema change that breaks one of them
// fails `npm run check` (and .ci/run), as it would break a front-end built on them.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../graphql/schema.graphql",
  documents: "operations/*.graphql",
  generates: {
    "generated/operations.ts": {
      plugins: ["typescript", "typescript-operations"],
      config: {
        scalars: { Date: "string", DateTime: "string", Decimal: "string", JSON: "unknown" },
        enumsAsTypes: true,
        strictScalars: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
      },
    },
  },
};

export default config;
