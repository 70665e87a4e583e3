// A front-end's use of the generated types: it compiles only while the operations still fit the schema.
import type { CustomersWithTimelineQuery, EnablePluginMutation, ForecastAndSegmentsQuery, LoginMutation } from "./generated/operations";

export function tokenOf(answer: LoginMutation): string | null {
  return answer.login.errors.length ? null : answer.login.token ?? null;
}

export function names(answer: CustomersWithTimelineQuery): string[] {
  return answer.customers.edges.map((edge) => `${edge.node.name} (${edge.node.owner?.name ?? "no owner"})`);
}

export function closedWon(answer: ForecastAndSegmentsQuery): number {
  return answer.salesForecast.rows.reduce((sum, row) => sum + Number(row.closedWon), 0);
}

export function enabled(answer: EnablePluginMutation): string[] {
  return answer.enablePlugin.plugins.filter((p) => p.enabled).map((p) => p.name);
}
