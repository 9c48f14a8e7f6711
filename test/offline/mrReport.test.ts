/**
 * The merge-request report (offline/mrReport.ts) on a handmade plan: the summary table, the
 * findings, the changes (long ones folded), the cost items and delta, which diagrams are embedded,
 * Markdown-safe text, and the size cap with its line saying what was cut.
 */
import { expect } from "chai";
import type { StackCostResult } from "../../offline/cost/planCost";
import type { LineItem, StackCost, Tier } from "../../offline/cost/types";
import type { Diagram } from "../../offline/diagrams";
import { PlanSnapshot, ResourceRecord, diffPlans } from "../../offline/diff";
import { mergeRequestReport, reportDiagrams } from "../../offline/mrReport";
import type { PlanResult, StackPlan } from "../../offline/plan";

const STACKS = ["dev", "prod"];

function stack(name: string, extra: Partial<StackPlan> = {}): StackPlan {
  return { stack: name, ok: true, resourceCount: 3, byType: {}, outputs: {}, durationMs: 1, violations: [], ...extra };
}

function result(stacks: StackPlan[]): PlanResult {
  return { stacks, runs: {}, totals: { stacks: stacks.length, ok: stacks.length, failed: 0, resources: 0, wallMs: 1 } };
}

function res(stackName: string, name: string, inputs: Record<string, unknown>): ResourceRecord {
  return {
    urn: `urn:pulumi:${stackName}::tila-platform::aws:ec2/securityGroup:SecurityGroup::${name}`,
    type: "aws:ec2/securityGroup:SecurityGroup",
    name,
    parent: null,
    custom: true,
    id: null,
    inputs,
    outputs: {},
    options: {},
    secretInputs: [],
    secretOutputs: [],
  };
}

function item(name: string, monthly: number): LineItem {
  return { urn: `urn:${name}`, type: "aws:ec2/natGateway:NatGateway", name, component: name, tier: "network", dimension: "hours", quantity: 730, unit: "hour", unitPrice: monthly / 730, monthly, priceKey: "ec2.nat" };
}

function cost(name: string, items: LineItem[], budget?: number): StackCostResult {
  const total = items.reduce((n, i) => n + i.monthly, 0);
  const byTier = { network: total, data: 0, services: 0, edge: 0, observability: 0, security: 0, other: 0 } as Record<Tier, number>;
  const c: StackCost = { stack: name, region: "me-south-1", currency: "USD", priceDate: "2026-11-01", items, total, byTier, byComponent: {}, assumptions: {} as StackCost["assumptions"], missingPrices: [], unverifiedPrices: [], unpricedTypes: {} };
  return { ok: true, cost: c, ...(budget !== undefined ? { budgetMonthlyUsd: budget } : {}) };
}

const diagrams: Diagram[] = ["network", "services-dev", "services-prod", "reachability"].map((name) => ({ name, title: `picture ${name}`, mermaid: `flowchart LR\n  ${name.replace(/-/g, "_")}_a --> b`, dot: "" }));

/** dev unchanged; prod: one group created, one updated (a port), a new finding. */
function fixture(): Parameters<typeof mergeRequestReport>[0] {
  const sg = res("prod", "prod-app-sg", { ingress: [{ fromPort: 443 }] });
  const sg2 = res("prod", "prod-app-sg", { ingress: [{ fromPort: 8443 }] });
  const added = res("prod", "prod-new-sg", {});
  const devSg = res("dev", "dev-app-sg", {});
  const finding = { policy: "ec2-no-open-ingress", level: "mandatory" as const, urn: added.urn, name: added.name, type: added.type, message: "open | to 0.0.0.0/0 <all>" };
  const old: PlanSnapshot = { stacks: { dev: { resources: [devSg], violations: [] }, prod: { resources: [sg], violations: [] } } };
  const now: PlanSnapshot = { stacks: { dev: { resources: [devSg], violations: [] }, prod: { resources: [sg2, added], violations: [finding] } } };
  const costOf = (s: string, rs: readonly ResourceRecord[]): number => (s === "prod" ? rs.length * 100 : 50);
  const diff = diffPlans(old, now, "out/plan-main", { costOf, stacks: STACKS });
  const plan = result([
    stack("dev"),
    stack("prod", { violations: [{ policy: "ec2-no-open-ingress", enforcementLevel: "mandatory", message: "open | to 0.0.0.0/0 <all>", urn: added.urn, name: added.name, type: added.type }] }),
  ]);
  const costs = { dev: cost("dev", [item("dev-nat", 32.85)], 100), prod: cost("prod", [1, 2, 3, 4, 5, 6].map((n) => item(`prod-nat-${n}`, n * 10)), 500) };
  return { result: plan, costs, diff, diagrams };
}

describe("merge-request report (offline/mrReport.ts)", () => {
  it("opens with a summary table per stack: status, resources, +created ~updated -deleted, monthly cost of budget, delta, findings", () => {
    const r = mergeRequestReport(fixture());
    expect(r.markdown).to.contain("| stack | status | resources | +created | ~updated | -deleted | monthly (USD) | delta | policy (mandatory / advisory) |");
    expect(r.markdown).to.contain("| dev | ok | 3 | 0 | 0 | 0 | $32.85 of $100.00 | $0.00 | 0 / 0 |");
    expect(r.markdown).to.contain("| prod | failed (mandatory policy) | 3 | 1 | 1 | 0 | $210.00 of $500.00 | +$100.00 | 1 / 0 |");
    expect(r.summary.map((s) => [s.stack, s.created, s.updated, s.deltaUsd])).to.deep.equal([
      ["dev", 0, 0, 0],
      ["prod", 1, 1, 100],
    ]);
  });

  it("lists the findings, with the ones new since the earlier plan, Markdown-safe (pipes escaped, no raw HTML)", () => {
    const md = mergeRequestReport(fixture()).markdown;
    expect(md).to.contain("### prod: 1 finding\n\n- **mandatory** `ec2-no-open-ingress`: `prod-new-sg` (`aws:ec2/securityGroup:SecurityGroup`): open \\| to 0.0.0.0/0 &lt;all&gt;");
    expect(md).to.contain("Since the earlier plan: 1 new, 0 resolved.");
    expect(md).not.to.contain("<all>");
  });

  it("shows the changes per stack with their paths old -> new, and folds a long one in <details>", () => {
    const input = fixture();
    expect(mergeRequestReport(input).markdown).to.contain("### prod: 1 created, 1 updated, 0 deleted\n\n- `+` `prod-new-sg` (`aws:ec2/securityGroup:SecurityGroup`)\n\n- `~` `prod-app-sg` (`aws:ec2/securityGroup:SecurityGroup`)\n  - `ingress[0].fromPort`: `443` → `8443`");
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const old: PlanSnapshot = { stacks: { prod: { resources: [res("prod", "big", {})] } } };
    const now: PlanSnapshot = { stacks: { prod: { resources: [res("prod", "big", many)] } } };
    const md = mergeRequestReport({ ...input, diff: diffPlans(old, now, "old", { stacks: ["prod"] }) }).markdown;
    expect(md).to.contain("- `~` `big` (`aws:ec2/securityGroup:SecurityGroup`): 20 paths\n\n  <details><summary>changed paths</summary>");
    expect(md).to.contain("  - `k9`: _(absent)_ → `9`\n\n  </details>", "keys in order, k19 before k2");
  });

  it("gives each stack's cost with its delta and its five biggest line items, most expensive first", () => {
    const md = mergeRequestReport(fixture()).markdown;
    const prod = md.split("### prod: $210.00")[1];
    expect(md).to.contain("### prod: $210.00 (+$100.00 against the earlier plan), budget $500.00");
    const rows = prod.split("\n").filter((l) => l.startsWith("| prod-nat-"));
    expect(rows.map((l) => l.split(" | ")[0])).to.deep.equal(["| prod-nat-6", "| prod-nat-5", "| prod-nat-4", "| prod-nat-3", "| prod-nat-2"]);
    expect(mergeRequestReport(fixture()).topCostItems.prod.map((i) => i.name)).to.deep.equal(["prod-nat-6", "prod-nat-5", "prod-nat-4", "prod-nat-3", "prod-nat-2"]);
  });

  it("gives the analytics lake's monthly share on its own line where a stack has one, and none elsewhere", () => {
    const input = fixture();
    const prod = input.costs!.prod!;
    if (!prod.ok) throw new Error("fixture");
    const costs = { ...input.costs, prod: { ...prod, cost: { ...prod.cost, byTier: { ...prod.cost.byTier, analytics: 42.5 } } } };
    const cost = mergeRequestReport({ ...input, costs }).markdown.split("## Cost")[1]!;
    expect(cost.split("### prod: ")[1]).to.contain("Analytics lake: $42.50 a month");
    expect(cost.split("### dev: ")[1]!.split("### prod")[0]).to.not.contain("Analytics lake");
  });

  it("embeds the network, the reachability matrix and only the changed environments' pictures as Mermaid", () => {
    const input = fixture();
    const r = mergeRequestReport(input);
    expect(r.diagrams.map((d) => d.name)).to.deep.equal(["network", "services-prod", "reachability"]);
    expect(r.markdown).to.contain("```mermaid\nflowchart LR\n  network_a --> b\n```");
    expect(r.markdown).not.to.contain("services_dev_a");
    expect(reportDiagrams(diagrams, undefined).map((d) => d.name), "without a diff: every environment").to.deep.equal(["network", "services-dev", "services-prod", "reachability"]);
  });

  it("stays under the cap, cutting the changes first and saying what was cut, summary and diagrams kept", () => {
    const input = fixture();
    const rs = Array.from({ length: 400 }, (_, i) => res("prod", `sg-${String(i).padStart(3, "0")}`, { description: "x".repeat(200) }));
    const old: PlanSnapshot = { stacks: { prod: { resources: rs.map((r) => ({ ...r, inputs: {} })) } } };
    const now: PlanSnapshot = { stacks: { prod: { resources: rs } } };
    const diff = diffPlans(old, now, "old", { stacks: ["prod"] });
    const full = mergeRequestReport({ ...input, diff, capChars: 10_000_000 });
    expect(full.cut).to.deep.equal([]);
    expect(full.markdown.length).to.be.greaterThan(100_000);
    const r = mergeRequestReport({ ...input, diff });
    expect(r.markdown.length).to.be.at.most(100_000);
    expect(r.cut).to.have.length(1);
    expect(r.cut[0]).to.match(/^the last \d+ change entries of the changes section cut to keep this report under 100 KB/);
    expect(r.markdown).to.contain(`_${r.cut[0]}_`);
    expect(r.markdown).to.contain("| prod |");
    expect(r.markdown).to.contain("```mermaid");
    expect(r.markdown).to.contain("- `~` `sg-000`");
    expect(r.markdown).not.to.contain("- `~` `sg-399`");
    const tiny = mergeRequestReport({ ...input, diff, capChars: 1_200 });
    expect(tiny.markdown.length).to.be.at.most(1_200);
    expect(tiny.cut.join("\n")).to.contain("diagrams");
  });

  it("says so when there is no earlier plan, no cost estimate or no policy run", () => {
    const md = mergeRequestReport({ result: result([stack("dev", { violations: undefined })]) }).markdown;
    expect(md).to.contain("No earlier plan given (`--diff`): no changes shown.");
    expect(md).to.contain("Not estimated.");
    expect(md).to.contain("The policy pack did not run (`--no-policy`).");
    expect(md).not.to.contain("## Changes");
  });
});
