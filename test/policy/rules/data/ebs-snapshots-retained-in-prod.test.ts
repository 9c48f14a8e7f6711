import { expect } from "chai";
import { ebsSnapshotsRetainedInProd as rule } from "../../../../policy/rules/data/ebs-snapshots-retained-in-prod";
import { checkResource } from "../../../../policy/testing";

const DLM = "aws:dlm/lifecyclePolicy:LifecyclePolicy";

function policy(env: string, schedule: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    state: "ENABLED",
    policyDetails: { policyType: "EBS_SNAPSHOT_MANAGEMENT", resourceTypes: ["VOLUME"], targetTags: { Snapshot: "c" }, schedules: [{ name: "daily", ...schedule }], ...over },
    tags: { Environment: env },
  };
}
const daily = (count: number) => ({ createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" }, retainRule: { count } });

describe("ebs-snapshots-retained-in-prod", () => {
  it("accepts 14 daily snapshots in prod and preprod, and anything in dev", () => {
    expect(checkResource(rule, DLM, policy("prod", daily(14)))).to.deep.equal([]);
    expect(checkResource(rule, DLM, policy("preprod", daily(14)))).to.deep.equal([]);
    expect(checkResource(rule, DLM, policy("dev", daily(3)))).to.deep.equal([]);
  });

  it("refuses a prod policy that keeps a week", () => {
    expect(checkResource(rule, DLM, policy("prod", daily(7)), { name: "prod-kafka-snapshots" })).to.deep.equal([
      'DLM policy prod-kafka-snapshots (prod) keeps snapshots less than the 14 days prod requires: schedule "daily" keeps 7 days',
    ]);
    expect(checkResource(rule, DLM, policy("preprod", daily(13)))).to.have.length(1);
  });

  it("counts snapshots by their create interval, and age-based retention by its unit", () => {
    expect(checkResource(rule, DLM, policy("prod", { createRule: { interval: 12, intervalUnit: "HOURS" }, retainRule: { count: 20 } }))).to.have.length(1); // 10 days
    expect(checkResource(rule, DLM, policy("prod", { createRule: { interval: 12, intervalUnit: "HOURS" }, retainRule: { count: 28 } }))).to.deep.equal([]);
    expect(checkResource(rule, DLM, policy("prod", { createRule: { interval: 24 }, retainRule: { interval: 2, intervalUnit: "WEEKS" } }))).to.deep.equal([]);
    expect(checkResource(rule, DLM, policy("prod", { createRule: { interval: 24 }, retainRule: { interval: 10, intervalUnit: "DAYS" } }))).to.have.length(1);
  });

  it("refuses a count retention on a cron schedule, which says nothing about age", () => {
    expect(checkResource(rule, DLM, policy("prod", { createRule: { cronExpression: "cron(0 3 * * ? *)" }, retainRule: { count: 30 } }))[0]).to.match(/cron expression/);
  });

  it("ignores disabled policies and policies for instances", () => {
    expect(checkResource(rule, DLM, { ...policy("prod", daily(1)), state: "DISABLED" })).to.deep.equal([]);
    expect(checkResource(rule, DLM, policy("prod", daily(1), { resourceTypes: ["INSTANCE"] }))).to.deep.equal([]);
  });

  it("takes the floors from config", () => {
    expect(checkResource(rule, DLM, policy("stage", daily(3)), { config: { minimumDaysByEnvironment: { stage: 7 } } })).to.have.length(1);
  });
});
