export function when(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

export function money(amount: string | null | undefined, currency?: string | null): string {
  if (amount == null) return "";
  const number = Number(amount);
  return currency ? number.toLocaleString(undefined, { style: "currency", currency }) : number.toLocaleString();
}
