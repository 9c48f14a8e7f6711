import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { Diagram, diagramsOfGraphs, renderSvg } from "../../offline/diagrams";
import { analyzeReachability } from "../../offline/reachability";
import type { CapturedResource } from "../../offline/types";
import { realStacks } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "..", "..");
const ENVIRONMENTS = ["dev", "stage", "preprod", "prod"];

async function realDiagrams(): Promise<{ graphs: Record<string, CapturedResource[]>; diagrams: Diagram[] }> {
  const runs = await realStacks();
  const graphs = Object.fromEntries(Object.entries(runs).map(([s, r]) => [s, r.resources]));
  return { graphs, diagrams: diagramsOfGraphs({ graphs, reachability: analyzeReachability(graphs) }) };
}

const own = (graph: readonly CapturedResource[], type: string): CapturedResource[] => graph.filter((r) => r.type === type && !r.read);
const local = (name: string, stack: string): string => name.slice(stack.length + 1);

/** Mermaid's flowchart grammar as we write it: balanced subgraphs, valid ids, edges between declared nodes. */
function mermaidProblems(src: string): string[] {
  const problems: string[] = [];
  const lines = src.trimEnd().split("\n");
  if (lines[0] !== "flowchart LR") problems.push(`first line is ${lines[0]}`);
  let depth = 0;
  const declared = new Set<string>();
  const edges: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const t = line.trim();
    let m: RegExpExecArray | null;
    if ((m = /^subgraph (\S+?)\[".*"\]$/.exec(t))) {
      depth += 1;
      if (declared.has(m[1])) problems.push(`id ${m[1]} declared twice`);
      declared.add(m[1]);
    } else if (t === "end") {
      depth -= 1;
      if (depth < 0) problems.push("end without subgraph");
    } else if (t.startsWith("direction ")) {
      if (!/^direction (TB|LR)$/.test(t)) problems.push(`bad direction: ${t}`);
    } else if ((m = /^([A-Za-z0-9_]+) *(?:---|-->|-\.->|<-->(?:\|".*"\|)?|-->\|".*"\||-- ".*" -->) *([A-Za-z0-9_]+)$/.exec(t))) {
      edges.push([m[1], m[2]]);
    } else if ((m = /^([A-Za-z0-9_]+)(\[".*"\]|\(\[".*"\]\)|\[\(".*"\)\])$/.exec(t))) {
      if (declared.has(m[1])) problems.push(`id ${m[1]} declared twice`);
      declared.add(m[1]);
      if (/"/.test(m[2].slice(2, -2).replace(/^"|"$/g, ""))) problems.push(`unescaped quote in ${t}`);
    } else problems.push(`unrecognised line: ${t}`);
  }
  if (depth !== 0) problems.push(`${depth} subgraph(s) not closed`);
  for (const [a, b] of edges) for (const id of [a, b]) if (!declared.has(id)) problems.push(`edge names undeclared node ${id}`);
  return problems;
}

describe("diagrams of the real plan", function () {
  this.timeout(180000);

  it("draws the network, one services picture per environment and the reachability matrix", async () => {
    const { diagrams } = await realDiagrams();
    expect(diagrams.map((d) => d.name)).to.deep.equal(["network", ...ENVIRONMENTS.map((e) => `services-${e}`), "reachability"]);
  });

  it("names every VPC (name and CIDR) and every Transit Gateway route table in the network picture, Mermaid and DOT", async () => {
    const { graphs, diagrams } = await realDiagrams();
    const network = diagrams.find((d) => d.name === "network")!;
    const vpcs = Object.values(graphs).flatMap((g) => own(g, "aws:ec2/vpc:Vpc"));
    const tables = Object.values(graphs).flatMap((g) => own(g, "aws:ec2transitgateway/routeTable:RouteTable"));
    expect(vpcs).to.have.length(5);
    expect(tables).to.have.length(8);
    for (const src of [network.mermaid, network.dot]) {
      for (const v of vpcs) expect(src, v.name).to.include(v.name).and.include(String(v.inputs.cidrBlock));
      for (const t of tables) expect(src, t.name).to.include(`route table ${t.name.replace(/^hub-rt-/, "")}`);
    }
  });

  it("names every service and every data resource of each environment in its picture, and each service its data resources' groups admit", async () => {
    const { graphs, diagrams } = await realDiagrams();
    for (const env of ENVIRONMENTS) {
      const d = diagrams.find((x) => x.name === `services-${env}`)!;
      const services = own(graphs[env], "tila:compute:MicroserviceService").map((s) => local(s.name, env));
      const data = graphs[env].filter((r) => /^tila:data:(NoSqlCluster|MySqlDatabase|RedisCache|SearchDomain)$/.test(r.type)).map((r) => local(r.name, env));
      expect(services.length, env).to.be.greaterThan(0);
      expect(data.length, env).to.be.greaterThan(0);
      for (const s of services) expect(d.mermaid, `${env} ${s}`).to.match(new RegExp(`svc_${s.replace(/-/g, "_")}\\["${s}`));
      for (const x of data) expect(d.mermaid, `${env} ${x}`).to.match(new RegExp(`data_${x.replace(/-/g, "_")}\\[\\("${x}`));
      for (const s of services) expect(d.dot, `${env} ${s}`).to.include(`"svc_${s}" [label="${s}`);
    }
    // The security-group chain as drawn: prod's checkout reaches MySQL and Redis, the cart never MySQL.
    const prod = diagrams.find((x) => x.name === "services-prod")!.mermaid;
    expect(prod).to.include("svc_checkout --> data_mysql").and.include("svc_checkout --> data_redis").and.include("data_kafka -.-> data_zookeeper");
    expect(prod).not.to.include("svc_cart --> data_mysql");
  });

  it("names every network of the reachability report, and shows prod reaching management on its admitted ports only", async () => {
    const { graphs, diagrams } = await realDiagrams();
    const report = analyzeReachability(graphs);
    const picture = diagrams.find((d) => d.name === "reachability")!;
    for (const n of report.networks) expect(picture.mermaid, n.name).to.include(`net_${n.name}["${n.name}`);
    expect(picture.mermaid).to.include("prod → management: 443,8181,12201");
    expect(picture.mermaid).not.to.match(/net_prod <?-->.*net_(dev|stage|preprod)\b/);
  });

  it("writes Mermaid a flowchart parser accepts: balanced subgraphs, valid ids, edges between declared nodes", async () => {
    const { diagrams } = await realDiagrams();
    for (const d of diagrams) expect(mermaidProblems(d.mermaid), d.name).to.deep.equal([]);
    expect(mermaidProblems("flowchart LR\n  subgraph a[\"x\"]\n  b --> c\n")).to.include.members(["1 subgraph(s) not closed", "edge names undeclared node b"]);
  });

  it("draws a plan of one environment (npm run plan -- --stack prod) without the hub or the matrix, still valid Mermaid", async () => {
    const { graphs } = await realDiagrams();
    const alone = diagramsOfGraphs({ graphs: { prod: graphs.prod } });
    expect(alone.map((d) => d.name)).to.deep.equal(["network", "services-prod"]);
    const network = alone[0];
    expect(network.mermaid).to.include("prod-vpc 10.40.0.0/16").and.not.include("subgraph tgw");
    expect(network.dot).not.to.include("cluster_tgw");
    for (const d of alone) expect(mermaidProblems(d.mermaid), d.name).to.deep.equal([]);
  });

  it("draws the same pictures whatever order the resources were captured in", async () => {
    const { graphs, diagrams } = await realDiagrams();
    const reversed = Object.fromEntries(Object.entries(graphs).reverse().map(([s, g]) => [s, [...g].reverse()]));
    expect(diagramsOfGraphs({ graphs: reversed, reachability: analyzeReachability(graphs) })).to.deep.equal(diagrams);
  });

  it("renders every picture to SVG offline, naming what it draws", async () => {
    const { graphs, diagrams } = await realDiagrams();
    for (const d of diagrams) {
      // Graphviz writes `-` as `&#45;`: read the text as a viewer shows it.
      const svg = (await renderSvg(d.dot)).replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
      expect(svg, d.name).to.match(/^<\?xml[^]*<svg[^]*<\/svg>\s*$/);
      expect(svg.length, d.name).to.be.greaterThan(5000);
      if (d.name === "network") for (const v of Object.values(graphs).flatMap((g) => own(g, "aws:ec2/vpc:Vpc"))) expect(svg).to.include(v.name);
    }
  });

  it("loads Graphviz's WebAssembly only when a picture is rendered: the CLI and the models do not", () => {
    const probe = `require("./offline/cli"); require("./offline/diagrams"); process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes("@viz-js"))));`;
    const run = spawnSync(process.execPath, ["-r", "./scripts/register-ts.cjs", "-e", probe], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).to.equal("");
    expect(run.stdout).to.equal("false");
  });
});
