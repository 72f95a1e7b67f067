/**
 * Parsed expressions, with placeholders already substituted: a path is a list of attribute
 * names and list indexes, a value is the attribute value `:x` stood for.
 */
import type { AttributeValue } from './values.js';

export type PathElement = string | number;
export type Path = PathElement[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue; ref: string }
  | { kind: 'size'; path: Path }
  | { kind: 'if_not_exists'; path: Path; fallback: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'arith'; op: '+' | '-'; left: Operand; right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; arg: Condition }
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; arg: Operand; low: Operand; high: Operand }
  | { kind: 'in'; arg: Operand; list: Operand[] }
  | { kind: 'function'; name: ConditionFunction; args: Operand[] };

export type ConditionFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

export type UpdateAction =
  | { kind: 'SET'; path: Path; value: Operand }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

/** Placeholders of a request and which of them expressions used (AWS rejects unused ones). */
export interface Placeholders {
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
  usedNames: Set<string>;
  usedValues: Set<string>;
}

/** How AWS prints a path in overlap messages: `[a, b, [0]]`. */
export function showPath(p: Path): string {
  return `[${p.map((e) => (typeof e === 'number' ? `[${e}]` : e)).join(', ')}]`;
}
