import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
} from "@aws-sdk/client-ec2";
import { DescribeTasksCommand, ECSClient, StopTaskCommand, TagResourceCommand } from "@aws-sdk/client-ecs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { FINDING_TAG, PREVIOUS_GROUPS_TAG } from "../../functions/incident-isolation/ec2";
import { classify, findingTagValue } from "../../functions/incident-isolation/finding";
import { makeHandler } from "../../functions/incident-isolation/handler";
import { ACCOUNT, CLUSTER, ENV, INSTANCE, QUARANTINE_SG, TASK, TOPIC, VPC, guardDutyEc2, guardDutyEcs, securityHubCritical } from "./incidentFixtures";

const FINDING_ID = "a4c3f1e2d5b6a7c8d9e0f1a2b3c4d5e6";
const NOW = new Date("2026-12-04T10:00:00Z");

/** An instance with two volumes and two interfaces, as DescribeInstances returns it. */
function instance(state: { groups?: string[][]; tags?: { Key: string; Value: string }[] } = {}) {
  const groups = state.groups ?? [["sg-0aaa", "sg-0bbb"], ["sg-0ccc"]];
  return {
    Reservations: [
      {
        Instances: [
          {
            InstanceId: INSTANCE,
            VpcId: VPC,
            State: { Name: "running" as const },
            BlockDeviceMappings: [
              { DeviceName: "/dev/xvda", Ebs: { VolumeId: "vol-0root" } },
              { DeviceName: "/dev/sdf", Ebs: { VolumeId: "vol-0data" } },
            ],
            NetworkInterfaces: groups.map((g, i) => ({ NetworkInterfaceId: `eni-0${i}`, Groups: g.map((GroupId) => ({ GroupId })) })),
            Tags: state.tags ?? [{ Key: "Name", Value: "prod-mongodb-1" }],
          },
        ],
      },
    ],
  };
}

function setup(env: Record<string, string> = ENV) {
  const ec2 = new EC2Client({ region: "me-south-1" });
  const ecs = new ECSClient({ region: "me-south-1" });
  const sns = new SNSClient({ region: "me-south-1" });
  const ec2Mock = mockClient(ec2);
  const ecsMock = mockClient(ecs);
  const snsMock = mockClient(sns);
  snsMock.on(PublishCommand).resolves({ MessageId: "m-1" });
  const logs: string[] = [];
  const handle = makeHandler({ clients: { ec2, ecs, sns }, env, log: (l) => logs.push(l), now: () => NOW });
  return { ec2Mock, ecsMock, snsMock, handle, logs };
}

/** Every call the mocks saw that changes something. */
function mutations(m: ReturnType<typeof setup>): string[] {
  return [
    ...m.ec2Mock.commandCalls(CreateSnapshotCommand).map(() => "CreateSnapshot"),
    ...m.ec2Mock.commandCalls(ModifyNetworkInterfaceAttributeCommand).map(() => "ModifyNetworkInterfaceAttribute"),
    ...m.ec2Mock.commandCalls(CreateTagsCommand).map(() => "CreateTags"),
    ...m.ecsMock.commandCalls(TagResourceCommand).map(() => "TagResource"),
    ...m.ecsMock.commandCalls(StopTaskCommand).map(() => "StopTask"),
  ];
}

describe("incident-isolation: reading findings", () => {
  it("names the instance of a GuardDuty EC2 finding and the task of a GuardDuty ECS finding", () => {
    const ec2 = classify(guardDutyEc2());
    expect(ec2.ok && ec2.finding.target).to.deep.equal({ kind: "ec2-instance", instanceId: INSTANCE });
    const ecs = classify(guardDutyEcs());
    expect(ecs.ok && ecs.finding.target).to.deep.equal({ kind: "ecs-task", taskArn: TASK, clusterArn: CLUSTER });
  });

  it("names the resource of a Security Hub finding from its ASFF resource ARN", () => {
    const ec2 = classify(securityHubCritical({ Type: "AwsEc2Instance", Id: `arn:aws:ec2:me-south-1:${ACCOUNT}:instance/${INSTANCE}` }));
    expect(ec2.ok && ec2.finding.target).to.deep.equal({ kind: "ec2-instance", instanceId: INSTANCE });
    const ecs = classify(securityHubCritical({ Type: "AwsEcsTask", Id: TASK }));
    expect(ecs.ok && ecs.finding.target).to.deep.equal({ kind: "ecs-task", taskArn: TASK, clusterArn: CLUSTER });
  });

  it("explains, without throwing, every event it cannot act on", () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /unknown event source/],
      ["a string", /unknown event source/],
      [{ source: "aws.s3" }, /unknown event source "aws.s3"/],
      [{ ...guardDutyEc2(), detail: { ...(guardDutyEc2().detail as object), id: undefined } }, /malformed GuardDuty event: detail.id/],
      [{ ...guardDutyEc2(), detail: { ...(guardDutyEc2().detail as object), severity: "high" } }, /detail.severity/],
      [guardDutyEc2({ instanceId: "not-an-instance" }), /instanceDetails.instanceId/],
      [{ ...guardDutyEc2(), detail: { ...(guardDutyEc2().detail as object), resource: { resourceType: "AccessKey" } } }, /no isolation action for resource type AccessKey/],
      [guardDutyEcs("arn:aws:ecs:me-south-1:444444444444:task/old-format-id"), /taskDetails.arn/],
      [securityHubCritical({ Type: "AwsS3Bucket", Id: "arn:aws:s3:::bucket" }), /no isolation action for resource types AwsS3Bucket/],
      [{ source: "aws.securityhub", "detail-type": "Security Hub Findings - Imported", detail: { findings: [] } }, /one finding per event/],
    ];
    for (const [event, reason] of cases) {
      const c = classify(event);
      expect(c.ok, JSON.stringify(event)).to.equal(false);
      if (!c.ok) expect(c.reason).to.match(reason);
    }
  });

  it("tags with the finding id, or its SHA-256 when the id is longer than a tag value may be", () => {
    expect(findingTagValue(FINDING_ID)).to.equal(FINDING_ID);
    const long = "x".repeat(300);
    expect(findingTagValue(long)).to.match(/^sha256:[0-9a-f]{64}$/).and.have.length.below(257);
  });
});

describe("incident-isolation: an EC2 finding", () => {
  it("snapshots every volume, then quarantines every interface, then tags the instance, and publishes the record", async () => {
    const m = setup();
    m.ec2Mock.on(DescribeInstancesCommand).resolves(instance());
    m.ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    m.ec2Mock.on(CreateSnapshotCommand, { VolumeId: "vol-0root" }).resolves({ SnapshotId: "snap-0root" });
    m.ec2Mock.on(CreateSnapshotCommand, { VolumeId: "vol-0data" }).resolves({ SnapshotId: "snap-0data" });
    const result = await m.handle(guardDutyEc2());

    expect(result.status).to.equal("handled");
    const snaps = m.ec2Mock.commandCalls(CreateSnapshotCommand).map((c) => c.args[0].input);
    expect(snaps.map((s) => s.VolumeId)).to.deep.equal(["vol-0root", "vol-0data"]);
    for (const s of snaps) expect(s.TagSpecifications?.[0]?.Tags).to.deep.include({ Key: FINDING_TAG, Value: FINDING_ID });
    const swaps = m.ec2Mock.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input);
    expect(swaps).to.deep.equal([
      { NetworkInterfaceId: "eni-00", Groups: [QUARANTINE_SG] },
      { NetworkInterfaceId: "eni-01", Groups: [QUARANTINE_SG] },
    ]);
    const tags = m.ec2Mock.commandCalls(CreateTagsCommand)[0]!.args[0].input;
    expect(tags.Resources).to.deep.equal([INSTANCE]);
    expect(tags.Tags).to.deep.include({ Key: FINDING_TAG, Value: FINDING_ID });
    expect(tags.Tags).to.deep.include({ Key: PREVIOUS_GROUPS_TAG, Value: "eni-00=sg-0aaa+sg-0bbb eni-01=sg-0ccc" });

    // Order: evidence first, isolation second, the tag last.
    const order = m.ec2Mock.calls().map((c) => c.args[0].constructor.name);
    expect(order.lastIndexOf("CreateSnapshotCommand")).to.be.below(order.indexOf("ModifyNetworkInterfaceAttributeCommand"));
    expect(order.lastIndexOf("ModifyNetworkInterfaceAttributeCommand")).to.be.below(order.indexOf("CreateTagsCommand"));

    const published = m.snsMock.commandCalls(PublishCommand);
    expect(published).to.have.length(1);
    expect(published[0]!.args[0].input.TopicArn).to.equal(TOPIC);
    expect(published[0]!.args[0].input.Subject).to.equal(`Isolated ${INSTANCE}`);
    const record = JSON.parse(published[0]!.args[0].input.Message ?? "{}");
    expect(record.outcome).to.equal("isolated");
    expect(record.evidence.interfaces).to.deep.equal([{ id: "eni-00", groups: ["sg-0aaa", "sg-0bbb"] }, { id: "eni-01", groups: ["sg-0ccc"] }]);
    expect(record.steps.filter((s: { status: string }) => s.status === "done")).to.have.length(5);
  });

  it("does nothing new for a second event about the same finding", async () => {
    const m = setup();
    m.ec2Mock.on(DescribeInstancesCommand).resolves(instance({ groups: [[QUARANTINE_SG], [QUARANTINE_SG]], tags: [{ Key: FINDING_TAG, Value: FINDING_ID }] }));
    m.ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: "snap-0root", VolumeId: "vol-0root" }, { SnapshotId: "snap-0data", VolumeId: "vol-0data" }] });
    const result = await m.handle(guardDutyEc2());

    expect(mutations(m)).to.deep.equal([]);
    expect(m.snsMock.commandCalls(PublishCommand)).to.have.length(0);
    expect(result.status === "handled" && result.record.outcome).to.equal("already-handled");
    // The snapshot lookup is by this finding's tag, on this account's snapshots only.
    expect(m.ec2Mock.commandCalls(DescribeSnapshotsCommand)[0]!.args[0].input).to.deep.include({ OwnerIds: ["self"], Filters: [{ Name: `tag:${FINDING_TAG}`, Values: [FINDING_ID] }] });
  });

  it("after a partial run, only does the steps still missing", async () => {
    const m = setup();
    m.ec2Mock.on(DescribeInstancesCommand).resolves(instance({ groups: [[QUARANTINE_SG], ["sg-0ccc"]] }));
    m.ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: "snap-0root", VolumeId: "vol-0root" }] });
    m.ec2Mock.on(CreateSnapshotCommand).resolves({ SnapshotId: "snap-new" });
    await m.handle(guardDutyEc2());
    expect(m.ec2Mock.commandCalls(CreateSnapshotCommand).map((c) => c.args[0].input.VolumeId)).to.deep.equal(["vol-0data"]);
    expect(m.ec2Mock.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input.NetworkInterfaceId)).to.deep.equal(["eni-01"]);
    expect(m.ec2Mock.commandCalls(CreateTagsCommand)).to.have.length(1);
  });

  it("follows DescribeSnapshots pages before deciding which volumes still need a snapshot", async () => {
    const m = setup();
    m.ec2Mock.on(DescribeInstancesCommand).resolves(instance());
    m.ec2Mock
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [{ VolumeId: "vol-0root" }], NextToken: "page-2" })
      .resolvesOnce({ Snapshots: [{ VolumeId: "vol-0data" }] });
    await m.handle(guardDutyEc2());
    expect(m.ec2Mock.commandCalls(DescribeSnapshotsCommand)[1]!.args[0].input.NextToken).to.equal("page-2");
    expect(m.ec2Mock.commandCalls(CreateSnapshotCommand)).to.have.length(0);
  });

  for (const [name, command] of [
    ["DescribeInstances", DescribeInstancesCommand],
    ["DescribeSnapshots", DescribeSnapshotsCommand],
    ["CreateSnapshot", CreateSnapshotCommand],
    ["ModifyNetworkInterfaceAttribute", ModifyNetworkInterfaceAttributeCommand],
    ["CreateTags", CreateTagsCommand],
  ] as const) {
    it(`reports a failure of ${name}: publishes it, then throws so that the invocation fails`, async () => {
      const m = setup();
      m.ec2Mock.on(DescribeInstancesCommand).resolves(instance());
      m.ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
      m.ec2Mock.on(CreateSnapshotCommand).resolves({ SnapshotId: "snap-1" });
      const denied = Object.assign(new Error(`not authorized to perform ${name}`), { name: "UnauthorizedOperation" });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      m.ec2Mock.on(command as any).rejects(denied);
      let thrown: unknown;
      await m.handle(guardDutyEc2()).catch((e: unknown) => (thrown = e));
      expect(thrown, "the handler must throw").to.be.instanceOf(Error);
      expect((thrown as Error).message).to.contain(`not authorized to perform ${name}`);
      const published = m.snsMock.commandCalls(PublishCommand);
      expect(published).to.have.length(1);
      expect(published[0]!.args[0].input.Subject).to.equal(`FAILED isolation of ${INSTANCE}`);
      const record = JSON.parse(published[0]!.args[0].input.Message ?? "{}");
      expect(record.outcome).to.equal("failed");
      expect(record.steps.some((s: { status: string; detail: string }) => s.status === "failed" && s.detail.includes(name))).to.equal(true);
    });
  }

  it("still throws the step's error when publishing the failure fails too", async () => {
    const m = setup();
    m.ec2Mock.on(DescribeInstancesCommand).rejects(Object.assign(new Error("throttled"), { name: "RequestLimitExceeded" }));
    m.snsMock.on(PublishCommand).rejects(new Error("KMS key disabled"));
    let thrown: unknown;
    await m.handle(guardDutyEc2()).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.match(/describe-instance failed: RequestLimitExceeded: throttled/);
    expect(m.logs.some((l) => l.includes("KMS key disabled"))).to.equal(true);
  });

  it("fails, without changing anything, when the instance's VPC has no quarantine group", async () => {
    const m = setup({ ...ENV, QUARANTINE_GROUPS: JSON.stringify({ "vpc-0fff0000aaaa11112": QUARANTINE_SG }) });
    m.ec2Mock.on(DescribeInstancesCommand).resolves(instance());
    let thrown: unknown;
    await m.handle(guardDutyEc2()).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.contain(`no quarantine security group for VPC ${VPC}`);
    expect(mutations(m)).to.deep.equal([]);
    expect(m.snsMock.commandCalls(PublishCommand)).to.have.length(1);
  });

  it("reports an instance that no longer exists, without throwing into retries", async () => {
    const m = setup();
    m.ec2Mock.on(DescribeInstancesCommand).rejects(Object.assign(new Error("does not exist"), { name: "InvalidInstanceID.NotFound" }));
    const result = await m.handle(guardDutyEc2());
    expect(result.status === "handled" && result.record.outcome).to.equal("not-found");
    expect(m.snsMock.commandCalls(PublishCommand)[0]!.args[0].input.Subject).to.match(/^Not found/);
  });

  it("in dry run reads, records what it would do and publishes that, changing nothing", async () => {
    const m = setup({ ...ENV, DRY_RUN: "true" });
    m.ec2Mock.on(DescribeInstancesCommand).resolves(instance());
    m.ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const result = await m.handle(guardDutyEc2());
    expect(mutations(m)).to.deep.equal([]);
    expect(result.status === "handled" && result.record.outcome).to.equal("dry-run");
    expect(result.status === "handled" && result.record.steps.filter((s) => s.status === "would-do").map((s) => s.step)).to.deep.equal(["snapshot", "snapshot", "quarantine", "quarantine", "tag"]);
    expect(m.snsMock.commandCalls(PublishCommand)[0]!.args[0].input.Subject).to.equal(`DRY RUN: would isolate ${INSTANCE}`);
  });
});

describe("incident-isolation: an ECS task finding", () => {
  const running = {
    tasks: [
      {
        taskArn: TASK,
        clusterArn: CLUSTER,
        taskDefinitionArn: `arn:aws:ecs:me-south-1:${ACCOUNT}:task-definition/prod-cart:42`,
        group: "service:prod-cart",
        lastStatus: "RUNNING",
        desiredStatus: "RUNNING",
        startedAt: new Date("2026-12-04T09:00:00Z"),
        containers: [{ name: "cart", image: "111111111111.dkr.ecr.me-south-1.amazonaws.com/cart:1.4.2", imageDigest: "sha256:abc", runtimeId: "r-1", lastStatus: "RUNNING" }],
        attachments: [{ type: "ElasticNetworkInterface", details: [{ name: "networkInterfaceId", value: "eni-0task" }, { name: "privateIPv4Address", value: "10.40.8.9" }] }],
        tags: [{ key: "Service", value: "cart" }],
      },
    ],
  };

  it("captures the task's metadata, tags it with the finding, then stops it, and publishes the record", async () => {
    const m = setup();
    m.ecsMock.on(DescribeTasksCommand).resolves(running);
    const result = await m.handle(guardDutyEcs());
    expect(m.ecsMock.commandCalls(DescribeTasksCommand)[0]!.args[0].input).to.deep.equal({ cluster: CLUSTER, tasks: [TASK], include: ["TAGS"] });
    expect(m.ecsMock.commandCalls(TagResourceCommand)[0]!.args[0].input).to.deep.equal({ resourceArn: TASK, tags: [{ key: FINDING_TAG, value: "b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6" }] });
    const stop = m.ecsMock.commandCalls(StopTaskCommand)[0]!.args[0].input;
    expect(stop).to.deep.include({ cluster: CLUSTER, task: TASK });
    expect(stop.reason).to.contain("b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6").and.have.length.at.most(255);
    const order = m.ecsMock.calls().map((c) => c.args[0].constructor.name);
    expect(order).to.deep.equal(["DescribeTasksCommand", "TagResourceCommand", "StopTaskCommand"]);
    expect(result.status === "handled" && result.record.outcome).to.equal("stopped");
    const record = JSON.parse(m.snsMock.commandCalls(PublishCommand)[0]!.args[0].input.Message ?? "{}");
    expect(record.evidence.containers[0]).to.include({ image: "111111111111.dkr.ecr.me-south-1.amazonaws.com/cart:1.4.2", imageDigest: "sha256:abc" });
    expect(record.evidence.attachments[0].details).to.deep.equal({ networkInterfaceId: "eni-0task", privateIPv4Address: "10.40.8.9" });
    expect(record.evidence.startedAt).to.equal("2026-12-04T09:00:00.000Z");
  });

  it("does nothing new for a second event about the same finding", async () => {
    const m = setup();
    const stopped = { tasks: [{ ...running.tasks[0]!, lastStatus: "STOPPED", desiredStatus: "STOPPED", tags: [{ key: FINDING_TAG, value: "b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6" }] }] };
    m.ecsMock.on(DescribeTasksCommand).resolves(stopped);
    const result = await m.handle(guardDutyEcs());
    expect(mutations(m)).to.deep.equal([]);
    expect(m.snsMock.commandCalls(PublishCommand)).to.have.length(0);
    expect(result.status === "handled" && result.record.outcome).to.equal("already-handled");
  });

  for (const [name, command] of [
    ["DescribeTasks", DescribeTasksCommand],
    ["TagResource", TagResourceCommand],
    ["StopTask", StopTaskCommand],
  ] as const) {
    it(`reports a failure of ${name}: publishes it, then throws`, async () => {
      const m = setup();
      m.ecsMock.on(DescribeTasksCommand).resolves(running);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      m.ecsMock.on(command as any).rejects(Object.assign(new Error(`AccessDenied on ${name}`), { name: "AccessDeniedException" }));
      let thrown: unknown;
      await m.handle(guardDutyEcs()).catch((e: unknown) => (thrown = e));
      expect((thrown as Error).message).to.contain(`AccessDenied on ${name}`);
      const published = m.snsMock.commandCalls(PublishCommand);
      expect(published).to.have.length(1);
      expect(published[0]!.args[0].input.Subject).to.equal(`FAILED isolation of ${TASK}`.slice(0, 100));
    });
  }

  it("never stops a task it failed to tag (the stop would lose the link to the finding)", async () => {
    const m = setup();
    m.ecsMock.on(DescribeTasksCommand).resolves(running);
    m.ecsMock.on(TagResourceCommand).rejects(new Error("boom"));
    await m.handle(guardDutyEcs()).catch(() => undefined);
    expect(m.ecsMock.commandCalls(StopTaskCommand)).to.have.length(0);
  });

  it("reports a task ECS no longer knows, without throwing", async () => {
    const m = setup();
    m.ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: TASK, reason: "MISSING" }] });
    const result = await m.handle(guardDutyEcs());
    expect(result.status === "handled" && result.record.outcome).to.equal("not-found");
    expect(mutations(m)).to.deep.equal([]);
  });

  it("in dry run stops nothing", async () => {
    const m = setup({ ...ENV, DRY_RUN: "true" });
    m.ecsMock.on(DescribeTasksCommand).resolves(running);
    const result = await m.handle(guardDutyEcs());
    expect(mutations(m)).to.deep.equal([]);
    expect(result.status === "handled" && result.record.outcome).to.equal("dry-run");
  });
});

describe("incident-isolation: events it must not act on", () => {
  it("logs and ignores a malformed or unsupported event, calling nothing and throwing nothing", async () => {
    for (const event of [{}, null, { source: "aws.guardduty", "detail-type": "GuardDuty Finding", detail: {} }, securityHubCritical({ Type: "AwsIamRole", Id: "arn:aws:iam::1:role/x" })]) {
      const m = setup();
      const result = await m.handle(event);
      expect(result.status, JSON.stringify(event)).to.equal("ignored");
      expect(m.ec2Mock.calls().length + m.ecsMock.calls().length + m.snsMock.calls().length).to.equal(0);
      expect(m.logs.some((l) => JSON.parse(l).ignored)).to.equal(true);
    }
  });

  it("ignores a finding about another account (management receives its members' findings)", async () => {
    const m = setup();
    const result = await m.handle(guardDutyEc2({ accountId: "555555555555" }));
    expect(result.status).to.equal("ignored");
    expect(m.ec2Mock.calls()).to.have.length(0);
  });

  it("refuses to run with a broken configuration instead of silently ignoring findings", async () => {
    const m = setup({ ...ENV, QUARANTINE_GROUPS: "not json" });
    let thrown: unknown;
    await m.handle(guardDutyEc2()).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.match(/misconfigured: QUARANTINE_GROUPS: must be a JSON map/);
  });
});
