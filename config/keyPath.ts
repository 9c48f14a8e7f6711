/** How a config issue names its key: `tila-platform:data.clusters[4].instanceType`. */
import { PROJECT } from "./schema";

export function keyPath(path: readonly PropertyKey[]): string {
  let out = `${PROJECT}:`;
  path.forEach((p, i) => {
    if (typeof p === "number") out += `[${p}]`;
    else out += i === 0 ? String(p) : `.${String(p)}`;
  });
  return out;
}
