// Matching one branch against a flattened event, and saying why it failed.
import type { Branch, FieldSpec } from './compile.js';
import { compatible, type FlatEvent } from './flatten.js';
import type { Leaf } from './matchers.js';

type Candidates = readonly Leaf[] | 'absent-ok' | undefined;

/**
 * Per-event memo of field tests by {@link FieldSpec.key}: many rules repeat the same
 * condition (`"source": ["aws.ec2"]`), which is then evaluated once per event.
 */
export type FieldCache = Map<string, Candidates | null>;

/** Leaves of one field that some matcher accepts; undefined when the field fails outright. */
function candidates(spec: FieldSpec, flat: FlatEvent, cache?: FieldCache): Candidates {
  if (cache === undefined) return test(spec, flat);
  const hit = cache.get(spec.key);
  if (hit !== undefined) return hit ?? undefined;
  const r = test(spec, flat);
  cache.set(spec.key, r ?? null);
  return r;
}

function test(spec: FieldSpec, flat: FlatEvent): Candidates {
  const leaves = flat.leaves(spec.path);
  if (leaves.length === 0) return spec.absent ? 'absent-ok' : undefined;
  let out: Leaf[] | undefined;
  for (const leaf of leaves) {
    for (const m of spec.matchers) {
      if (m.test(leaf)) {
        (out ??= []).push(leaf);
        break;
      }
    }
  }
  return out;
}

// A field with any candidate outside every array is compatible with anything, so only fields
// whose candidates all sit in arrays take part in the search.
/** Backtracking search for one leaf per field, all from the same elements of shared arrays. */
function consistent(lists: ReadonlyArray<readonly Leaf[]>): boolean {
  const constrained = lists.filter((l) => l.every((leaf) => leaf.trail.length > 0)).sort((a, b) => a.length - b.length);
  if (constrained.length < 2) return true;
  const chosen: Array<readonly number[]> = [];
  const pick = (i: number): boolean => {
    if (i === constrained.length) return true;
    for (const leaf of constrained[i] as readonly Leaf[]) {
      if (chosen.every((t) => compatible(t, leaf.trail))) {
        chosen.push(leaf.trail);
        if (pick(i + 1)) return true;
        chosen.pop();
      }
    }
    return false;
  };
  return pick(0);
}

/** True when every field of the branch matches the event. */
export function matchBranch(branch: Branch, flat: FlatEvent, cache?: FieldCache): boolean {
  const lists: Array<readonly Leaf[]> = [];
  for (const spec of branch.values()) {
    const c = candidates(spec, flat, cache);
    if (c === undefined) return false;
    if (c !== 'absent-ok') lists.push(c);
  }
  return !flat.hasArrays || lists.length < 2 || consistent(lists);
}

/** Why one branch did or did not match. */
export interface BranchVerdict {
  readonly matched: boolean;
  /** Fields that matched before the first failure (for choosing which branch to report). */
  readonly satisfied: number;
  readonly field?: string;
  readonly reason: string;
}

const MAX_SHOWN = 4;

function show(values: readonly string[]): string {
  const head = values.slice(0, MAX_SHOWN).join(', ');
  return values.length > MAX_SHOWN ? `${head}, … (${values.length} in all)` : head;
}

/** Explains one branch: the first failing field and why, or the fields that matched. */
export function explainBranch(branch: Branch, flat: FlatEvent): BranchVerdict {
  const lists: Array<readonly Leaf[]> = [];
  const names: string[] = [];
  let satisfied = 0;
  for (const spec of branch.values()) {
    const c = candidates(spec, flat);
    const f = `\`${spec.path}\``;
    const want = show(spec.matchers.map((m) => m.text));
    if (c === undefined) {
      const leaves = flat.leaves(spec.path);
      let reason: string;
      if (leaves.length === 0) reason = `field ${f} is absent; the pattern needs one of [${want}]`;
      else if (spec.matchers.length === 0) reason = `field ${f} is present (${show(leaves.map((l) => JSON.stringify(l.value)))}) but the pattern requires it to be absent`;
      else reason = `field ${f} has ${show(leaves.map((l) => JSON.stringify(l.value)))}; none matches [${want}]`;
      return { matched: false, satisfied, field: spec.path, reason };
    }
    satisfied++;
    names.push(f);
    if (c !== 'absent-ok') lists.push(c);
  }
  if (flat.hasArrays && lists.length > 1 && !consistent(lists)) {
    return { matched: false, satisfied, reason: `fields ${names.join(', ')} match only in different elements of the same array` };
  }
  const reason = names.length === 0 ? 'the pattern has no fields: every event matches' : `every field matched: ${names.join(', ')}`;
  return { matched: true, satisfied, reason };
}
