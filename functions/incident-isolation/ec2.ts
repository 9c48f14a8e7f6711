/**
 * Isolating an EC2 instance: snapshot every EBS volume (evidence first), put every network interface
 * in the VPC's quarantine security group (no rules), tag the instance with the finding. Each step
 * first checks whether it was already done for this finding, so a repeated event changes nothing.
 */
import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  Instance,
  ModifyNetworkInterfaceAttributeCommand,
  Tag,
} from "@aws-sdk/client-ec2";
import { findingTagValue } from "./finding";
import { IsolationRecord, step } from "./record";

export const FINDING_TAG = "SecurityFindingId";
export const QUARANTINED_AT_TAG = "SecurityQuarantinedAt";
export const PREVIOUS_GROUPS_TAG = "SecurityPreviousGroups";

export interface Ec2Settings {
  readonly dryRun: boolean;
  /** VPC id -> its quarantine security group (created by the IncidentResponse component). */
  readonly quarantineGroups: Readonly<Record<string, string>>;
  readonly now: () => Date;
}

function tagValue(tags: readonly Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

async function describe(ec2: EC2Client, record: IsolationRecord, instanceId: string): Promise<Instance | undefined> {
  try {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  } catch (e) {
    if (e instanceof Error && e.name === "InvalidInstanceID.NotFound") return undefined;
    return step(record, "describe-instance", () => Promise.reject(e));
  }
}

async function snapshottedVolumes(ec2: EC2Client, record: IsolationRecord, tag: string): Promise<Set<string>> {
  const done = new Set<string>();
  let token: string | undefined;
  do {
    const out = await step(record, "find-snapshots", () =>
      ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: `tag:${FINDING_TAG}`, Values: [tag] }], NextToken: token })),
    );
    for (const s of out.Snapshots ?? []) if (s.VolumeId) done.add(s.VolumeId);
    token = out.NextToken;
  } while (token);
  return done;
}

export async function isolateInstance(ec2: EC2Client, record: IsolationRecord, instanceId: string, settings: Ec2Settings): Promise<void> {
  const tag = findingTagValue(record.finding.id);
  const planned = settings.dryRun ? "would-do" : "done";
  const instance = await describe(ec2, record, instanceId);
  if (!instance) {
    record.steps.push({ step: "describe-instance", status: "failed", detail: `instance ${instanceId} does not exist (terminated?)` });
    record.outcome = "not-found";
    return;
  }
  const vpcId = instance.VpcId ?? "";
  const quarantine = settings.quarantineGroups[vpcId];
  const interfaces = (instance.NetworkInterfaces ?? []).map((n) => ({ id: n.NetworkInterfaceId ?? "", groups: (n.Groups ?? []).map((g) => g.GroupId ?? "") }));
  const volumes = (instance.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.VolumeId ? [b.Ebs.VolumeId] : []));
  record.evidence = { instanceId, vpcId, state: instance.State?.Name, interfaces, volumes, tags: instance.Tags ?? [] };
  if (!quarantine) {
    record.steps.push({ step: "quarantine-group", status: "failed", detail: `no quarantine security group is configured for ${vpcId || "an instance outside any VPC"}` });
    throw new Error(`quarantine-group failed: no quarantine security group for VPC ${vpcId || "(none)"}`);
  }

  // 1. Evidence before anything changes: one snapshot per volume, tagged with the finding.
  const done = await snapshottedVolumes(ec2, record, tag);
  for (const volumeId of volumes) {
    if (done.has(volumeId)) {
      record.steps.push({ step: "snapshot", status: "skipped", detail: `${volumeId} already has a snapshot for this finding` });
      continue;
    }
    if (settings.dryRun) {
      record.steps.push({ step: "snapshot", status: planned, detail: `snapshot ${volumeId}` });
      continue;
    }
    const snap = await step(record, `snapshot ${volumeId}`, () =>
      ec2.send(
        new CreateSnapshotCommand({
          VolumeId: volumeId,
          Description: `Evidence for security finding on ${instanceId}`.slice(0, 255),
          TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: FINDING_TAG, Value: tag }, { Key: "SecurityInstanceId", Value: instanceId }] }],
        }),
      ),
    );
    record.steps.push({ step: "snapshot", status: "done", detail: `${volumeId} -> ${snap.SnapshotId ?? "?"}` });
  }

  // 2. Isolation: every interface gets the quarantine group and nothing else.
  for (const eni of interfaces) {
    if (eni.groups.length === 1 && eni.groups[0] === quarantine) {
      record.steps.push({ step: "quarantine", status: "skipped", detail: `${eni.id} is already in ${quarantine}` });
      continue;
    }
    if (!settings.dryRun) {
      await step(record, `quarantine ${eni.id}`, () => ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.id, Groups: [quarantine] })));
    }
    record.steps.push({ step: "quarantine", status: planned, detail: `${eni.id}: ${eni.groups.join(",") || "(none)"} -> ${quarantine}` });
  }

  // 3. The instance says why it is isolated, and what its groups were (to restore after the investigation).
  if (tagValue(instance.Tags, FINDING_TAG) === tag) {
    record.steps.push({ step: "tag", status: "skipped", detail: `${instanceId} is already tagged with this finding` });
  } else {
    const previous = interfaces.map((e) => `${e.id}=${e.groups.join("+")}`).join(" ").slice(0, 256);
    if (!settings.dryRun) {
      await step(record, "tag", () =>
        ec2.send(
          new CreateTagsCommand({
            Resources: [instanceId],
            Tags: [
              { Key: FINDING_TAG, Value: tag },
              { Key: QUARANTINED_AT_TAG, Value: settings.now().toISOString() },
              { Key: PREVIOUS_GROUPS_TAG, Value: previous },
            ],
          }),
        ),
      );
    }
    record.steps.push({ step: "tag", status: planned, detail: `${instanceId} ${FINDING_TAG}=${tag}` });
  }
}
