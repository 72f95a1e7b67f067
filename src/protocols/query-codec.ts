import type { Member, ServiceModel, Shape } from './model.js';
import { shapeOf } from './model.js';
import { readScalar } from './xml-codec.js';
import type { Problems } from './values.js';
import { checkRequired, memberPath, SerdeError, upperFirst } from './values.js';

/**
 * Reads awsQuery and ec2Query request parameters (`Attribute.1.Name=…`) by shape. The two
 * protocols differ only in settings: EC2 names members by `ec2QueryName` and never wraps lists.
 */
export interface QuerySettings { ec2: boolean }

type Node = { value?: string; children: Map<string, Node> };

/** Builds a tree from dotted parameter names so the shape walk can look members up. */
export function queryTree(params: Iterable<[string, string]>): Node {
  const root: Node = { children: new Map() };
  for (const [key, value] of params) {
    let n = root;
    for (const part of key.split('.')) {
      let c = n.children.get(part);
      if (!c) n.children.set(part, (c = { children: new Map() }));
      n = c;
    }
    n.value = value;
  }
  return root;
}

function memberKey(name: string, m: Member, s: QuerySettings): string {
  if (s.ec2) return m.traits?.ec2QueryName ?? upperFirst(m.traits?.xmlName ?? name);
  return m.traits?.xmlName ?? name;
}

/** Reads the input structure `shapeId` from the parameter tree. */
export function readQuery(model: ServiceModel, shapeId: string, root: Node, s: QuerySettings, problems: Problems): Record<string, unknown> {
  return readStruct(model, shapeOf(model, shapeId), root, '', s, problems);
}

function readStruct(model: ServiceModel, shape: Shape, node: Node, path: string, s: QuerySettings, problems: Problems): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const child = node.children.get(memberKey(name, m, s));
    if (!child) continue;
    const v = readValue(model, m, child, memberPath(path, name), s, problems);
    if (v !== undefined) out[name] = v;
  }
  if (shape.type === 'structure') checkRequired(shape, out, path, problems);
  return out;
}

function indexed(node: Node, path: string): Node[] {
  // Sorted pairs, not a sparse array: `Tags.member.4294967295` must not allocate 2^32 slots.
  const pairs: [number, Node][] = [];
  for (const [k, n] of node.children) {
    if (!/^[1-9]\d{0,9}$/.test(k)) throw new SerdeError(path, `invalid list index \`${k}\` at '${path}'`);
    pairs.push([Number(k), n]);
  }
  return pairs.sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

function readValue(model: ServiceModel, m: Member, node: Node, path: string, s: QuerySettings, problems: Problems): unknown {
  const shape = shapeOf(model, m.target);
  switch (shape.type) {
    case 'structure':
    case 'union':
      return readStruct(model, shape, node, path, s, problems);
    case 'list': {
      // An empty list is sent as the bare key with an empty value.
      if (node.value === '' && node.children.size === 0) return [];
      const flat = s.ec2 || m.traits?.xmlFlattened;
      const holder = flat ? node : node.children.get(shape.member!.traits?.xmlName ?? 'member');
      if (!holder) return [];
      return indexed(holder, path).map((n, i) => readValue(model, shape.member!, n, `${path}.${i + 1}.member`, s, problems));
    }
    case 'map': {
      const flat = s.ec2 || m.traits?.xmlFlattened;
      const holder = flat ? node : node.children.get('entry');
      const out: Record<string, unknown> = {};
      if (!holder) return out;
      const kName = shape.key!.traits?.xmlName ?? 'key';
      const vName = shape.value!.traits?.xmlName ?? 'value';
      for (const entry of indexed(holder, path)) {
        const k = entry.children.get(kName)?.value;
        const v = entry.children.get(vName);
        if (k === undefined) continue;
        out[k] = v ? readValue(model, shape.value!, v, `${path}.${k}.member`, s, problems) : undefined;
      }
      return out;
    }
    default:
      if (node.value === undefined) return undefined;
      return readScalar(shape, node.value, path);
  }
}
