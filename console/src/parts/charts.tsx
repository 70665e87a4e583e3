// Two small charts drawn as SVG by hand (a charting library would weigh more than the whole console). Each figure says
// what it shows in words for screen readers and keeps its numbers in a table under "Figures", so no number is only a
// bar's length; series differ by pattern position and legend as well as by colour.
import type { ReactNode } from "react";

/** A round upper bound for an axis and its ticks: 0, half and the bound (1, 2 or 5 times a power of ten). */
export function axis(max: number): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const power = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max) ?? 10 * power;
  return { top, ticks: [0, top / 2, top] };
}

export type Series = { name: string; values: number[] };
export type Bar = { series: number; category: number; x: number; y: number; width: number; height: number };

/** Where each bar of a grouped bar chart goes in a `width` x `height` plot: categories side by side, the series of a
 * category next to each other, heights on the axis `top`. */
export function layout(categories: number, series: Series[], width: number, height: number, top: number): Bar[] {
  const group = width / Math.max(categories, 1);
  const bar = (group * 0.8) / Math.max(series.length, 1);
  const bars: Bar[] = [];
  series.forEach((s, j) => s.values.forEach((value, i) => {
    const h = top > 0 ? (Math.max(value, 0) / top) * height : 0;
    bars.push({ series: j, category: i, x: i * group + group * 0.1 + j * bar, y: height - h, width: bar, height: h });
  }));
  return bars;
}

const W = 720, H = 260, TOP = 12, LEFT = 72, BOTTOM = 28;  // room for the axis' labels

/** `format` writes the figures; `short` the axis' labels, where there is less room (e.g. "€500K"). */
export function BarChart({ title, labels, series, format, short = format }: { title: string; labels: string[]; series: Series[];
                                                                              format: (n: number) => string; short?: (n: number) => string }) {
  const { top, ticks } = axis(Math.max(0, ...series.flatMap((s) => s.values)));
  const bars = layout(labels.length, series, W - LEFT, H - TOP - BOTTOM, top);
  const group = (W - LEFT) / Math.max(labels.length, 1);
  return (
    <Figure title={title} table={<DataTable labels={labels} series={series} format={format} />}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart" aria-hidden="true" focusable="false">
        {ticks.map((t) => {
          const y = TOP + (H - TOP - BOTTOM) * (1 - t / top);
          return (
            <g key={t}>
              <line x1={LEFT} x2={W} y1={y} y2={y} className="grid" />
              <text x={LEFT - 6} y={y + 4} textAnchor="end">{short(t)}</text>
            </g>
          );
        })}
        {bars.map((b) => <rect key={`${b.series}-${b.category}`} className={`tone-${b.series}`} x={LEFT + b.x} y={TOP + b.y}
                               width={b.width} height={b.height} />)}
        {labels.map((label, i) => <text key={label} x={LEFT + i * group + group / 2} y={H - 8} textAnchor="middle">{label}</text>)}
      </svg>
      <ul className="legend">{series.map((s, j) => <li key={s.name}><span className={`swatch tone-${j}`} />{s.name}</li>)}</ul>
    </Figure>
  );
}

/** A stage, how many reached it, and the part of those that went on to the next (null for the last). */
export type FunnelStep = { label: string; reached: number; rate: number | null };

const percent = (rate: number | null) => (rate == null ? "" : `${Math.round(rate * 100)} %`);

/** How many got to each stage, as bars narrowing from the first. */
export function FunnelChart({ title, steps }: { title: string; steps: FunnelStep[] }) {
  const first = Math.max(1, ...steps.map((s) => s.reached));
  const row = 34;
  return (
    <Figure title={title} table={
      <table><thead><tr><th>Stage</th><th>Reached</th><th>Went on to the next</th></tr></thead>
        <tbody>{steps.map((s) => <tr key={s.label}><td>{s.label}</td><td>{s.reached}</td><td>{percent(s.rate)}</td></tr>)}</tbody></table>
    }>
      <svg viewBox={`0 0 ${W} ${steps.length * row}`} className="chart" aria-hidden="true" focusable="false">
        {steps.map((s, i) => {
          const width = ((W - 260) * s.reached) / first;
          return (
            <g key={s.label} transform={`translate(0 ${i * row})`}>
              <text x={150} y={21} textAnchor="end">{s.label}</text>
              <rect className="tone-0" x={160 + (W - 260 - width) / 2} y={4} width={width} height={row - 8} />
              <text x={W - 90} y={21}>{s.reached}{s.rate != null && ` · ${percent(s.rate)} on`}</text>
            </g>
          );
        })}
      </svg>
    </Figure>
  );
}

function Figure({ title, table, children }: { title: string; table: ReactNode; children: ReactNode }) {
  return (
    <figure className="card">
      <figcaption>{title}</figcaption>
      {children}
      <details><summary>Figures</summary>{table}</details>
    </figure>
  );
}

function DataTable({ labels, series, format }: { labels: string[]; series: Series[]; format: (n: number) => string }) {
  return (
    <table>
      <thead><tr><th>Period</th>{series.map((s) => <th key={s.name}>{s.name}</th>)}</tr></thead>
      <tbody>
        {labels.map((label, i) => (
          <tr key={label}><td>{label}</td>{series.map((s) => <td key={s.name}>{format(s.values[i] ?? 0)}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}
