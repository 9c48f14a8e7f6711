/**
 * `npm run plan -- --diagrams <dir>`: writes each picture as `<name>.mmd` (Mermaid) and
 * `<name>.svg` (rendered offline) into `<dir>`, under the rules of the plan's `--out` folder
 * (offline/outDir.ts): checked before any stack runs, marked `.tila-plan`, a non-empty unmarked
 * folder refused, nothing written through a symbolic link, and only files an earlier `--diagrams`
 * run listed in `diagrams.json` ever removed.
 */
import * as fs from "fs";
import * as path from "path";
import { PLAN_MARKER, checkOutDir, lstat } from "../outDir";
import { Diagram, renderSvg } from "./index";

/** What the latest `--diagrams` run wrote here, so the next one knows what it may remove. */
export const DIAGRAMS_INDEX = "diagrams.json";
const DIAGRAM_FILE = /^[a-z0-9][a-z0-9-]*\.(mmd|svg)$/;
const MARKER_TEXT =
  "This folder is an output of `npm run plan` (tila-platform).\n" +
  `The plan removes only files it writes here (listed in index.json or ${DIAGRAMS_INDEX}); anything else is left alone.\n`;

export function isDiagramFile(name: string): boolean {
  return DIAGRAM_FILE.test(name);
}

/** Why `dir` cannot take the pictures (the `--out` rules, named for `--diagrams`), or undefined. Creates nothing. */
export function checkDiagramsDir(dir: string): string | undefined {
  const problem = checkOutDir(dir);
  return problem?.replace(/^--out /, "--diagrams ");
}

export interface DiagramsReport {
  written: string[];
  removed: string[];
  errors: { file: string; message: string }[];
}

function previousFiles(dir: string): string[] {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(dir, DIAGRAMS_INDEX), "utf8")) as { files?: unknown };
    return Array.isArray(index.files) ? index.files.filter((f): f is string => typeof f === "string" && isDiagramFile(f)) : [];
  } catch {
    return [];
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Renders and writes `diagrams` into `dir`; errors are collected, not thrown. */
export async function writeDiagrams(diagrams: readonly Diagram[], dir: string): Promise<DiagramsReport> {
  const report: DiagramsReport = { written: [], removed: [], errors: [] };
  try {
    // The plan took a while: the folder may have changed since it was checked.
    const why = checkDiagramsDir(dir);
    if (why) throw new Error(why);
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, PLAN_MARKER))) fs.writeFileSync(path.join(dir, PLAN_MARKER), MARKER_TEXT);
  } catch (e) {
    report.errors.push({ file: dir, message: message(e) });
    return report;
  }
  const files: { name: string; content: () => Promise<string> }[] = diagrams.flatMap((d) => [
    { name: `${d.name}.mmd`, content: async () => d.mermaid },
    { name: `${d.name}.svg`, content: () => renderSvg(d.dot) },
  ]);
  const current = new Set(files.map((f) => f.name));
  for (const name of previousFiles(dir).filter((f) => !current.has(f))) {
    const target = path.join(dir, name);
    const st = lstat(target);
    if (!st || st.isDirectory()) continue;
    try {
      fs.unlinkSync(target);
      report.removed.push(name);
    } catch (e) {
      report.errors.push({ file: name, message: message(e) });
    }
  }
  for (const file of files) {
    try {
      const content = await file.content();
      const target = path.join(dir, file.name);
      // A link here would make the write land elsewhere: replace the link, never its target.
      if (lstat(target)?.isSymbolicLink()) fs.unlinkSync(target);
      fs.writeFileSync(target, content);
      report.written.push(file.name);
    } catch (e) {
      report.errors.push({ file: file.name, message: message(e) });
    }
  }
  try {
    fs.writeFileSync(path.join(dir, DIAGRAMS_INDEX), JSON.stringify({ writtenBy: "npm run plan -- --diagrams", files: report.written }, null, 2) + "\n");
  } catch (e) {
    report.errors.push({ file: DIAGRAMS_INDEX, message: message(e) });
  }
  return report;
}
