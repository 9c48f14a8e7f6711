/** Text rendering of a reachability report, for `npm run plan` output and review comments. */
import type { AdmittedPorts } from "./portReachability";
import type { ReachabilityReport } from "./reachability";

const CORNER = "from \\ to";
const LEGEND = [
  "yes = reachable both ways, one-way = row reaches column but replies cannot return, no = row cannot reach column, - = same network",
  "after yes/one-way: the ports the column's security groups admit from the row's CIDRs (TCP unless marked udp:, icmp or other;",
  "all = every protocol and port; * = from part of the row's CIDRs only; none = routed but no group admits the row);",
  "no ports into an office: its firewalls are not part of the plan",
];

/** One port entry as a matrix cell shows it: `443`, `8000-8100`, `udp:53`, `tcp:all`, `all`, `icmp`, `other`, `*` when partial. */
export function compact(p: AdmittedPorts): string {
  const text = p.protocol === "all" ? "all"
    : p.protocol === "tcp" ? (p.ports === "all" ? "tcp:all" : p.ports)
      : p.protocol === "udp" ? `udp:${p.ports}`
        : p.protocol;
  return p.partial ? `${text}*` : text;
}

/** Rows are sources, columns destinations; columns are padded so the matrix reads in a monospace font. */
export function formatReachabilityMatrix(report: ReachabilityReport): string {
  const names = report.networks.map((n) => n.name);
  const flows = new Map(report.flows.map((f) => [`${f.from}\u0000${f.to}`, f]));
  const cell = (from: string, to: string): string => {
    if (from === to) return "-";
    const there = flows.get(`${from}\u0000${to}`);
    if (!there?.allowed) return "no";
    const route = flows.get(`${to}\u0000${from}`)?.allowed ? "yes" : "one-way";
    if (!there.ports) return route;
    // One entry per protocol and text: two ranges that read the same (an ICMP type/code pair) show once.
    const ports = [...new Set(there.ports.map(compact))];
    return `${route} ${ports.length > 0 ? ports.join(",") : "none"}`;
  };
  const rows = [[CORNER, ...names], ...names.map((from) => [from, ...names.map((to) => cell(from, to))])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  return [...lines, "", ...LEGEND].join("\n") + "\n";
}
