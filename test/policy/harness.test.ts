import { expect } from "chai";
import { validateResourceOfType, validateStackResourcesOfType } from "@pulumi/policy";
import { checkResource, checkResourceDetailed, checkStack, UNKNOWN } from "../../policy/testing";
import type { ResourceRule, StackRule } from "../../policy/rules/types";

const BUCKET = "aws:s3/bucket:Bucket";
const meta = { category: "security" as const, domain: "data", appliesTo: [BUCKET] };

const encrypted: ResourceRule = {
  name: "example-encrypted",
  description: "Example: buckets must name a KMS key.",
  meta,
  configSchema: { properties: { minDays: { type: "integer", minimum: 1, default: 7 } } },
  validateResource: (args, report) => {
    if (args.type !== BUCKET) return;
    if (!args.props.kmsKeyId) report(`bucket ${args.name} has no kmsKeyId`);
    const { minDays } = args.getConfig<{ minDays: number }>();
    if ((args.props.retentionDays ?? 0) < minDays) report(`retention below ${minDays} days`);
  },
};

describe("policy/testing harness", () => {
  describe("checkResource", () => {
    it("returns no violations for compliant inputs and the reported messages otherwise", () => {
      expect(checkResource(encrypted, BUCKET, { kmsKeyId: "k", retentionDays: 30 })).to.deep.equal([]);
      expect(checkResource(encrypted, BUCKET, { retentionDays: 30 }, { name: "logs" })).to.deep.equal(["bucket logs has no kmsKeyId"]);
    });

    it("applies configSchema defaults and the given config", () => {
      expect(checkResource(encrypted, BUCKET, { kmsKeyId: "k", retentionDays: 3 })).to.deep.equal(["retention below 7 days"]);
      expect(checkResource(encrypted, BUCKET, { kmsKeyId: "k", retentionDays: 3 }, { config: { minDays: 2 } })).to.deep.equal([]);
    });

    it("rejects config the schema forbids, naming the policy and key", () => {
      expect(() => checkResource(encrypted, BUCKET, {}, { config: { minDays: 0 } })).to.throw(/example-encrypted.*minDays/s);
    });

    it("turns an unknown value into a preview note, not a violation", () => {
      const out = checkResourceDetailed(encrypted, BUCKET, { kmsKeyId: UNKNOWN });
      expect(out.violations).to.deep.equal([]);
      expect(out.previewNotes).to.have.length(1);
      expect(out.previewNotes[0]).to.match(/can't run policy 'example-encrypted' during preview.*kmsKeyId/);
    });

    it("drops undefined props the way the CLI's wire format does", () => {
      const rule: ResourceRule = { ...encrypted, name: "has-key", validateResource: (a, r) => void ("kmsKeyId" in a.props && r("has key")) };
      expect(checkResource(rule, BUCKET, { kmsKeyId: undefined })).to.deep.equal([]);
      expect(checkResource(rule, BUCKET, { kmsKeyId: null })).to.deep.equal(["has key"]);
    });

    it("skips a validateResourceOfType rule for other types, like the CLI fast path", () => {
      const typed: ResourceRule = {
        name: "typed",
        description: "Typed.",
        meta,
        validateResource: validateResourceOfType({ __pulumiType: BUCKET } as never, (_p, _a, report) => report("seen")),
      };
      expect(checkResource(typed, BUCKET, {})).to.deep.equal(["seen"]);
      const other = checkResourceDetailed(typed, "aws:s3/bucketV2:BucketV2", {});
      expect(other.violations).to.deep.equal([]);
      expect(other.notApplicable[0]).to.contain(BUCKET);
    });

    it("passes resource options and records notApplicable()", () => {
      const rule: ResourceRule = {
        name: "protected",
        description: "Protected.",
        meta,
        validateResource: (a, r) => {
          if (a.name === "skip") a.notApplicable("skipped on purpose");
          if (!a.opts.protect) r("not protected");
        },
      };
      expect(checkResource(rule, BUCKET, {}, { opts: { protect: true } })).to.deep.equal([]);
      expect(checkResource(rule, BUCKET, {})).to.deep.equal(["not protected"]);
      expect(checkResourceDetailed(rule, BUCKET, {}, { name: "skip" }).notApplicable).to.deep.equal(["skipped on purpose"]);
    });

    it("refuses a stack rule and an async rule", () => {
      const stack: StackRule = { name: "s", description: "S.", meta, validateStack: () => undefined };
      expect(() => checkResource(stack, BUCKET, {})).to.throw(/use checkStack/);
      const asyncRule: ResourceRule = { name: "a", description: "A.", meta, validateResource: async () => undefined };
      expect(() => checkResource(asyncRule, BUCKET, {})).to.throw(/must validate synchronously/);
    });
  });

  describe("checkStack", () => {
    const flowLogs: StackRule = {
      name: "example-flow-logs",
      description: "Example: every VPC has a flow log depending on it.",
      meta: { ...meta, appliesTo: ["aws:ec2/vpc:Vpc", "aws:ec2/flowLog:FlowLog"] },
      validateStack: (args, report) => {
        const vpcs = args.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc");
        for (const vpc of vpcs) {
          const logged = args.resources.some((r) => r.type === "aws:ec2/flowLog:FlowLog" && r.dependencies.includes(vpc));
          if (!logged) report(`vpc ${vpc.name} (parent ${vpc.parent?.name ?? "none"}) has no flow log`, vpc.urn);
        }
      },
    };

    it("links dependencies and parents by name", () => {
      const stack = [
        { type: "tila:network:EnvironmentNetwork", name: "net", props: {} },
        { type: "aws:ec2/vpc:Vpc", name: "a", props: {}, parent: "net" },
        { type: "aws:ec2/vpc:Vpc", name: "b", props: {}, parent: "net" },
        { type: "aws:ec2/flowLog:FlowLog", name: "a-log", props: {}, dependencies: ["a"] },
      ];
      const out = checkStack(flowLogs, stack);
      expect(out).to.deep.equal([{ message: "vpc b (parent net) has no flow log", urn: "urn:pulumi:test::tila-platform::aws:ec2/vpc:Vpc::b" }]);
    });

    it("uses the typed fast path of validateStackResourcesOfType", () => {
      const typed: StackRule = {
        name: "typed-stack",
        description: "Typed.",
        meta,
        validateStack: validateStackResourcesOfType({ __pulumiType: BUCKET } as never, (buckets, _a, report) => report(`${buckets.length} buckets`)),
      };
      expect(checkStack(typed, [{ type: BUCKET, props: {} }, { type: BUCKET, props: {} }])).to.deep.equal([{ message: "2 buckets" }]);
      expect(checkStack(typed, [{ type: "aws:ec2/vpc:Vpc", props: {} }])).to.deep.equal([]);
    });

    it("rejects references to resources not in the list", () => {
      expect(() => checkStack(flowLogs, [{ type: "aws:ec2/vpc:Vpc", props: {}, parent: "nope" }])).to.throw(/"nope"/);
    });
  });
});
