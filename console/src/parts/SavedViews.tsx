// Saved views of a list (the API's savedViews): the caller's own and those their teams share. Choosing one applies its
// filter; the filter on screen can be saved under a name; one's own views can be deleted (softly: the API keeps them).
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, byField, request, type FieldErrors } from "../api";
import { graphql } from "../gql";
import type { SavedViewsQuery } from "../gql/graphql";
import { Field } from "./Field";

const VIEWS = graphql(`
  query SavedViews($list: String!) { savedViews(list: $list) { id name filter mine runs sharedWithTeam { name } } }
`);

const SAVE = graphql(`
  mutation SaveView($input: SaveViewInput!) { saveView(input: $input) { view { id } errors { field code message } } }
`);

const DELETE = graphql(`
  mutation DeleteSavedView($input: IdInput!) { deleteSavedView(input: $input) { errors { field code message } } }
`);

type View = SavedViewsQuery["savedViews"][number];

export function SavedViews<F extends object>({ list, filter, onApply }: { list: string; filter: F; onApply: (filter: F) => void }) {
  const [views, setViews] = useState<View[]>([]);
  const [chosen, setChosen] = useState("");
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => request(VIEWS, { list }).then((d) => setViews(d.savedViews), (e: ApiError) => setProblem(e.message)), [list]);
  useEffect(() => { load(); }, [load]);

  function choose(id: string) {
    setChosen(id);
    const view = views.find((v) => v.id === id);
    if (view) onApply(view.filter as F);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const { saveView } = await request(SAVE, { input: { list, name, filter } });
    setErrors(byField(saveView.errors));
    if (saveView.view) {
      setNaming(false);
      setName("");
      await load();
      setChosen(saveView.view.id);
    }
  }

  async function remove() {
    const { deleteSavedView } = await request(DELETE, { input: { id: chosen } });
    if (deleteSavedView.errors.length) setProblem(deleteSavedView.errors[0].message);
    else { setChosen(""); load(); }
  }

  const current = views.find((v) => v.id === chosen);
  return (
    <div className="toolbar views">
      <label htmlFor={`views-${list}`}>Saved view</label>
      <select id={`views-${list}`} value={chosen} onChange={(e) => choose(e.target.value)}>
        <option value="">none</option>
        {views.map((v) => (
          <option key={v.id} value={v.id} disabled={!v.runs}>
            {v.name}{v.mine ? "" : ` (${v.sharedWithTeam?.name ?? "shared"})`}{v.runs ? "" : " (needs a module that is off)"}
          </option>
        ))}
      </select>
      {current?.mine && <button type="button" onClick={remove}>Delete view</button>}
      {!naming ? <button type="button" onClick={() => setNaming(true)}>Save view…</button> : (
        <form onSubmit={save} aria-label="Save this view" className="inline">
          <Field label="View name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name ?? errors.filter ?? errors[""]} />
          <button type="submit">Save view</button>
          <button type="button" onClick={() => setNaming(false)}>Cancel</button>
        </form>
      )}
      {problem && <p role="alert" className="error">{problem}</p>}
    </div>
  );
}
