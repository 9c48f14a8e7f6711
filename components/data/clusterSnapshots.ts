/**
 * Daily EBS snapshots of a NoSqlCluster's data volumes with Data Lifecycle Manager. The policy
 * targets volumes tagged `Snapshot=<cluster>`, which only the data volumes carry: root volumes are
 * rebuilt from the AMI and the bootstrap, so snapshotting them would only cost money.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NoSqlClusterPlan } from "./clusterPlan";
import { trustPolicy } from "./clusterIdentity";

/** The tag DLM selects data volumes by. */
export const SNAPSHOT_TAG = "Snapshot";

/** 03:00 UTC is 06:00 in Riyadh: past the evening shopping peak, before the working day. */
export const SNAPSHOT_TIME_UTC = "03:00";

export interface ClusterSnapshotsArgs {
  name: string;
  plan: NoSqlClusterPlan;
  tags: (role: string) => Record<string, string>;
  parent: pulumi.Resource;
}

export function createClusterSnapshots(a: ClusterSnapshotsArgs): aws.dlm.LifecyclePolicy {
  const { name, plan, parent } = a;
  const role = new aws.iam.Role(`${name}-dlm-role`, {
    description: `DLM snapshots of the ${name} data volumes`,
    assumeRolePolicy: trustPolicy("dlm.amazonaws.com"),
    tags: a.tags("dlm-role"),
  }, { parent });
  const attachment = new aws.iam.RolePolicyAttachment(`${name}-dlm-service`, {
    role: role.name,
    policyArn: `arn:${plan.partition}:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole`,
  }, { parent });
  return new aws.dlm.LifecyclePolicy(`${name}-snapshots`, {
    description: `Daily snapshots of ${name} data volumes, ${plan.snapshotRetentionDays} kept`,
    executionRoleArn: role.arn,
    state: "ENABLED",
    policyDetails: {
      policyType: "EBS_SNAPSHOT_MANAGEMENT",
      resourceTypes: ["VOLUME"],
      targetTags: { [SNAPSHOT_TAG]: name },
      schedules: [{
        name: "daily",
        createRule: { interval: 24, intervalUnit: "HOURS", times: SNAPSHOT_TIME_UTC },
        retainRule: { count: plan.snapshotRetentionDays },
        copyTags: true,
        tagsToAdd: { SnapshotPolicy: `${name}-daily` },
      }],
    },
    tags: a.tags("snapshots"),
  }, { parent, dependsOn: [attachment] });
}
