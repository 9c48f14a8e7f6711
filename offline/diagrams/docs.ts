/**
 * The pictures embedded in docs/ (docs/diagrams/<name>.mmd and .svg), generated from the real
 * plan of all five stacks: `node -r ./scripts/register-ts.cjs offline/diagrams/docs.ts` rewrites
 * them; test/diagrams/docs.test.ts fails when they differ from what the plan draws now.
 */
import * as fs from "fs";
import * as path from "path";
import { OfflineEngine } from "../engine";
import { DEFAULT_PROJECT_DIR } from "../projectDir";
import { analyzeReachability } from "../reachability";
import { STACK_ORDER } from "../stackConfig";
import type { CapturedResource } from "../types";
import { diagramsOfGraphs, renderSvg } from "./index";

export const DOCS_DIAGRAMS_DIR = path.join(DEFAULT_PROJECT_DIR, "docs", "diagrams");

/** Every docs picture file (`network.mmd`, `network.svg`, ...) with its content, for these graphs. */
export async function docsDiagramFiles(graphs: Record<string, readonly CapturedResource[]>): Promise<Map<string, string>> {
  const reachability = analyzeReachability(Object.fromEntries(Object.entries(graphs).map(([k, v]) => [k, [...v]])));
  const files = new Map<string, string>();
  for (const d of diagramsOfGraphs({ graphs, reachability })) {
    files.set(`${d.name}.mmd`, d.mermaid);
    files.set(`${d.name}.svg`, await renderSvg(d.dot));
  }
  return files;
}

async function main(): Promise<void> {
  const engine = new OfflineEngine();
  const graphs: Record<string, CapturedResource[]> = {};
  for (const stack of STACK_ORDER) graphs[stack] = (await engine.run(stack)).resources;
  const files = await docsDiagramFiles(graphs);
  fs.mkdirSync(DOCS_DIAGRAMS_DIR, { recursive: true });
  for (const name of fs.readdirSync(DOCS_DIAGRAMS_DIR)) {
    if (/\.(mmd|svg)$/.test(name) && !files.has(name)) fs.unlinkSync(path.join(DOCS_DIAGRAMS_DIR, name));
  }
  for (const [name, content] of files) fs.writeFileSync(path.join(DOCS_DIAGRAMS_DIR, name), content);
  process.stdout.write(`docs/diagrams: ${[...files.keys()].join(", ")}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
