// supervisord's diff_to_active(): which groups a re-read config adds, changes or removes.
import type { GroupConfig } from '../config/model.js';
import type { ConfigDiff } from './control.js';

/** Structural equality of two group configs (plain frozen data). */
export function sameGroupConfig(a: GroupConfig, b: GroupConfig): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return value;
  });
}

/** added/changed in the new config's order, removed in the active order. */
export function diffGroups(active: readonly GroupConfig[], next: readonly GroupConfig[]): ConfigDiff {
  const cur = new Map(active.map((g) => [g.name, g]));
  const nxt = new Map(next.map((g) => [g.name, g]));
  return {
    added: next.filter((g) => !cur.has(g.name)).map((g) => g.name),
    changed: next.filter((g) => cur.has(g.name) && !sameGroupConfig(cur.get(g.name)!, g)).map((g) => g.name),
    removed: active.filter((g) => !nxt.has(g.name)).map((g) => g.name),
  };
}
