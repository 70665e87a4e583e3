// The loyalty programme's page in the CRM's web console. The console was built without this plugin, so the page is a
// plain JavaScript module the server serves from this package (crm.ConsolePage(script=...)); the console imports it
// and calls mount(element, api) when the page is opened, and the function mount returns when it is left.
// api.request(query, variables) posts GraphQL as the logged-in user; api.session.may(resource, action) says what
// they may do; api.navigate(path) opens another page of the console. No build step: what is here is what runs.

/** An element with attributes and children; text is always set as text, never parsed as HTML. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== false && value != null) element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flat().filter((c) => c != null && c !== false).map((c) => (c instanceof Node ? c : String(c))));
  return element;
}

const PROGRAMME = `{ loyaltyProgramme { pointsPerUnit expiryDays silverPoints silverSpend goldPoints goldSpend } }`;
const MEMBERS = `query($search: String) {
  customers(first: 25, orderBy: {field: NAME}, filter: {search: $search}) {
    edges { node { id name loyalty { tier points lifetimePoints nextTier pointsToNextTier } } }
  }
}`;
const REDEEM = `mutation($input: RedeemPointsInput!) {
  redeemPoints(input: $input) { loyalty { tier points } errors { field code message } }
}`;

export function mount(root, api) {
  const status = h("p", { role: "status" });
  const rules = h("p");
  const search = h("input", { type: "search", "aria-label": "Search members", placeholder: "Customer name" });
  const rows = h("tbody");
  const table = h("table", {}, h("caption", {}, "Members"),
                  h("thead", {}, h("tr", {}, ["Customer", "Tier", "Points", "Lifetime points", "Next tier"].map((t) => h("th", {}, t)))), rows);
  const customer = h("select", { id: "redeem-customer" });
  const points = h("input", { id: "redeem-points", type: "number", min: "1" });
  const reason = h("input", { id: "redeem-reason" });
  const errors = { customerId: h("span", { class: "error", id: "redeem-customer-error" }),
                   points: h("span", { class: "error", id: "redeem-points-error" }),
                   reason: h("span", { class: "error", id: "redeem-reason-error" }) };
  const field = (label, input, error) => h("div", { class: "field" }, h("label", { for: input.id }, label), input, error);
  const form = h("form", { class: "card", "aria-label": "Redeem points", onsubmit: redeem },
                 field("Customer", customer, errors.customerId), field("Points", points, errors.points),
                 field("For what", reason, errors.reason), h("button", { type: "submit" }, "Redeem"));
  root.append(h("section", { "aria-labelledby": "loyalty-title" },
                h("h1", { id: "loyalty-title" }, "Loyalty"), rules, h("div", { class: "toolbar" }, search), status, table,
                api.session.may("loyalty_account", "WRITE") ? form : null));

  let timer = 0;
  let stale = false;
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 200); });

  async function load() {
    const data = await api.request(MEMBERS, { search: search.value || null });
    if (stale) return;
    const members = data.customers.edges.map((e) => e.node).filter((c) => c.loyalty);
    rows.replaceChildren(...members.map((c) => h("tr", { "data-member": c.id },
      h("td", {}, h("a", { href: `/app/customers/${encodeURIComponent(c.id)}`,
                           onclick: (event) => { event.preventDefault(); api.navigate(`/customers/${encodeURIComponent(c.id)}`); } }, c.name)),
      h("td", {}, c.loyalty.tier.toLowerCase()), h("td", {}, c.loyalty.points), h("td", {}, c.loyalty.lifetimePoints),
      h("td", {}, c.loyalty.nextTier ? `${c.loyalty.nextTier.toLowerCase()} in ${c.loyalty.pointsToNextTier} points` : ""))));
    const chosen = customer.value;
    customer.replaceChildren(...members.map((c) => h("option", { value: c.id }, `${c.name} (${c.loyalty.points} points)`)));
    if (members.some((c) => c.id === chosen)) customer.value = chosen;
  }

  async function redeem(event) {
    event.preventDefault();
    Object.values(errors).forEach((e) => e.replaceChildren());
    for (const input of [customer, points, reason]) input.removeAttribute("aria-invalid");
    const wanted = Number.parseInt(points.value, 10);
    const { redeemPoints } = await api.request(REDEEM, { input: {
      customerId: customer.value, points: Number.isNaN(wanted) ? 0 : wanted, reason: reason.value } });
    for (const e of redeemPoints.errors) {
      const target = errors[e.field] ?? errors.points;
      target.textContent = e.message;
      target.previousElementSibling?.setAttribute("aria-invalid", "true");
    }
    if (!redeemPoints.errors.length) {
      status.textContent = `Redeemed ${wanted} points: ${redeemPoints.loyalty.points} left.`;
      points.value = "";
      reason.value = "";
      await load();
    }
  }

  api.request(PROGRAMME).then(({ loyaltyProgramme: p }) => {
    if (!stale) rules.textContent = `Points per unit spent: ${p.pointsPerUnit}; they expire after ${p.expiryDays} days. ` +
      `Silver from ${p.silverPoints} points or ${p.silverSpend} spent in a year, gold from ${p.goldPoints} points or ${p.goldSpend}.`;
  });
  load();
  return () => { stale = true; clearTimeout(timer); };
}
