/**
 * The four weakenings issue 10 found planning green in prod (flow-log expiry, ALB access-log expiry,
 * data-cluster snapshot retention, a WAF rate limit too high to matter) now fail the plan twice
 * over: as config, naming the key, and as a resource weakened after the components validated
 * their arguments, naming the policy rule.
 */
import { expect } from "chai";
import { PolicyFinding } from "../../offline/policyRunner";
import { failureOfEditedStack } from "../support/editedStack";
import { mandatoryFindings } from "../support/realPolicy";
import { Weaken, planWeakenedTogether } from "../support/weaken";

const mandatory = mandatoryFindings;

/** The message the stack's run fails with when `key` of its stack file is set to `value`. */
function failureWith(stack: string, key: readonly (string | number)[], value: unknown): Promise<string> {
  return failureOfEditedStack(
    stack,
    (doc) => {
      expect(doc.hasIn(["config", ...key]), key.join(".")).to.equal(true);
      doc.setIn(["config", ...key], value);
    },
    `${key.join(".")} = ${String(value)}`,
  );
}

type Rules = { rules?: { expiration?: { days?: number } }[] };

describe("retention floors and the WAF ceiling (issue 10, item 5)", () => {
  describe("as config: the plan refuses the weakened key", () => {
    it("flow logs kept 30 days in prod", async () => {
      expect(await failureWith("prod", ["tila-platform:network", "flowLogs", "retentionDays"], 30))
        .to.include("tila-platform:network.flowLogs.retentionDays: prod keeps VPC flow logs (s3) at least 365 days (got 30)");
    });

    it("ALB access logs kept 30 days in preprod", async () => {
      expect(await failureWith("preprod", ["tila-platform:edge", "accessLogRetentionDays"], 30))
        .to.include("tila-platform:edge.accessLogRetentionDays: preprod keeps ALB access logs at least 90 days (got 30)");
    });

    it("a week of data-cluster snapshots in prod", async () => {
      expect(await failureWith("prod", ["tila-platform:data", "snapshotRetentionDays"], 7))
        .to.include("tila-platform:data.snapshotRetentionDays: prod keeps daily snapshots of the data clusters at least 14 days (got 7)");
    });

    it("a WAF rate limit of two billion in prod", async () => {
      expect(await failureWith("prod", ["tila-platform:edge", "waf", "rateLimit"], 2_000_000_000))
        .to.match(/tila-platform:edge\.waf\.rateLimit: 2000000000 requests per 300 s from one IP is too high to stop a single source; at most 10000/);
    });
  });

  describe("as resources: the policy pack names the rule", () => {
    // The four weakenings touch four different resources, so one weakened run of prod carries
    // them all (one prod capture instead of four). Each test below checks its own weakening hit
    // exactly its resource and that the findings about that resource are the ones it expects;
    // the last test checks the run's findings are exactly those four sets, so a finding any of
    // them causes on some other resource, or a rule that fires for no weakening, still fails.
    const weakenings: Record<string, Weaken> = {
      flowLogs: (a) => {
        if (a.type !== "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" || a.name !== "prod-flow-logs-lifecycle") return undefined;
        const props = a.props as Rules;
        return { ...a.props, rules: props.rules!.map((r) => ({ ...r, expiration: { days: 30 } })) };
      },
      accessLogs: (a) => {
        if (a.type !== "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" || a.name !== "prod-public-access-logs-lifecycle") return undefined;
        const props = a.props as Rules;
        return { ...a.props, rules: props.rules!.map((r) => ({ ...r, expiration: { days: 30 } })) };
      },
      snapshots: (a) => {
        if (a.type !== "aws:dlm/lifecyclePolicy:LifecyclePolicy" || a.name !== "prod-kafka-snapshots") return undefined;
        const details = a.props.policyDetails as { schedules: Record<string, unknown>[] };
        return { ...a.props, policyDetails: { ...details, schedules: details.schedules.map((s) => ({ ...s, retainRule: { count: 7 } })) } };
      },
      rateLimit: (a) => {
        if (a.type !== "aws:wafv2/webAcl:WebAcl") return undefined;
        const rules = a.props.rules as { statement?: { rateBasedStatement?: Record<string, unknown> } }[];
        return {
          ...a.props,
          rules: rules.map((r) => (r.statement?.rateBasedStatement ? { ...r, statement: { rateBasedStatement: { ...r.statement.rateBasedStatement, limit: 2_000_000_000 } } } : r)),
        };
      },
    };
    let hits: Record<string, string[]> = {};
    let found: PolicyFinding[];
    before(async () => {
      const weakened = await planWeakenedTogether("prod", weakenings);
      hits = weakened.hits;
      found = mandatory(weakened.run.resources, "prod");
    });
    const about = (...names: string[]) => found.filter((f) => f.name !== undefined && names.includes(f.name));

    it("a flow-log bucket that expires after 30 days", () => {
      expect(hits.flowLogs).to.deep.equal(["prod-flow-logs-lifecycle"]);
      const mine = about("prod-flow-log", "prod-flow-logs-lifecycle");
      expect(mine.map((f) => `${f.policy} ${f.name}`)).to.deep.equal(["flow-logs-retained-for-audit prod-flow-log"]);
      expect(mine[0]!.message).to.include("expires objects after 30 days; prod keeps flow logs at least 365");
    });

    it("an access-log bucket that expires after 30 days", () => {
      expect(hits.accessLogs).to.deep.equal(["prod-public-access-logs-lifecycle"]);
      expect(about("prod-public-alb").map((f) => `${f.policy} ${f.name}`)).to.deep.equal(["edge-logs-retained-for-audit prod-public-alb"]);
    });

    it("a data-cluster snapshot policy that keeps a week", () => {
      expect(hits.snapshots).to.deep.equal(["prod-kafka-snapshots"]);
      expect(about("prod-kafka-snapshots").map((f) => `${f.policy} ${f.name}`)).to.deep.equal(["ebs-snapshots-retained-in-prod prod-kafka-snapshots"]);
    });

    it("a web ACL whose rate limit is two billion", () => {
      expect(hits.rateLimit).to.deep.equal(["prod-waf-web-acl"]);
      expect(about("prod-waf-web-acl").map((f) => f.policy)).to.deep.equal(["waf-rate-limit-bounded"]);
    });

    it("and the four weakenings together raise exactly those four findings, nothing else", () => {
      expect(found.map((f) => `${f.policy} ${f.name ?? "(stack)"}`).sort()).to.deep.equal([
        "ebs-snapshots-retained-in-prod prod-kafka-snapshots",
        "edge-logs-retained-for-audit prod-public-alb",
        "flow-logs-retained-for-audit prod-flow-log",
        "waf-rate-limit-bounded prod-waf-web-acl",
      ].sort());
    });
  });
});
