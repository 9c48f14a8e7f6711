/**
 * The reachability picture's model: the matrix cells (route and admitted ports) of the plan's
 * reachability report, and the pairs of networks with an allowed flow in either direction, as
 * `npm run plan` prints them (offline/reachabilityFormat.ts). Pure.
 */
import type { Flow, ReachabilityReport } from "../reachability";
import { compact } from "../reachabilityFormat";

/** The ports of an allowed flow as the matrix shows them: `443,8181`, `none`; `route` when not analysed (into an office). */
export function describeFlowPorts(flow: Flow): string {
  if (!flow.ports) return "routed";
  const ports = [...new Set(flow.ports.map(compact))];
  return ports.length > 0 ? ports.join(",") : "none";
}

export interface MatrixCell {
  /** `yes`, `one-way`, `no`, `-` (same network). */
  route: string;
  /** Ports for an allowed flow (`443,8181`, `none`, `routed`); empty otherwise. */
  ports: string;
}

/** cell(from, to) for every ordered pair of the report's networks. */
export function matrixCell(report: ReachabilityReport, from: string, to: string): MatrixCell {
  if (from === to) return { route: "-", ports: "" };
  const there = report.flows.find((f) => f.from === from && f.to === to);
  if (!there?.allowed) return { route: "no", ports: "" };
  const back = report.flows.find((f) => f.from === to && f.to === from)?.allowed === true;
  return { route: back ? "yes" : "one-way", ports: describeFlowPorts(there) };
}

export interface FlowPair {
  a: string;
  b: string;
  /** The allowed flow a -> b, if any. */
  forward?: Flow;
  backward?: Flow;
}

/** Unordered pairs (in the report's network order) with at least one allowed flow. */
export function flowPairs(report: ReachabilityReport): FlowPair[] {
  const names = report.networks.map((n) => n.name);
  const allowed = (from: string, to: string): Flow | undefined => report.flows.find((f) => f.from === from && f.to === to && f.allowed);
  const pairs: FlowPair[] = [];
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      const forward = allowed(a, b);
      const backward = allowed(b, a);
      if (forward || backward) pairs.push({ a, b, ...(forward ? { forward } : {}), ...(backward ? { backward } : {}) });
    }
  }
  return pairs;
}
