/**
 * The plan's pictures: `diagramsOf(plan)` builds every picture's Mermaid and DOT source from the
 * captured graphs (the network when the management hub ran, one per environment that ran, the
 * reachability matrix when every stack ran); `renderSvg` turns DOT into SVG with Graphviz compiled
 * to WebAssembly (@viz-js/viz), loaded only when a picture is rendered, so a plan without
 * `--diagrams` never pays for it.
 */
import type { PlanResult } from "../plan";
import type { ReachabilityReport } from "../reachability";
import type { CapturedResource } from "../types";
import { environmentDot, networkDot, reachabilityDot } from "./dot";
import { environmentModel } from "./environmentModel";
import { environmentMermaid, networkMermaid, reachabilityMermaid } from "./mermaid";
import { byStack, networkModel } from "./networkModel";

export interface Diagram {
  /** File name without extension: `network`, `services-prod`, `reachability`. */
  name: string;
  /** One line saying what the picture shows. */
  title: string;
  mermaid: string;
  dot: string;
}

export interface DiagramInput {
  graphs: Record<string, readonly CapturedResource[]>;
  reachability?: ReachabilityReport;
}

/** The pictures of these captured graphs, in a fixed order: network, services per environment, reachability. */
export function diagramsOfGraphs(input: DiagramInput): Diagram[] {
  const stacks = Object.keys(input.graphs).sort(byStack);
  const out: Diagram[] = [];
  const hasVpc = stacks.some((s) => input.graphs[s].some((r) => r.type === "aws:ec2/vpc:Vpc"));
  if (hasVpc) {
    const officeCidrs = Object.fromEntries((input.reachability?.networks ?? []).filter((n) => n.kind === "office").map((n) => [n.name, n.cidrs]));
    const model = networkModel({ graphs: input.graphs, officeCidrs });
    out.push({ name: "network", title: "The network: management hub, environment VPCs (tiers by AZ), Transit Gateway route tables, office VPNs, endpoints", mermaid: networkMermaid(model), dot: networkDot(model) });
  }
  for (const stack of stacks) {
    const model = environmentModel(stack, input.graphs[stack]);
    if (model.services.length === 0 && model.albs.length === 0) continue;
    out.push({ name: `services-${stack}`, title: `${stack}: load balancers, services and the data resources each reaches (from the security-group chain)`, mermaid: environmentMermaid(model), dot: environmentDot(model) });
  }
  if (input.reachability) {
    out.push({ name: "reachability", title: "Reachability between VPCs and offices, with the ports each destination admits", mermaid: reachabilityMermaid(input.reachability), dot: reachabilityDot(input.reachability) });
  }
  return out;
}

/** The pictures of a plan run (its successful stacks). The diff-report engineer's Markdown report embeds `mermaid`. */
export function diagramsOf(plan: Pick<PlanResult, "runs" | "reachability">): Diagram[] {
  const graphs = Object.fromEntries(Object.entries(plan.runs).map(([stack, run]) => [stack, run.resources]));
  return diagramsOfGraphs({ graphs, reachability: plan.reachability });
}

/** DOT -> SVG with the pinned WebAssembly Graphviz; one instance per process, created on first use. */
let viz: Promise<{ renderString(src: string, options: { format: string; engine?: string }): string }> | undefined;
export async function renderSvg(dot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  viz ??= (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
  return (await viz).renderString(dot, { format: "svg", engine: "dot" });
}
