import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { graylogIndexRetentionFloors as rule } from "../../../../policy/rules/logging/graylog-index-retention-floors";
import { DEFAULT_INDEX_SETS } from "../../../../config/loggingSchema";
import { indexPrefix } from "../../../../components/observability/logging/graylogPlan";
import { GRAYLOG_ARCHIVE_MIN_DAYS, GRAYLOG_HOT_MIN_DAYS } from "../../../../components/retentionFloors";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";
import { realStack } from "../../../support/realStacks";
import { mandatoryFindings, realStackPolicy } from "../../../support/realPolicy";
import { planWeakened } from "../../../support/weaken";

const INVOCATION = "aws:lambda/invocation:Invocation";

/** The provisioning input with the default index sets, `change` applied to them. */
function provisioning(change: (sets: Record<string, unknown>[]) => Record<string, unknown>[] = (s) => s): StackResourceSpec {
  const sets = Object.entries(DEFAULT_INDEX_SETS).map(([stack, s]) => ({ stack, prefix: indexPrefix(stack), ...s }));
  return { type: INVOCATION, name: "management-graylog-provisioning", props: { functionName: "graylog-provisioner", input: JSON.stringify({ indexSets: change(sets), streams: [] }) } };
}

const withSet = (stack: string, over: Record<string, unknown>) => (sets: Record<string, unknown>[]) => sets.map((s) => (s.stack === stack ? { ...s, ...over } : s));
const messages = (specs: StackResourceSpec[], config?: Record<string, unknown>) => checkStack(rule, specs, config).map((v) => v.message);

describe("graylog-index-retention-floors", () => {
  it("accepts the default index sets (prod and management 90/365, preprod 30/90, stage 14/0, dev 7/0)", () => {
    expect(checkStack(rule, [provisioning()])).to.deep.equal([]);
  });

  it("refuses prod's hot days below 90 and its archive below a year, on the invocation", () => {
    const out = checkStack(rule, [provisioning(withSet("prod", { hotDays: 30, archiveDays: 180 }))]);
    expect(out.map((v) => v.message)).to.deep.equal([
      "management-graylog-provisioning indexSets[4] keeps prod's hot indices 30 days (hotDays); prod requires at least 90",
      "management-graylog-provisioning indexSets[4] keeps prod's archived snapshots 180 days (archiveDays); prod requires at least 365",
    ]);
    expect(out[0]!.urn).to.match(/::management-graylog-provisioning$/);
  });

  it("defaults to the floors config validation applies (GRAYLOG_HOT_MIN_DAYS, GRAYLOG_ARCHIVE_MIN_DAYS), passing at the floor", () => {
    for (const [stack, floor] of Object.entries(GRAYLOG_HOT_MIN_DAYS)) {
      expect(messages([provisioning(withSet(stack, { hotDays: floor }))]), stack).to.deep.equal([]);
      expect(messages([provisioning(withSet(stack, { hotDays: floor - 1 }))]), stack).to.have.length(1);
    }
    for (const [stack, floor] of Object.entries(GRAYLOG_ARCHIVE_MIN_DAYS)) {
      expect(messages([provisioning(withSet(stack, { archiveDays: floor }))]), stack).to.deep.equal([]);
      expect(messages([provisioning(withSet(stack, { archiveDays: floor - 1 }))]), stack).to.have.length(1);
    }
  });

  it("holds preprod's archive to 90 days and leaves dev and stage without floors", () => {
    expect(messages([provisioning(withSet("preprod", { archiveDays: 60 }))])).to.deep.equal([
      "management-graylog-provisioning indexSets[3] keeps preprod's archived snapshots 60 days (archiveDays); preprod requires at least 90",
    ]);
    expect(messages([provisioning(withSet("dev", { hotDays: 1, archiveDays: 0 }))])).to.deep.equal([]);
  });

  it("refuses an input without prod's index set, or with an index set missing its days or stack", () => {
    expect(messages([provisioning((sets) => sets.filter((s) => s.stack !== "prod"))])).to.deep.equal([
      "management-graylog-provisioning provisions no index set for prod: its logs would land in Graylog's default index set, outside the retention floors",
    ]);
    expect(messages([provisioning(withSet("prod", { hotDays: undefined }))])).to.deep.equal(["management-graylog-provisioning indexSets[4] (prod) has no hotDays"]);
    expect(messages([provisioning((sets) => [...sets, { hotDays: 1 }])])).to.deep.equal(["management-graylog-provisioning indexSets[5] names no stack"]);
  });

  it("takes its floors and required stacks from config", () => {
    const config = { minimumHotDaysByStack: { stage: 30 }, minimumArchiveDaysByStack: {}, requiredStacks: ["prod", "stage"] };
    expect(messages([provisioning(withSet("prod", { hotDays: 7 }))], config)).to.deep.equal([
      "management-graylog-provisioning indexSets[2] keeps stage's hot indices 14 days (hotDays); stage requires at least 30",
    ]);
  });

  it("ignores other invocations and inputs that are not JSON, and skips an input unknown during preview", () => {
    const other: StackResourceSpec = { type: INVOCATION, name: "seed", props: { input: JSON.stringify({ operation: "seed" }) } };
    const notJson: StackResourceSpec = { type: INVOCATION, name: "raw", props: { input: "hello" } };
    expect(checkStack(rule, [other, notJson, provisioning()])).to.deep.equal([]);
    expect(checkStack(rule, [{ ...provisioning(), props: { input: UNKNOWN } }])).to.deep.equal([]);
  });
});

describe("graylog-index-retention-floors on the real management stack", () => {
  it("finds the provisioning input with every stack's index set, and no violation", async () => {
    const run = await realStack("management");
    const input = run.resources.find((r) => r.type === INVOCATION && /"indexSets"/.test(String(r.inputs.input)));
    expect(input, "the provisioning Invocation").to.not.equal(undefined);
    const stacks = (JSON.parse(String(input!.inputs.input)) as { indexSets: { stack: string }[] }).indexSets.map((s) => s.stack);
    expect(stacks).to.include.members(["management", "prod", "preprod", "stage", "dev"]);
    expect((await realStackPolicy("management")).violations.filter((v) => v.policy === rule.name)).to.deep.equal([]);
  });

  it("fails a management whose provisioning input keeps prod's logs 30 days hot", async () => {
    const { run, hits } = await planWeakened("management", (a) => {
      if (a.type !== INVOCATION) return undefined;
      const weakened = pulumi.output(a.props.input as pulumi.Input<string>).apply((text) => {
        const doc = JSON.parse(text) as { indexSets?: { stack: string; hotDays: number }[] };
        if (!doc.indexSets) return text;
        return JSON.stringify({ ...doc, indexSets: doc.indexSets.map((s) => (s.stack === "prod" ? { ...s, hotDays: 30 } : s)) });
      });
      return { ...a.props, input: weakened };
    });
    expect(hits).to.be.at.least(1);
    expect(mandatoryFindings(run.resources, "management", [rule]).map((f) => f.message)).to.deep.equal([
      `management-graylog-provisioning-apply indexSets[3] keeps prod's hot indices 30 days (hotDays); prod requires at least 90`,
    ]);
  });
});
