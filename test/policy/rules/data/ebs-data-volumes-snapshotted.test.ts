import { expect } from "chai";
import { checkStack, StackResourceSpec, UNKNOWN } from "../../../../policy/testing";
import { ebsDataVolumesSnapshotted as rule } from "../../../../policy/rules/data/ebs-data-volumes-snapshotted";

const VOLUME = "aws:ebs/volume:Volume";
const DLM = "aws:dlm/lifecyclePolicy:LifecyclePolicy";

const volume = (name: string, tags: Record<string, unknown>): StackResourceSpec => ({ type: VOLUME, name, props: { availabilityZone: "me-south-1a", encrypted: true, tags } });

function snapshots(name: string, targetTags: Record<string, unknown>, over: Record<string, unknown> = {}): StackResourceSpec {
  return {
    type: DLM,
    name,
    props: {
      state: "ENABLED",
      policyDetails: {
        policyType: "EBS_SNAPSHOT_MANAGEMENT",
        resourceTypes: ["VOLUME"],
        targetTags,
        schedules: [{ name: "daily", createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" }, retainRule: { count: 7 } }],
        ...over,
      },
    },
  };
}

const kafka = (i: number, extra: Record<string, unknown> = {}) => volume(`prod-kafka-data-${i}`, { Environment: "prod", Cluster: "prod-kafka", Snapshot: "prod-kafka", ...extra });

describe("ebs-data-volumes-snapshotted", () => {
  it("accepts data volumes targeted by an enabled DLM volume policy", () => {
    expect(checkStack(rule, [kafka(0), kafka(1), snapshots("prod-kafka-snapshots", { Snapshot: "prod-kafka" })])).to.deep.equal([]);
  });

  it("rejects a tagged volume no policy targets, on the volume's URN", () => {
    const out = checkStack(rule, [kafka(0), volume("prod-zk-data-0", { Cluster: "prod-zk", Snapshot: "prod-zk" }), snapshots("prod-kafka-snapshots", { Snapshot: "prod-kafka" })]);
    expect(out.map((v) => v.message)).to.deep.equal(["EBS volume prod-zk-data-0 is not snapshotted: no enabled DLM volume policy targets Snapshot=prod-zk"]);
    expect(out[0].urn).to.match(/::prod-zk-data-0$/);
  });

  it("rejects a cluster volume that lost its Snapshot tag", () => {
    const out = checkStack(rule, [volume("prod-kafka-data-9", { Cluster: "prod-kafka" }), snapshots("prod-kafka-snapshots", { Snapshot: "prod-kafka" })]);
    expect(out[0].message).to.match(/its Cluster=prod-kafka volume \(tag it Snapshot=<cluster>\)/);
  });

  it("does not count a disabled policy, one for instances, or one without schedules", () => {
    for (const policy of [
      { ...snapshots("p", { Snapshot: "prod-kafka" }), props: { ...snapshots("p", { Snapshot: "prod-kafka" }).props, state: "DISABLED" } },
      snapshots("p", { Snapshot: "prod-kafka" }, { resourceTypes: ["INSTANCE"] }),
      snapshots("p", { Snapshot: "prod-kafka" }, { schedules: [] }),
    ]) {
      expect(checkStack(rule, [kafka(0), policy])).to.have.length(1);
    }
  });

  it("leaves volumes without Snapshot or Cluster tags alone", () => {
    expect(checkStack(rule, [volume("scratch", { Environment: "dev" })])).to.deep.equal([]);
  });

  it("does not report while target tags or volume tags are unknown during preview", () => {
    expect(checkStack(rule, [kafka(0), snapshots("p", { Snapshot: UNKNOWN })])).to.deep.equal([]);
    expect(checkStack(rule, [kafka(0, { Snapshot: UNKNOWN }), snapshots("p", { Snapshot: "other" })])).to.deep.equal([]);
  });
});
