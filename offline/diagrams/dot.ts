/**
 * Graphviz DOT sources of the three pictures, rendered to SVG by render.ts. Laid out for a
 * person: left to right (offices -> Transit Gateway -> VPCs; clients -> load balancers ->
 * services -> data), each VPC a table of its tiers (rows) by AZ (columns), the reachability
 * matrix a coloured table. Deterministic: the models are sorted, nothing else goes in.
 */
import type { ReachabilityReport } from "../reachability";
import { matrixCell } from "./reachabilityModel";
import type { EnvironmentModel, NetworkModel } from "./types";

const FONT = "Helvetica";
/** Addresses and ports in Courier: its width is the same in every viewer's fallback (0.6 em), so cells fit wherever the SVG is opened. */
const mono = (text: string): string => `<FONT FACE="Courier">${text}</FONT>`;

/** Text for an HTML-like label: `&`, `<`, `>`, `"` escaped. */
export function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A DOT id: always quoted, quotes and backslashes escaped. */
export function dotId(...parts: string[]): string {
  return `"${parts.join("_").replace(/[\\"]/g, "_")}"`;
}

const header = (name: string, extra: string[] = []): string[] => [
  `digraph ${name} {`,
  `  graph [rankdir=LR, fontname="${FONT}", fontsize=12, nodesep=0.3, ranksep=0.9, newrank=true${extra.length > 0 ? ", " + extra.join(", ") : ""}];`,
  `  node [fontname="${FONT}", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#777777", margin="0.2,0.08"];`,
  `  edge [fontname="${FONT}", fontsize=9, color="#666666", fontcolor="#333333"];`,
];

const list = (xs: readonly string[]): string => (xs.length > 0 ? xs.join(", ") : "none");
/** Long comma lists wrapped into lines of about `width` characters. */
function wrap(items: readonly string[], width = 48): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line === "" ? item : `${line}, ${item}`;
    if (next.length > width && line !== "") {
      lines.push(line + ",");
      line = item;
    } else line = next;
  }
  if (line !== "") lines.push(line);
  return lines;
}

const STACK_COLOURS: Record<string, string> = { management: "#dbe9f6", dev: "#e3f4e1", stage: "#fdf3d8", preprod: "#fde6d2", prod: "#f9dada" };

export function networkDot(m: NetworkModel): string {
  const out = header("network", ["label=<Lines: the Transit Gateway route table each attachment is associated with (it routes that network's traffic).<BR/>reaches: the networks whose routes propagate into it · blackholes: CIDRs it drops>", "labelloc=b"]);
  if (m.offices.length > 0) {
    out.push(`  subgraph cluster_offices {`, `    label="Offices: site-to-site VPN, BGP"; labelloc=t; style="rounded,dashed"; color="#999999";`);
    for (const o of m.offices) {
      const lines = [`<B>${html(o.name)}</B>`, ...o.cidrs.map(html), `${o.vpnConnections} VPN · ${o.vpnConnections * 2} tunnels`, `ASN ${html(list(o.asns))}`];
      out.push(`    ${dotId("office", o.name)} [label=<${lines.join("<BR/>")}>, fillcolor="#f2f2f2"];`);
    }
    out.push("  }");
  }
  if (m.tgw || m.routeTables.length > 0) {
    out.push(`  subgraph cluster_tgw {`, `    label=<<B>Transit Gateway ${html(m.tgw?.name ?? "")}</B>${m.tgw?.asn !== undefined ? ` · ASN ${m.tgw.asn}` : ""}>; labelloc=t; style="rounded"; color="#3b6ea5";`);
    for (const rt of m.routeTables) {
      const lines = [`<B>route table ${html(rt.label)}</B>`, ...wrap(rt.propagated.length > 0 ? rt.propagated : ["nothing"], 40).map((l, i) => (i === 0 ? `reaches: ${html(l)}` : html(l)))];
      for (const s of rt.staticRoutes) lines.push(`static ${html(s.cidr)} → ${html(s.to)}`);
      if (rt.blackholes.length > 0) lines.push(`<FONT COLOR="#b03030">blackholes: ${html(list(rt.blackholes))}</FONT>`);
      out.push(`    ${dotId("rt", rt.label)} [label=<${lines.join("<BR/>")}>, fillcolor="#eef3fa"];`);
    }
    out.push("  }");
  }
  for (const v of m.vpcs) {
    const cols = v.azs.length;
    const rows = [
      `<TR><TD COLSPAN="${cols + 1}" BGCOLOR="${STACK_COLOURS[v.stack] ?? "#eeeeee"}"><B>${html(v.name)}</B> · ${mono(html(v.cidr))} · ${cols} AZ</TD></TR>`,
      `<TR><TD></TD>${v.azs.map((az) => `<TD><I>AZ ${html(az)}</I></TD>`).join("")}</TR>`,
      ...v.tiers.map((t) => `<TR><TD ALIGN="LEFT"${t.tier === "transit" ? ` PORT="transit"` : ""}><B>${html(t.tier)}</B></TD>${v.azs.map((az) => `<TD>${mono(html(t.cells.find((c) => c.az === az)?.cidr ?? ""))}</TD>`).join("")}</TR>`),
      `<TR><TD COLSPAN="${cols + 1}" ALIGN="LEFT">NAT ×${v.natGateways}${v.gatewayEndpoints.length > 0 ? ` · gateway endpoints: ${html(v.gatewayEndpoints.join(", "))}` : ""}</TD></TR>`,
    ];
    if (v.sharedEndpoints) {
      rows.push(`<TR><TD COLSPAN="${cols + 1}" ALIGN="LEFT">interface endpoints: ${html(v.sharedEndpoints.from)}'s, through ${v.sharedEndpoints.zones} private zones</TD></TR>`);
    }
    if (v.interfaceEndpoints.length > 0) {
      rows.push(`<TR><TD COLSPAN="${cols + 1}" ALIGN="LEFT">interface endpoints (${v.interfaceEndpoints.length}):<BR ALIGN="LEFT"/>${wrap(v.interfaceEndpoints, 44).map(html).join('<BR ALIGN="LEFT"/>')}<BR ALIGN="LEFT"/></TD></TR>`);
    }
    out.push(`  ${dotId("vpc", v.stack)} [shape=plain, style="", label=<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="7" COLOR="#777777">${rows.join("")}</TABLE>>];`);
  }
  const target = (network: string): string => {
    const vpc = m.vpcs.find((v) => v.stack === network);
    if (!vpc) return dotId("office", network);
    return vpc.tiers.some((t) => t.tier === "transit") ? `${dotId("vpc", network)}:transit:w` : dotId("vpc", network);
  };
  for (const rt of m.routeTables) {
    for (const a of rt.associated) {
      const isVpc = m.vpcs.some((v) => v.stack === a);
      // Offices on the left of the hub, VPCs on the right: the edge runs left to right either way.
      out.push(isVpc ? `  ${dotId("rt", rt.label)} -> ${target(a)} [dir=none];` : `  ${target(a)} -> ${dotId("rt", rt.label)} [dir=none];`);
    }
  }
  // Three columns: offices, the hub's route tables, the VPCs (in platform order, top to bottom).
  const column = (ids: string[]): void => void (ids.length > 1 && out.push(`  { rank=same; ${ids.join("; ")}; }`));
  column(m.offices.map((o) => dotId("office", o.name)));
  column(m.routeTables.map((rt) => dotId("rt", rt.label)));
  column(m.vpcs.map((v) => dotId("vpc", v.stack)));
  out.push("}");
  return out.join("\n") + "\n";
}

export function environmentDot(m: EnvironmentModel): string {
  const out = header(`services_${m.stack.replace(/[^A-Za-z0-9_]/g, "_")}`, [`label=<<B>${html(m.stack)}</B>: load balancers → services → data tier (arrows into the data tier: what its security groups admit; dashed: a data resource's own clients)>`, "labelloc=t"]);
  const publicAlbs = m.albs.filter((a) => !a.internal);
  const internalAlbs = m.albs.filter((a) => a.internal);
  if (publicAlbs.length > 0) out.push(`  internet [label="clients on the internet", shape=oval, fillcolor="#f2f2f2"];`);
  if (internalAlbs.length > 0) out.push(`  inside [label="clients inside the VPC", shape=oval, fillcolor="#f2f2f2"];`);
  out.push(`  subgraph cluster_lbs {`, `    label="load balancers"; style="rounded"; color="#999999";`);
  for (const a of m.albs) {
    const hosts = [...new Set(m.services.flatMap((s) => s.routes.filter((r) => r.alb === a.name).flatMap((r) => r.hosts)))].sort();
    const lines = [`<B>${html(a.name)}</B>${a.waf ? ` + WAF` : ""}`, html(a.listeners.join(" · ")), ...hosts.map(html)];
    out.push(`    ${dotId("alb", a.name)} [label=<${lines.join("<BR/>")}>, fillcolor="${a.internal ? "#eef3fa" : "#fdf3d8"}"];`);
  }
  out.push("  }");
  out.push(`  subgraph cluster_services {`, `    label="services (ECS) · ${m.services.length}"; style="rounded"; color="#3b6ea5";`);
  for (const s of m.services) out.push(`    ${dotId("svc", s.name)} [label="${s.name}${s.desiredCount !== undefined ? ` ×${s.desiredCount}` : ""}", fillcolor="#e3f4e1"];`);
  out.push("  }");
  out.push(`  subgraph cluster_data {`, `    label="data tier · ${m.data.length}"; style="rounded"; color="#a5533b";`);
  for (const d of m.data) out.push(`    ${dotId("data", d.name)} [label=<<B>${html(d.name)}</B><BR/>${html(d.label)}${d.ports ? `<BR/><FONT POINT-SIZE="9">port ${html(d.ports)}</FONT>` : ""}>, shape=cylinder, style="filled", fillcolor="#f9eadf"];`);
  out.push("  }");
  for (const a of publicAlbs) out.push(`  internet -> ${dotId("alb", a.name)};`);
  for (const a of internalAlbs) out.push(`  inside -> ${dotId("alb", a.name)};`);
  for (const s of m.services) {
    for (const r of s.routes) out.push(`  ${dotId("alb", r.alb)} -> ${dotId("svc", s.name)} [label="${html(r.paths.join(" ") || r.hosts.join(" ") || "default")}"];`);
  }
  for (const d of m.data) {
    for (const c of d.clients) {
      const attrs = [...(c.ports !== d.ports ? [`label="${html(c.ports)}"`] : []), ...(c.kind === "data" ? ["style=dashed"] : [])];
      out.push(`  ${dotId(c.kind === "service" ? "svc" : "data", c.from)} -> ${dotId("data", d.name)}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`);
    }
  }
  out.push("}");
  return out.join("\n") + "\n";
}

const CELL_COLOURS: Record<string, string> = { yes: "#d7efd2", "one-way": "#fbe7b5", no: "#f0f0f0", "-": "#ffffff" };

export function reachabilityDot(report: ReachabilityReport): string {
  const out = header("reachability", [`label=<Who reaches whom through the Transit Gateway (rows: from; columns: to),<BR/>and the TCP ports the destination's security groups admit from the source.<BR/>yes: routed both ways · one-way · no: not routed · none: routed, no port admitted<BR/>routed: into an office (its firewalls are not in the plan)>`, "labelloc=b"]);
  const names = report.networks.map((n) => n.name);
  const cidrs = new Map(report.networks.map((n) => [n.name, n.cidrs.join(", ")]));
  const head = `<TR><TD BGCOLOR="#dddddd"><B>from \\ to</B></TD>${names.map((n) => `<TD BGCOLOR="#dddddd"><B>${html(n)}</B><BR/><FONT POINT-SIZE="8" FACE="Courier">${html(cidrs.get(n) ?? "")}</FONT></TD>`).join("")}</TR>`;
  const rows = names.map((from) => {
    const cells = names.map((to) => {
      const c = matrixCell(report, from, to);
      const text = c.ports === "" ? html(c.route) : `${html(c.route)}<BR/>${mono(c.ports.split(",").map(html).join(","))}`;
      return `<TD BGCOLOR="${CELL_COLOURS[c.route] ?? "#ffffff"}">${text}</TD>`;
    });
    return `<TR><TD BGCOLOR="#dddddd" ALIGN="LEFT"><B>${html(from)}</B></TD>${cells.join("")}</TR>`;
  });
  out.push(`  matrix [shape=plain, style="", label=<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="9" COLOR="#999999">${head}${rows.join("")}</TABLE>>];`);
  out.push("}");
  return out.join("\n") + "\n";
}
