import { expect } from "chai";
import { type EnforcementLevel, validateResourceOfType } from "@pulumi/policy";
import { UNKNOWN, runResourceRule } from "../../offline/policyArgs";
import { runPolicies } from "../../offline/policyRunner";
import type { CapturedResource } from "../../offline/types";
import type { ResourceRule, Rule, StackRule } from "../../policy/rules/types";
import { capturedResource } from "../support/captured";

const STACK = "urn:pulumi:dev::tila-platform::pulumi:pulumi:Stack::tila-platform-dev";
const urn = (type: string, name: string) => `urn:pulumi:dev::tila-platform::${type}::${name}`;

function captured(type: string, name: string, over: Partial<CapturedResource> = {}): CapturedResource {
  const custom = !type.startsWith("tila:") && type !== "pulumi:pulumi:Stack";
  const root = type === "pulumi:pulumi:Stack";
  return capturedResource({ urn: urn(type, name), type, name, custom, ...(root ? {} : { parent: STACK }), ...(custom ? { id: `${name}-id` } : {}), ...over });
}

const BUCKET = "aws:s3/bucket:Bucket";
const meta = { category: "security" as const, domain: "data", appliesTo: [BUCKET] };

/** Reports every bucket: the level of the finding is what these tests look at. */
function alwaysFires(name: string, enforcementLevel?: EnforcementLevel): ResourceRule {
  return { name, description: `${name}.`, meta, ...(enforcementLevel ? { enforcementLevel } : {}), validateResource: (a, r) => void (a.type === BUCKET && r("fired")) };
}

const graph: CapturedResource[] = [
  captured("pulumi:pulumi:Stack", "tila-platform-dev"),
  captured(BUCKET, "logs", { inputs: { acl: "private" }, outputs: { acl: "private", arn: "arn:aws:s3:::logs" } }),
];

function levelsOf(rules: Rule[], config: unknown, packEnforcementLevel?: EnforcementLevel) {
  const result = runPolicies(graph, rules, config, { packEnforcementLevel });
  expect(result.errors).to.deep.equal([]);
  return Object.fromEntries(rules.map((r) => [r.name, result.violations.filter((v) => v.policy === r.name).map((v) => v.level)]));
}

describe("runPolicies", () => {
  describe("enforcement levels, as the CLI resolves --policy-pack-config", () => {
    it("falls back to the policy's own level, then the pack's, then advisory", () => {
      const rules = [alwaysFires("own-mandatory", "mandatory"), alwaysFires("no-level")];
      expect(levelsOf(rules, {})).to.deep.equal({ "own-mandatory": ["mandatory"], "no-level": ["advisory"] });
      expect(levelsOf(rules, {}, "mandatory")).to.deep.equal({ "own-mandatory": ["mandatory"], "no-level": ["mandatory"] });
    });

    it("lets `all` override every policy's own level, and a per-policy entry override `all`", () => {
      const rules = [alwaysFires("a", "mandatory"), alwaysFires("b"), alwaysFires("c")];
      const config = { all: "advisory", b: "mandatory", c: { enforcementLevel: "mandatory" } };
      expect(levelsOf(rules, config)).to.deep.equal({ a: ["advisory"], b: ["mandatory"], c: ["mandatory"] });
    });

    it("skips a disabled policy and reports remediate as mandatory", () => {
      const rules = [alwaysFires("off", "mandatory"), alwaysFires("fix")];
      const result = runPolicies(graph, rules, { off: "disabled", fix: "remediate" });
      expect(result.violations.map((v) => [v.policy, v.level])).to.deep.equal([["fix", "mandatory"]]);
      expect(result.levels).to.deep.equal({ off: "disabled", fix: "remediate" });
    });

    it("rejects an invalid level and runs nothing", () => {
      const result = runPolicies(graph, [alwaysFires("a")], { a: "strict" });
      expect(result.violations).to.deep.equal([]);
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]).to.include({ policy: "a", key: "enforcementLevel" });
      expect(result.errors[0].message).to.contain('"strict"');
    });

    it("warns about config for a policy the pack does not have", () => {
      expect(runPolicies(graph, [alwaysFires("a")], { a: "advisory", gone: "mandatory" }).warnings.join()).to.contain('"gone"');
    });

    it("lists mandatory findings first", () => {
      const result = runPolicies(graph, [alwaysFires("z-mandatory", "mandatory"), alwaysFires("a-advisory")], {});
      expect(result.violations.map((v) => v.policy)).to.deep.equal(["z-mandatory", "a-advisory"]);
    });
  });

  describe("policy config", () => {
    const seen: Record<string, unknown>[] = [];
    const configured: ResourceRule = {
      name: "retention",
      description: "Retention.",
      meta,
      configSchema: {
        properties: { days: { type: "integer", minimum: 1, default: 7 }, mode: { type: "string", enum: ["strict", "lax"] } },
        required: ["days"],
      },
      validateResource: (a) => void (a.type === BUCKET && seen.push(a.getConfig())),
    };
    beforeEach(() => (seen.length = 0));

    it("applies schema defaults and merges configured properties over them", () => {
      runPolicies(graph, [configured], {});
      runPolicies(graph, [configured], { retention: { enforcementLevel: "mandatory", mode: "lax" } });
      expect(seen).to.deep.equal([{ days: 7 }, { days: 7, mode: "lax" }]);
    });

    it("rejects config the schema forbids, naming the policy and key, and runs nothing", () => {
      const result = runPolicies(graph, [configured], { retention: { days: 0, mode: "loose" } });
      expect(seen).to.deep.equal([]);
      expect(result.errors.map((e) => [e.policy, e.key])).to.have.deep.members([
        ["retention", "days"],
        ["retention", "mode"],
      ]);
    });

    it("ignores properties under `all`, like the CLI", () => {
      const result = runPolicies(graph, [configured], { all: { enforcementLevel: "advisory", days: 30 } });
      expect(seen).to.deep.equal([{ days: 7 }]);
      expect(result.warnings.join()).to.contain("all");
    });
  });

  describe("resource rules", () => {
    it("see inputs (not outputs), type, name, urn and options", () => {
      const calls: unknown[] = [];
      const rule: ResourceRule = {
        name: "spy",
        description: "Spy.",
        meta,
        validateResource: (a) => void (a.type === BUCKET && calls.push({ props: { ...a.props }, name: a.name, urn: a.urn, opts: a.opts })),
      };
      const bucket = captured(BUCKET, "data", {
        inputs: { acl: "private" },
        outputs: { acl: "private", arn: "arn" },
        options: { protect: true, retainOnDelete: false, dependsOn: [], ignoreChanges: ["tags"], deleteBeforeReplace: false, additionalSecretOutputs: [] },
      });
      runPolicies([bucket], [rule], {});
      expect(calls).to.deep.equal([
        {
          props: { acl: "private" },
          name: "data",
          urn: bucket.urn,
          opts: {
            protect: true,
            ignoreChanges: ["tags"],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            parent: STACK,
          },
        },
      ]);
    });

    it("skip a typed rule for every other type with one frozen outcome, and still run it on its own type", () => {
      const seen: string[] = [];
      const typed: ResourceRule = {
        name: "typed",
        description: "T.",
        meta,
        validateResource: validateResourceOfType({ __pulumiType: BUCKET } as never, (_b, args, report) => {
          seen.push(args.name);
          report("typed fires");
        }),
      };
      const input = (type: string, name: string) => ({ type, name, urn: urn(type, name), props: {} });
      const a = runResourceRule(typed, input("aws:sqs/queue:Queue", "q"), { config: {} });
      const b = runResourceRule(typed, input("aws:sns/topic:Topic", "t"), { config: {} });
      expect(a).to.equal(b);
      expect(a).to.deep.equal({ reports: [], previewNotes: [], notApplicable: [], skippedForType: `Policy only applies to resources of type '${BUCKET}'` });
      expect(Object.isFrozen(a) && Object.isFrozen(a.reports) && Object.isFrozen(a.notApplicable)).to.equal(true);
      expect(() => a.reports.push({ message: "leak" })).to.throw(TypeError);
      const result = runPolicies([captured(BUCKET, "b"), captured("aws:sqs/queue:Queue", "q")], [typed], { typed: "mandatory" });
      expect(seen).to.deep.equal(["b"]);
      expect(result.violations.map((v) => [v.name, v.message])).to.deep.equal([["b", "typed fires"]]);
    });

    it("give every validation its own props and options, and let a rule replace them on its own args", () => {
      const seen: unknown[] = [];
      const mutate: ResourceRule = {
        name: "mutate",
        description: "M.",
        meta,
        validateResource: (a) => {
          (a.props as Record<string, unknown>).acl = "public-read";
          a.opts.ignoreChanges.push("acl");
          a.props = { replaced: true };
          seen.push(a.props);
        },
      };
      const look: ResourceRule = {
        name: "look",
        description: "L.",
        meta,
        validateResource: (a) => {
          const { isType, asType, getConfig } = a;
          seen.push(a.props.acl, a.opts.ignoreChanges, isType({ __pulumiType: BUCKET } as never), (asType({ __pulumiType: BUCKET } as never) as Record<string, unknown> | undefined)?.acl, getConfig());
        },
      };
      runPolicies([captured(BUCKET, "b", { inputs: { acl: "private" } })], [mutate, look], {});
      expect(seen).to.deep.equal([{ replaced: true }, "private", [], true, "private", {}]);
    });

    it("run on components, providers and the stack but not on reads", () => {
      const types: string[] = [];
      const rule: ResourceRule = { name: "types", description: "T.", meta, validateResource: (a) => void types.push(a.type) };
      runPolicies(
        [
          captured("pulumi:pulumi:Stack", "s"),
          captured("tila:data:Store", "store"),
          captured("pulumi:providers:aws", "euw1"),
          captured(BUCKET, "b"),
          captured("aws:s3/bucket:Bucket", "imported", { read: true }),
        ],
        [rule],
        {},
      );
      expect(types).to.deep.equal(["pulumi:pulumi:Stack", "tila:data:Store", "pulumi:providers:aws", BUCKET]);
    });

    it("attribute a finding to the analysed resource and pass its explicit provider", () => {
      const provider = captured("pulumi:providers:aws", "euw1", { inputs: { region: "eu-west-1" } });
      const bucket = captured(BUCKET, "b", { options: { ...graph[1].options, provider: `${provider.urn}::prov-id` } });
      const rule: ResourceRule = {
        name: "region",
        description: "Region.",
        meta,
        validateResource: (a, r) => void (a.provider?.props.region === "eu-west-1" && r("wrong region", "urn:elsewhere")),
      };
      const result = runPolicies([provider, bucket], [rule], {});
      expect(result.violations).to.deep.equal([{ policy: "region", level: "advisory", message: "wrong region", urn: bucket.urn, name: "b", type: BUCKET }]);
    });

    it("turn an unknown value into an advisory preview note, not a violation", () => {
      const rule: ResourceRule = { name: "acl", description: "ACL.", enforcementLevel: "mandatory", meta, validateResource: (a, r) => void (a.props.acl !== "private" && r("public")) };
      const result = runPolicies([captured(BUCKET, "b", { inputs: { acl: UNKNOWN } })], [rule], {});
      expect(result.violations).to.deep.equal([]);
      expect(result.notes).to.have.length(1);
      expect(result.notes[0]).to.include({ policy: "acl", level: "advisory", name: "b" });
      expect(result.notes[0].message).to.match(/can't run policy 'acl' during preview: .*\.acl/);
    });

    it("record notApplicable() with the resource, but not the type fast path's skips", () => {
      const explicit: ResourceRule = { name: "explicit", description: "E.", meta, validateResource: (a) => void (a.type === BUCKET && a.notApplicable("no data")) };
      const typed: ResourceRule = { name: "typed", description: "T.", meta, validateResource: validateResourceOfType({ __pulumiType: "aws:ec2/vpc:Vpc" } as never, () => undefined) };
      const result = runPolicies(graph, [explicit, typed], {});
      expect(result.notApplicable).to.deep.equal([{ policy: "explicit", reason: "no data", urn: graph[1].urn }]);
    });

    it("record a rule that throws as an error and keep running the others", () => {
      const broken: ResourceRule = { name: "broken", description: "B.", meta, validateResource: (a) => void (a.props as { x: { y: 1 } }).x.y };
      const result = runPolicies(graph, [broken, alwaysFires("fine")], {});
      expect(result.errors.map((e) => e.policy)).to.deep.equal(["broken", "broken"]);
      expect(result.errors[1].urn).to.equal(graph[1].urn);
      expect(result.violations.map((v) => v.policy)).to.deep.equal(["fine"]);
    });
  });

  describe("stack rules", () => {
    it("see outputs of every resource, reads included, with parents and dependencies linked", () => {
      const seen: string[] = [];
      const rule: StackRule = {
        name: "links",
        description: "Links.",
        meta,
        validateStack: (args, report) => {
          for (const r of args.resources) {
            seen.push(`${r.name}<-${r.parent?.name ?? "-"} deps[${r.dependencies.map((d) => d.name).join(",")}] arn=${String(r.props.arn ?? "")}`);
          }
          const log = args.resources.find((r) => r.name === "log");
          if (log && !log.dependencies.some((d) => d.type === BUCKET)) report("log has no bucket", log.urn);
          report("stack-wide");
        },
      };
      const net = captured("tila:network:Net", "net");
      const bucket = captured(BUCKET, "b", { parent: net.urn, outputs: { arn: "arn:b" }, inputs: {} });
      const log = captured("aws:cloudwatch/logGroup:LogGroup", "log", { parent: net.urn, options: { ...graph[1].options, dependsOn: [net.urn] } });
      const ref = captured("pulumi:pulumi:StackReference", "mgmt", { read: true });
      const result = runPolicies([net, bucket, log, ref], [rule], {});
      expect(seen).to.deep.equal(["net<-- deps[] arn=", "b<-net deps[] arn=arn:b", "log<-net deps[net] arn=", "mgmt<-- deps[] arn="]);
      expect(result.violations).to.deep.equal([
        { policy: "links", level: "advisory", message: "stack-wide" },
        { policy: "links", level: "advisory", message: "log has no bucket", urn: log.urn, name: "log", type: log.type },
      ]);
    });

    it("give every rule its own copy of each resource: one rule's changes are not seen by the next", () => {
      const seen: unknown[] = [];
      const mutate: StackRule = {
        name: "mutate",
        description: "M.",
        meta,
        validateStack: (a) => {
          const b = a.resources.find((x) => x.name === "b")!;
          b.props.arn = "changed";
          b.opts.protect = true;
          b.dependencies.push(b);
        },
      };
      const look: StackRule = {
        name: "look",
        description: "L.",
        meta,
        validateStack: (a) => {
          const b = a.resources.find((x) => x.name === "b")!;
          // Detached, as the server's closures allow.
          const { isType, asType } = b;
          seen.push(b.props.arn, b.opts.protect, b.dependencies.length, isType({ __pulumiType: BUCKET } as never), (asType({ __pulumiType: BUCKET } as never) as Record<string, unknown> | undefined)?.arn);
        },
      };
      runPolicies([captured(BUCKET, "b", { outputs: { arn: "arn:b" } })], [mutate, look], {});
      expect(seen).to.deep.equal(["arn:b", false, 0, true, "arn:b"]);
    });

    it("give an unknown output the same preview treatment", () => {
      const rule: StackRule = { name: "arn", description: "Arn.", meta, validateStack: (a, r) => void (a.resources.some((x) => x.props.arn === "x") && r("x")) };
      const result = runPolicies([captured(BUCKET, "b", { outputs: { arn: UNKNOWN } })], [rule], { arn: "mandatory" });
      expect(result.violations).to.deep.equal([]);
      expect(result.notes.map((n) => n.policy)).to.deep.equal(["arn"]);
    });
  });
});

describe("npm run plan with the policy pack", function () {
  this.timeout(120_000);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPlanCli } = require("../support/planCli") as typeof import("../support/planCli");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require("os") as typeof import("os");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  const PROJECT = path.resolve(__dirname, "../fixtures/program");
  const VPC = "aws:ec2/vpc:Vpc";

  const costCenter: ResourceRule = {
    name: "fixture-vpc-cost-center",
    description: "Fixture: VPCs carry a CostCenter tag.",
    meta: { category: "security", domain: "tagging", appliesTo: [VPC] },
    validateResource: (a, report) => {
      if (a.type === VPC && !(a.props.tags ?? {}).CostCenter) report(`VPC ${a.name} has no CostCenter tag`);
    },
  };
  const subnetLinks: StackRule = {
    name: "fixture-subnet-links",
    description: "Fixture: reports how each subnet is linked.",
    meta: { category: "availability", domain: "network", appliesTo: ["aws:ec2/subnet:Subnet"] },
    validateStack: (args, report) => {
      for (const s of args.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet")) {
        report(`parent ${s.parent?.type ?? "none"}; depends on ${s.dependencies.map((d) => d.type).join(",") || "nothing"}`, s.urn);
      }
    },
  };

  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-policy-plan-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function plan(argv: string[], config: Record<string, unknown> | undefined) {
    const configDir = path.join(dir, "config");
    fs.mkdirSync(configDir);
    if (config) fs.writeFileSync(path.join(configDir, "management.json"), JSON.stringify(config));
    return runPlanCli(["--stack", "management", "--out", path.join(dir, "out"), ...argv], {
      cwd: dir,
      projectDir: PROJECT,
      policy: { rules: [costCenter, subnetLinks], configDir, packEnforcementLevel: "mandatory" },
    });
  }

  it("exits 1 on a mandatory violation and lists every finding per stack in --json", async () => {
    const r = await plan(["--json"], { "fixture-vpc-cost-center": "mandatory", "fixture-subnet-links": "advisory" });
    expect(r.code, r.stderr).to.equal(1);
    const doc = JSON.parse(r.stdout) as { stacks: { stack: string; byType: Record<string, number>; violations?: { policy: string; enforcementLevel: string; name?: string; type?: string; message: string }[] }[] };
    const violations = doc.stacks[0].violations ?? [];
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).to.deep.equal([
      {
        policy: "fixture-vpc-cost-center",
        enforcementLevel: "mandatory",
        message: "VPC management-vpc has no CostCenter tag",
        urn: "urn:pulumi:management::tila-platform::tila:fixture:Network$aws:ec2/vpc:Vpc::management-vpc",
        name: "management-vpc",
        type: VPC,
      },
    ]);
    const links = violations.filter((v) => v.policy === "fixture-subnet-links");
    expect(links).to.have.length(doc.stacks[0].byType["aws:ec2/subnet:Subnet"]).and.not.to.be.empty;
    for (const l of links) expect(l).to.include({ enforcementLevel: "advisory", type: "aws:ec2/subnet:Subnet", message: `parent tila:fixture:Network; depends on ${VPC}` });
  });

  it("exits 0 when the stack's config makes the rule advisory, and prints a count line", async () => {
    const r = await plan([], { "fixture-vpc-cost-center": "advisory", "fixture-subnet-links": "disabled" });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain("  policy violations: 0 mandatory, 1 advisory\n");
    expect(r.stdout).to.contain(`    [advisory] fixture-vpc-cost-center: management-vpc (${VPC}): VPC management-vpc has no CostCenter tag`);
  });

  it("refuses to plan when the stack's policy config is missing: no progress, no report, no files", async () => {
    const r = await plan([], undefined);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.match(/^plan: policy config errors \(the plan stopped; nothing was reported or written\):\n.*management\.json: missing/);
    expect(r.stderr).not.to.contain("[1/1]");
    expect(fs.existsSync(path.join(dir, "out", "management"))).to.equal(false);
  });

  it("reports a pack that cannot run as soon as it is known when it may end the process, once, with nothing reported or written", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main } = require("../../offline/cli") as typeof import("../../offline/cli");
    const configDir = path.join(dir, "config");
    fs.mkdirSync(configDir);
    let stderr = "";
    const exits: { code: number; stderrThen: string }[] = [];
    const code = await main(["--stack", "management", "--out", path.join(dir, "out")], {
      cwd: dir,
      projectDir: PROJECT,
      policy: { rules: [costCenter, subnetLinks], configDir, packEnforcementLevel: "mandatory" },
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      // The command line's exit ends the process; this one records, and the plan goes on.
      exit: (c) => void exits.push({ code: c, stderrThen: stderr }),
    });
    expect(exits.map((e) => e.code)).to.deep.equal([1]);
    expect(exits[0]!.stderrThen).to.match(/^plan: policy config errors \(the plan stopped; nothing was reported or written\):\n.*management\.json: missing/);
    expect(code).to.equal(1);
    expect(stderr, "said once").to.equal(exits[0]!.stderrThen);
    expect(fs.existsSync(path.join(dir, "out", "management"))).to.equal(false);
  });

  it("skips the pack with --no-policy", async () => {
    const r = await plan(["--no-policy", "--json"], undefined);
    expect(r.code, r.stderr).to.equal(0);
    expect((JSON.parse(r.stdout) as { stacks: Record<string, unknown>[] }).stacks[0]).not.to.have.property("violations");
  });
});
