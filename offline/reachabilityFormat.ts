/** Text rendering of a reachability report, for `npm run plan` output and review comments. */
import type { ReachabilityReport } from "./reachability";

const CORNER = "from \\ to";
const LEGEND = "yes = reachable both ways, one-way = row reaches column but replies cannot return, no = row cannot reach column, - = same network";

/** Rows are sources, columns destinations; columns are padded so the matrix reads in a monospace font. */
export function formatReachabilityMatrix(report: ReachabilityReport): string {
  const names = report.networks.map((n) => n.name);
  const allowed = new Set(report.flows.filter((f) => f.allowed).map((f) => `${f.from}\u0000${f.to}`));
  const cell = (from: string, to: string): string => {
    if (from === to) return "-";
    if (!allowed.has(`${from}\u0000${to}`)) return "no";
    return allowed.has(`${to}\u0000${from}`) ? "yes" : "one-way";
  };
  const rows = [[CORNER, ...names], ...names.map((from) => [from, ...names.map((to) => cell(from, to))])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  return [...lines, "", LEGEND].join("\n") + "\n";
}
