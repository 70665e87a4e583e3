export function when(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

export function money(amount: string | null | undefined, currency?: string | null): string {
  if (amount == null) return "";
  const number = Number(amount);
  return currency ? number.toLocaleString(undefined, { style: "currency", currency }) : number.toLocaleString();
}

/** An amount in few characters, for a chart's axis: "€1.5M", "€500K". */
export function compact(amount: number, currency?: string | null): string {
  return amount.toLocaleString(undefined, { notation: "compact", maximumFractionDigits: 1,
                                           ...(currency ? { style: "currency", currency } : {}) });
}

/** Whole days from `from` to `to` (now when left out), as the history tables show them. */
export function days(from: string, to?: string | null, now: Date = new Date()): number {
  const end = to ? new Date(to) : now;
  return Math.floor((end.getTime() - new Date(from).getTime()) / 86_400_000);
}

/** A Date's calendar day in UTC, as the API's Date scalar takes it. */
export function isoDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}

type Target = { remainingMinutes: number; breached: boolean } | null | undefined;

/** Working time left to a target, as an agent reads it: "2 h 5 min left", "missed". */
export function countdown(target: Target): string {
  if (!target) return "";
  if (target.breached) return "missed";
  const hours = Math.floor(target.remainingMinutes / 60);
  const minutes = target.remainingMinutes % 60;
  return `${hours ? `${hours} h ` : ""}${minutes} min left`;
}
