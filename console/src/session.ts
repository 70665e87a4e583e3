// Who is logged in and what they may do (`me { effectiveGrants }`): what a role may not do is not offered; the server
// refuses it anyway.
import { graphql } from "./gql";
import type { MeQuery } from "./gql/graphql";

export const ME = graphql(`
  query Me {
    me { id name email effectiveGrants { resource action scope } }
    consolePages { path title resource script }
  }
`);

export type Session = NonNullable<MeQuery["me"]> & { pages: MeQuery["consolePages"] };

export function may(session: Session, resource: string, action: "READ" | "WRITE"): boolean {
  return session.effectiveGrants.some((g) => g.resource === resource && g.action === action);
}
