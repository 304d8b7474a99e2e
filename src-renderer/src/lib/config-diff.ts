/**
 * Which config fields differ between runs. Configs are flattened to dotted paths of their
 * leaves; arrays are leaves (a layer list or a mixture's means reads best whole, and two lists
 * of different lengths should be one row, not a row per index).
 */

/** A leaf's text as it shows in the diff: JSON, so strings keep their quotes and arrays their brackets. */
export type FlatConfig = Map<string, string>;

export function flattenConfig(value: unknown, prefix = '', out: FlatConfig = new Map()): FlatConfig {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>))
      flattenConfig(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

export interface DiffRow {
  path: string;
  /** One per config, in order; undefined where that config lacks the field. */
  values: (string | undefined)[];
}

/** The fields whose values are not the same in every config, in the order they first appear. */
export function diffConfigs(configs: readonly unknown[]): DiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const paths = new Set<string>();
  for (const f of flat) for (const path of f.keys()) paths.add(path);
  const rows: DiffRow[] = [];
  for (const path of paths) {
    const values = flat.map((f) => f.get(path));
    if (values.some((v) => v !== values[0])) rows.push({ path, values });
  }
  return rows;
}
