import type { Area } from '../api/areas.ts';

export interface AreaNode {
  id: string;
  label: string;
  area: Area;
  children: AreaNode[];
}

/** A node the area picker (components/area-select.vue) shows: an AreaNode, or one marked disabled. */
export interface AreaOption {
  id: string;
  label: string;
  disabled?: boolean;
  children?: AreaOption[];
}

const byOrder = (a: AreaNode, b: AreaNode) =>
  a.area.sort - b.area.sort || a.label.localeCompare(b.label, 'zh-CN');

/**
 * Builds the tree from the flat list the API returns. A node whose parent is not in the list is a
 * root: for a scoped user those are the roots of the granted subtrees.
 */
export function buildAreaTree(items: readonly Area[]): AreaNode[] {
  const nodes = new Map<string, AreaNode>();
  for (const area of items) nodes.set(area.id, { id: area.id, label: area.name, area, children: [] });
  const roots: AreaNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.area.parentId ? nodes.get(node.area.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sortDeep = (list: AreaNode[]) => {
    list.sort(byOrder);
    for (const n of list) sortDeep(n.children);
  };
  sortDeep(roots);
  return roots;
}

/** The ids of `id` and everything below it in the flat list. */
export function subtreeIds(items: readonly Area[], id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const a of items) {
    if (!a.parentId) continue;
    const list = children.get(a.parentId) ?? [];
    list.push(a.id);
    children.set(a.parentId, list);
  }
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}
