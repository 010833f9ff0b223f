// Label selectors: the API's query syntax built from matchLabels/matchExpressions, and matching labels against one.
import type { LabelSelector } from './types.js';

const SET_OPS: Record<string, string> = { In: 'in', NotIn: 'notin' };

/**
 * `app=web,tier in (a,b),!legacy`: the `labelSelector` query parameter for a selector, or undefined when an
 * expression uses an operator the API does not know (the object could not have been admitted with it).
 */
export function selectorText(selector: LabelSelector): string | undefined {
  const terms = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const set = SET_OPS[e.operator];
    if (set) {
      if (!e.values || e.values.length === 0) return undefined;
      terms.push(`${e.key} ${set} (${[...e.values].sort().join(',')})`);
    } else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
    else return undefined;
  }
  return terms.join(',');
}

/** Whether `labels` satisfy the selector (an empty selector selects everything, as in a PodDisruptionBudget). */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const inValues = has && value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
