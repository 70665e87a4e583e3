import { useEffect, useState } from "react";
import { ApiError, request } from "../api";
import { graphql } from "../gql";
import type { ForecastQuery, Period } from "../gql/graphql";
import { BarChart, FunnelChart } from "../parts/charts";
import { compact, isoDate, money } from "../parts/format";
import type { Session } from "../session";

const FORECAST = graphql(`
  query Forecast($period: Period!, $from: Date!, $to: Date!) {
    salesForecast(period: $period, from: $from, to: $to) {
      currency
      rows { key label period weighted bestCase committed closedWon openCount }
    }
  }
`);

const PIPELINES = graphql(`
  query ForecastPipelines { pipelines { id name isDefault } }
`);

const FUNNEL_OF = graphql(`
  query FunnelOf($pipelineId: ID!, $from: Date!, $to: Date!) {
    salesFunnel(pipelineId: $pipelineId, from: $from, to: $to) {
      opportunities won lost open
      stages { reached conversionRate stage { name } }
    }
  }
`);

type Rows = ForecastQuery["salesForecast"]["rows"];
type Funnel = { name: string; data: Awaited<ReturnType<typeof loadFunnel>> };

const RANGES: Record<string, { title: string; period: Period; months: number }> = {
  half: { title: "The next 6 months", period: "MONTH", months: 6 },
  year: { title: "The next 4 quarters", period: "QUARTER", months: 12 },
};

/** Periods in order with the amounts of every owner summed: the chart shows the whole team's forecast. */
export function byPeriod(rows: Rows): { periods: string[]; won: number[]; committed: number[]; weighted: number[]; best: number[] } {
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const sum = (key: "closedWon" | "committed" | "weighted" | "bestCase") =>
    periods.map((p) => rows.filter((r) => r.period === p).reduce((total, r) => total + Number(r[key]), 0));
  return { periods, won: sum("closedWon"), committed: sum("committed"), weighted: sum("weighted"), best: sum("bestCase") };
}

async function loadFunnel(pipelineId: string, from: string, to: string) {
  return (await request(FUNNEL_OF, { pipelineId, from, to })).salesFunnel;
}

/** The forecast by period (won, committed, weighted, best case) and the default pipeline's funnel over the last year. */
export function Forecast(_: { session: Session }) {
  const [range, setRange] = useState("half");
  const [forecast, setForecast] = useState<ForecastQuery["salesForecast"] | null>(null);
  const [funnel, setFunnel] = useState<Funnel | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const { period, months } = RANGES[range];
    const start = new Date();
    start.setUTCDate(1);
    if (period === "QUARTER") start.setUTCMonth(start.getUTCMonth() - (start.getUTCMonth() % 3));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 0));
    request(FORECAST, { period, from: isoDate(start), to: isoDate(end) }).then((d) => setForecast(d.salesForecast),
                                                                               (e: ApiError) => setProblem(e.message));
  }, [range]);

  useEffect(() => {
    const to = new Date();
    const from = new Date(Date.UTC(to.getUTCFullYear() - 1, to.getUTCMonth(), to.getUTCDate() + 1));
    request(PIPELINES).then(async ({ pipelines }) => {
      const pipeline = pipelines.find((p) => p.isDefault) ?? pipelines[0];
      if (pipeline) setFunnel({ name: pipeline.name, data: await loadFunnel(pipeline.id, isoDate(from), isoDate(to)) });
    }).catch((e: ApiError) => setProblem(e.message));
  }, []);

  const sums = forecast && byPeriod(forecast.rows);
  const format = (n: number) => money(String(Math.round(n)), forecast?.currency);
  return (
    <section aria-labelledby="forecast-title">
      <h1 id="forecast-title">Forecast</h1>
      {problem && <p role="alert" className="error">{problem}</p>}
      <div className="toolbar">
        <label htmlFor="range">Periods</label>
        <select id="range" value={range} onChange={(e) => setRange(e.target.value)}>
          {Object.entries(RANGES).map(([key, r]) => <option key={key} value={key}>{r.title}</option>)}
        </select>
      </div>
      {sums && (sums.periods.length === 0 ? <p>No deal is expected to close in these periods.</p> : (
        <BarChart title={`Expected revenue in ${forecast.currency}: won, committed (at least 70 % likely), weighted by probability and best case`}
                  labels={sums.periods} format={format} short={(n) => compact(n, forecast.currency)}
                  series={[{ name: "Won", values: sums.won }, { name: "Committed", values: sums.committed },
                           { name: "Weighted", values: sums.weighted }, { name: "Best case", values: sums.best }]} />
      ))}
      {funnel && (
        <FunnelChart title={`${funnel.name}: deals opened in the last 12 months (${funnel.data.opportunities}; ${funnel.data.won} won, ` +
                            `${funnel.data.lost} lost, ${funnel.data.open} open), by the furthest stage they reached`}
                     steps={funnel.data.stages.map((s) => ({ label: s.stage.name, reached: s.reached, rate: s.conversionRate ?? null }))} />
      )}
    </section>
  );
}
