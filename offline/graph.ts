/** Walking the parent links of a captured graph. Pure; shared by the plan summaries and the tests. */
import { CapturedResource } from "./types";

/** Direct children of `parentUrn`, optionally of one type. */
export function childrenOf(resources: readonly CapturedResource[], parentUrn: string, type?: string): CapturedResource[] {
  return resources.filter((r) => r.parent === parentUrn && (type === undefined || r.type === type));
}

/** Every resource below `rootUrn`, depth first. */
export function descendants(resources: readonly CapturedResource[], rootUrn: string): CapturedResource[] {
  const children = new Map<string, CapturedResource[]>();
  for (const r of resources) if (r.parent) (children.get(r.parent) ?? children.set(r.parent, []).get(r.parent)!).push(r);
  const out: CapturedResource[] = [];
  const walk = (urn: string): void => {
    for (const c of children.get(urn) ?? []) {
      out.push(c);
      walk(c.urn);
    }
  };
  walk(rootUrn);
  return out;
}
