/**
 * Which compare galleries share an axis box: those whose runs trained on the same data config.
 * Shared axes let the eye compare like with like (the same point sits at the same place in each);
 * across different datasets they only squash one (a mixture's ±6 box makes a swiss roll a blob).
 */

/**
 * One frame per group of items with the same `dataKey`, computed by `frame` from the group's
 * items in their order; each item's id maps to its group's frame.
 */
export function framesByData<T extends { id: number; dataKey: string }, F>(items: readonly T[], frame: (group: readonly T[]) => F): Map<number, F> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.dataKey);
    if (group) group.push(item);
    else groups.set(item.dataKey, [item]);
  }
  const out = new Map<number, F>();
  for (const group of groups.values()) {
    const shared = frame(group);
    for (const item of group) out.set(item.id, shared);
  }
  return out;
}

/** The key under which two runs' data count as the same: their data configs, written out in full (the parsed configs' field order is the schema's). */
export const dataKeyOf = (dataConfig: unknown): string => JSON.stringify(dataConfig);
