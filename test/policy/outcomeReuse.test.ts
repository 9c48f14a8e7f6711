// The policy runner's reuse of resource-rule outcomes (offline/policyRunner.ts `reuse`,
// `keepOutcomes`): an unchanged resource is not validated again, and the result is a full run's.
import { expect } from "chai";
import { UNKNOWN, inputDigest } from "../../offline/policyArgs";
import { OutcomeTable, PolicyResult, runPolicies } from "../../offline/policyRunner";
import type { CapturedResource } from "../../offline/types";
import type { ResourceRule, Rule, StackRule } from "../../policy/rules/types";
import { capturedResource, noOptions } from "../support/captured";

const STACK = "urn:pulumi:dev::tila-platform::pulumi:pulumi:Stack::tila-platform-dev";
const BUCKET = "aws:s3/bucket:Bucket";
const PROVIDER = "pulumi:providers:aws";
const urn = (type: string, name: string): string => `urn:pulumi:dev::tila-platform::${type}::${name}`;
const meta = { category: "security" as const, domain: "data", appliesTo: [BUCKET] };

function captured(type: string, name: string, over: Partial<CapturedResource> = {}): CapturedResource {
  const root = type === "pulumi:pulumi:Stack";
  return capturedResource({ urn: urn(type, name), type, name, custom: !root, ...(root ? {} : { parent: STACK }), ...over });
}

/** A graph whose buckets give every kind of outcome: a violation, a preview note, notApplicable, nothing. */
function graph(over: { aclOf?: Record<string, unknown>; region?: string } = {}): CapturedResource[] {
  const provider = captured(PROVIDER, "euw1", { inputs: { region: over.region ?? "me-south-1" } });
  const bucket = (name: string, acl: unknown): CapturedResource =>
    captured(BUCKET, name, { inputs: { acl: over.aclOf?.[name] ?? acl }, outputs: { acl }, options: { ...noOptions(), provider: `${provider.urn}::${name}-provider-id` } });
  return [captured("pulumi:pulumi:Stack", "tila-platform-dev"), provider, bucket("public", "public-read"), bucket("unknown", UNKNOWN), bucket("empty", "none"), bucket("private", "private")];
}

/** The rules, counting the resources each resource rule validated. */
function rules(): { rules: Rule[]; validated: Map<string, string[]> } {
  const validated = new Map<string, string[]>();
  const seen = (rule: string, name: string): void => void validated.set(rule, [...(validated.get(rule) ?? []), name]);
  const acl: ResourceRule = {
    name: "acl",
    description: "ACL.",
    enforcementLevel: "mandatory",
    meta,
    validateResource: (a, report) => {
      seen("acl", a.name);
      if (a.type !== BUCKET) return;
      if (a.props.acl === "none") a.notApplicable("no ACL");
      if (a.props.acl !== "private") report(`bucket ${a.name} is not private`);
    },
  };
  const region: ResourceRule = {
    name: "region",
    description: "Region.",
    meta,
    validateResource: (a, report) => {
      seen("region", a.name);
      if (a.provider?.props.region !== "me-south-1" && a.type === BUCKET) report(`bucket ${a.name} outside Bahrain`);
    },
  };
  const count: StackRule = {
    name: "count",
    description: "Count.",
    meta,
    validateStack: (a, report) => {
      seen("count", "stack");
      report(`${a.resources.filter((r) => r.type === BUCKET).length} buckets`);
    },
  };
  return { rules: [acl, region, count], validated };
}

/** What a run reports, without the outcomes table. */
const findings = (r: PolicyResult): unknown => ({ violations: r.violations, notes: r.notes, notApplicable: r.notApplicable, errors: r.errors });

describe("reusing resource-rule outcomes (runPolicies reuse / keepOutcomes)", () => {
  function first(resources: CapturedResource[] = graph()): { result: PolicyResult; table: OutcomeTable } {
    const { rules: rs } = rules();
    const result = runPolicies(resources, rs, {}, { keepOutcomes: true });
    expect(result.outcomes, "a table is kept").to.not.equal(undefined);
    // The table is stored as JSON (planCache.ts): reuse what survives that.
    return { result, table: JSON.parse(JSON.stringify(result.outcomes)) as OutcomeTable };
  }

  it("keeps a row per analysed resource, with what each rule said of it", () => {
    const { result, table } = first();
    const analysed = graph().filter((r) => !r.read);
    expect(Object.keys(table)).to.have.length(analysed.length);
    // notApplicable() ends the validation: `empty` reports nothing after it.
    expect(result.violations.map((v) => v.message)).to.have.members(["bucket public is not private", "4 buckets"]);
    expect(result.notes).to.have.length(1);
    expect(result.notApplicable).to.deep.equal([{ policy: "acl", reason: "no ACL", urn: urn(BUCKET, "empty") }]);
    const rows = Object.values(table);
    expect(rows.filter((row) => Object.keys(row).length === 0)).to.have.length(analysed.length - 3);
  });

  it("answers an unchanged graph from the table: no resource rule runs, the stack rules do, and the findings are a full run's", () => {
    const { result, table } = first();
    const { rules: rs, validated } = rules();
    const again = runPolicies(graph(), rs, {}, { reuse: table, keepOutcomes: true });
    expect(findings(again)).to.deep.equal(findings(result));
    expect([...validated]).to.deep.equal([["count", ["stack"]]]);
    expect(again.outcomes).to.deep.equal(table);
  });

  it("validates again exactly the resources whose input changed, with what they say now", () => {
    const { table } = first();
    const changed = graph({ aclOf: { public: "private", private: "public-read" } });
    const { rules: rs, validated } = rules();
    const reused = runPolicies(changed, rs, {}, { reuse: table });
    const { rules: fresh } = rules();
    expect(findings(reused)).to.deep.equal(findings(runPolicies(changed, fresh, {})));
    expect(validated.get("acl")).to.deep.equal(["public", "private"]);
    expect(validated.get("region")).to.deep.equal(["public", "private"]);
    expect(reused.violations.map((v) => v.message)).to.include("bucket private is not private").and.not.include("bucket public is not private");
  });

  it("validates again every resource of a provider whose props changed (the provider is part of each input)", () => {
    const { table } = first();
    const moved = graph({ region: "eu-west-1" });
    const { rules: rs, validated } = rules();
    const reused = runPolicies(moved, rs, {}, { reuse: table });
    const { rules: fresh } = rules();
    expect(findings(reused)).to.deep.equal(findings(runPolicies(moved, fresh, {})));
    expect(validated.get("region")).to.deep.equal(["euw1", "public", "unknown", "empty", "private"]);
    expect(reused.violations.filter((v) => v.policy === "region")).to.have.length(4);
  });

  it("keeps no table when a rule threw, and never stores the thrown error", () => {
    const broken: ResourceRule = { name: "broken", description: "B.", meta, validateResource: (a) => void (a.type === BUCKET && (a.props as { x: { y: 1 } }).x.y) };
    const result = runPolicies(graph(), [...rules().rules, broken], {}, { keepOutcomes: true });
    expect(result.errors).to.have.length(4);
    expect(result.outcomes).to.equal(undefined);
  });

  it("digests every part of a rule's input: type, name, URN, props, options, parent, dependencies, provider", () => {
    const base = { type: BUCKET, name: "b", urn: urn(BUCKET, "b"), props: { acl: "private" }, parent: STACK, dependencies: [] as string[], opts: { protect: false }, provider: { type: PROVIDER, name: "p", urn: urn(PROVIDER, "p"), props: { region: "me-south-1" } } };
    const variants = [
      { ...base, type: "aws:s3/bucketV2:BucketV2" },
      { ...base, name: "c" },
      { ...base, urn: urn(BUCKET, "c") },
      { ...base, props: { acl: "public-read" } },
      { ...base, opts: { protect: true } },
      { ...base, parent: undefined },
      { ...base, dependencies: [urn(BUCKET, "a")] },
      { ...base, provider: { ...base.provider, props: { region: "eu-west-1" } } },
      { ...base, provider: undefined },
    ];
    const digests = new Set([base, ...variants].map((v) => inputDigest(v)));
    expect(digests.size).to.equal(variants.length + 1);
    expect(inputDigest({ ...base, props: { acl: "private" } })).to.equal(inputDigest(base));
  });
});
