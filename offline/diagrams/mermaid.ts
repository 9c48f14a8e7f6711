/**
 * Mermaid `flowchart LR` sources of the three pictures (they render in GitLab merge requests and
 * in docs): the network, one environment's services and data tier, and the reachability between
 * networks. Aggregated for a person: one node per subnet tier (its CIDR per AZ inside), one per
 * service and data resource, one edge per relation. Deterministic: the models are sorted.
 */
import type { ReachabilityReport } from "../reachability";
import { describeFlowPorts, flowPairs } from "./reachabilityModel";
import type { EnvironmentModel, NetworkModel } from "./types";

/** A Mermaid node id: letters, digits and `_` only. */
export function mermaidId(...parts: string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

/** A quoted Mermaid label: quotes become `#quot;`; lines join with `<br/>`. */
export function mermaidLabel(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")).join("<br/>")}"`;
}

const list = (xs: readonly string[]): string => (xs.length > 0 ? xs.join(", ") : "none");

export function networkMermaid(m: NetworkModel): string {
  const out = ["flowchart LR"];
  if (m.offices.length > 0) {
    out.push(`  subgraph offices[${mermaidLabel("Offices: site-to-site VPN, BGP")}]`, "    direction TB");
    for (const o of m.offices) {
      out.push(`    ${mermaidId("office", o.name)}[${mermaidLabel(o.name, ...o.cidrs, `${o.vpnConnections} VPN · ${o.vpnConnections * 2} tunnels`, `ASN ${list(o.asns)}`)}]`);
    }
    out.push("  end");
  }
  // The hub's route tables live in management: a plan of environments alone has none to draw.
  if (m.tgw || m.routeTables.length > 0) {
    out.push(`  subgraph tgw[${mermaidLabel(`Transit Gateway ${m.tgw?.name ?? ""}${m.tgw?.asn !== undefined ? ` · ASN ${m.tgw.asn}` : ""}`.trim())}]`, "    direction TB");
    for (const rt of m.routeTables) {
      const lines = [`route table ${rt.label}`, `reaches: ${list(rt.propagated)}`];
      for (const s of rt.staticRoutes) lines.push(`static ${s.cidr} → ${s.to}`);
      if (rt.blackholes.length > 0) lines.push(`blackholes: ${list(rt.blackholes)}`);
      out.push(`    ${mermaidId("rt", rt.label)}[${mermaidLabel(...lines)}]`);
    }
    out.push("  end");
  }
  for (const v of m.vpcs) {
    out.push(`  subgraph ${mermaidId("vpc", v.stack)}[${mermaidLabel(`${v.name} ${v.cidr} · ${v.azs.length} AZ`)}]`, "    direction TB");
    for (const t of v.tiers) {
      out.push(`    ${mermaidId(v.stack, t.tier)}[${mermaidLabel(t.tier, ...t.cells.map((c) => `${c.az} ${c.cidr}`))}]`);
    }
    const extras = [`NAT ×${v.natGateways}`];
    if (v.interfaceEndpoints.length > 0) extras.push(`interface endpoints: ${v.interfaceEndpoints.join(", ")}`);
    if (v.sharedEndpoints) extras.push(`interface endpoints: ${v.sharedEndpoints.from}'s, through ${v.sharedEndpoints.zones} private zones`);
    if (v.gatewayEndpoints.length > 0) extras.push(`gateway endpoints: ${v.gatewayEndpoints.join(", ")}`);
    out.push(`    ${mermaidId(v.stack, "gateways")}[${mermaidLabel(...extras)}]`, "  end");
  }
  // One edge per association: which route table routes the network's traffic.
  const attachNode = (network: string): string => {
    const vpc = m.vpcs.find((v) => v.stack === network);
    if (!vpc) return mermaidId("office", network);
    return vpc.tiers.some((t) => t.tier === "transit") ? mermaidId(network, "transit") : mermaidId("vpc", network);
  };
  for (const rt of m.routeTables) {
    for (const a of rt.associated) out.push(`  ${attachNode(a)} --- ${mermaidId("rt", rt.label)}`);
  }
  return out.join("\n") + "\n";
}

export function environmentMermaid(m: EnvironmentModel): string {
  const out = ["flowchart LR"];
  const albId = (name: string): string => mermaidId("alb", name);
  const publicAlbs = m.albs.filter((a) => !a.internal);
  const internalAlbs = m.albs.filter((a) => a.internal);
  if (publicAlbs.length > 0) out.push(`  internet([${mermaidLabel("clients on the internet")}])`);
  if (internalAlbs.length > 0) out.push(`  inside([${mermaidLabel("clients inside the VPC")}])`);
  out.push(`  subgraph lbs[${mermaidLabel("load balancers")}]`, "    direction TB");
  for (const a of m.albs) {
    const hosts = [...new Set(m.services.flatMap((s) => s.routes.filter((r) => r.alb === a.name).flatMap((r) => r.hosts)))].sort();
    out.push(`    ${albId(a.name)}[${mermaidLabel(`${a.name}${a.waf ? " + WAF" : ""}`, a.listeners.join(" · "), ...(hosts.length > 0 ? [hosts.join(", ")] : []))}]`);
  }
  out.push("  end");
  out.push(`  subgraph services[${mermaidLabel(`services (ECS) · ${m.services.length}`)}]`, "    direction TB");
  for (const s of m.services) out.push(`    ${mermaidId("svc", s.name)}[${mermaidLabel(`${s.name}${s.desiredCount !== undefined ? ` ×${s.desiredCount}` : ""}`)}]`);
  out.push("  end");
  out.push(`  subgraph data[${mermaidLabel(`data tier · ${m.data.length}`)}]`, "    direction TB");
  for (const d of m.data) out.push(`    ${mermaidId("data", d.name)}[(${mermaidLabel(d.name, d.label, ...(d.ports ? [`port ${d.ports}`] : []))})]`);
  out.push("  end");
  for (const a of publicAlbs) out.push(`  internet --> ${albId(a.name)}`);
  for (const a of internalAlbs) out.push(`  inside --> ${albId(a.name)}`);
  for (const s of m.services) {
    for (const r of s.routes) out.push(`  ${albId(r.alb)} -- ${mermaidLabel(r.paths.join(" ") || r.hosts.join(" ") || "default")} --> ${mermaidId("svc", s.name)}`);
  }
  for (const d of m.data) {
    for (const c of d.clients) {
      const from = mermaidId(c.kind === "service" ? "svc" : "data", c.from);
      out.push(c.ports === d.ports ? `  ${from} ${c.kind === "data" ? "-.->" : "-->"} ${mermaidId("data", d.name)}` : `  ${from} -- ${mermaidLabel(c.ports)} --> ${mermaidId("data", d.name)}`);
    }
  }
  return out.join("\n") + "\n";
}

/** Allowed flows between networks, one edge per pair: `a → b: ports`, both directions on one edge. */
export function reachabilityMermaid(report: ReachabilityReport): string {
  const out = ["flowchart LR"];
  const groups: [string, string, (kind: string, name: string) => boolean][] = [
    ["hub", "management hub", (k, n) => k === "vpc" && n === "management"],
    ["environments", "environments", (k, n) => k === "vpc" && n !== "management"],
    ["offices", "offices", (k) => k === "office"],
  ];
  for (const [id, title, member] of groups) {
    const nodes = report.networks.filter((n) => member(n.kind, n.name));
    if (nodes.length === 0) continue;
    out.push(`  subgraph ${id}[${mermaidLabel(title)}]`, "    direction TB");
    for (const n of nodes) out.push(`    ${mermaidId("net", n.name)}[${mermaidLabel(n.name, ...n.cidrs)}]`);
    out.push("  end");
  }
  for (const p of flowPairs(report)) {
    const lines = [p.forward ? `${p.a} → ${p.b}: ${describeFlowPorts(p.forward)}` : "", p.backward ? `${p.b} → ${p.a}: ${describeFlowPorts(p.backward)}` : ""].filter((l) => l !== "");
    const [from, to] = p.forward ? [p.a, p.b] : [p.b, p.a];
    out.push(`  ${mermaidId("net", from)} ${p.forward && p.backward ? "<-->" : "-->"}|${mermaidLabel(...lines)}| ${mermaidId("net", to)}`);
  }
  return out.join("\n") + "\n";
}
