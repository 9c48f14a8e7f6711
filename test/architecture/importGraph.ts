/**
 * The repository's import graph, read from the sources (type-only imports included: a circle of
 * types is still a circle a reader has to untangle): each TypeScript file's relative imports and
 * re-exports, resolved to files. Used by the layout test; pure apart from reading files.
 */
import * as fs from "fs";
import * as path from "path";

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|(?:import|require)\(\s*["']([^"']+)["']\s*\)/g;

/** Every .ts file under `dirs` (relative to `root`), skipping node_modules and declaration files. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(path.relative(root, p));
    }
  };
  for (const d of dirs) {
    const abs = path.join(root, d);
    if (fs.existsSync(abs)) (fs.statSync(abs).isDirectory() ? walk(abs) : out.push(d));
  }
  return out.sort();
}

/** The relative specifiers a source imports or re-exports (comments are not stripped: none of ours quote an import). */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) {
    const s = m[1] ?? m[2];
    if (s !== undefined && s.startsWith(".")) out.push(s);
  }
  return out;
}

/** `from` (a repository-relative file) importing `spec`, resolved to a repository-relative .ts file, or undefined. */
export function resolve(root: string, from: string, spec: string): string | undefined {
  const base = path.join(path.dirname(path.join(root, from)), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(root, candidate);
  }
  return undefined;
}

/** file -> the repository files it imports. */
export function importGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = specifiers(fs.readFileSync(path.join(root, f), "utf8")).flatMap((s) => resolve(root, f, s) ?? []);
    graph.set(f, [...new Set(deps)].sort());
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): the circles. */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
