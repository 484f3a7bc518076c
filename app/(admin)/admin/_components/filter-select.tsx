/** One option of a filter: the value sent in the query string, and what the operator reads. */
export interface FilterOption {
  value: string;
  label: string;
}

/**
 * A console list's filter (a GET form's `<select>`): its label above it, "any" first when the
 * filter can be left out, then the options. The same look on every list page.
 */
export function FilterSelect(props: {
  label: string;
  name: string;
  value: string | undefined;
  /** The label of "no filter" (value ""); none when a value is always chosen (e.g. the sort). */
  anyLabel?: string;
  options: readonly FilterOption[];
}) {
  return (
    <label className="text-sm">
      <span className="block">{props.label}</span>
      <select
        name={props.name}
        defaultValue={props.value ?? ""}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {props.anyLabel !== undefined ? <option value="">{props.anyLabel}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
