/**
 * Fixture events for the isolation Lambda's tests: GuardDuty and Security Hub findings shaped as
 * EventBridge delivers them (docs: "GuardDuty Finding" and "Security Hub Findings - Imported").
 */
export const ACCOUNT = "444444444444";
export const REGION = "me-south-1";
export const INSTANCE = "i-0abc1234def567890";
export const VPC = "vpc-0aaa1111bbb22222c";
export const QUARANTINE_SG = "sg-0f0f0f0f0f0f0f0f0";
export const TASK = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod-services/0123456789abcdef0123456789abcdef`;
export const CLUSTER = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod-services`;
export const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tila-security`;

export const ENV = {
  TOPIC_ARN: TOPIC,
  ACCOUNT_ID: ACCOUNT,
  DRY_RUN: "false",
  QUARANTINE_GROUPS: JSON.stringify({ [VPC]: QUARANTINE_SG }),
};

export function guardDutyEc2(overrides: { id?: string; severity?: number; accountId?: string; instanceId?: string } = {}): Record<string, unknown> {
  return {
    version: "0",
    id: "5e8f1c2a-event",
    "detail-type": "GuardDuty Finding",
    source: "aws.guardduty",
    account: ACCOUNT,
    region: REGION,
    detail: {
      schemaVersion: "2.0",
      accountId: overrides.accountId ?? ACCOUNT,
      region: REGION,
      id: overrides.id ?? "a4c3f1e2d5b6a7c8d9e0f1a2b3c4d5e6",
      type: "Backdoor:EC2/C&CActivity.B!DNS",
      title: "EC2 instance querying a command and control domain",
      severity: overrides.severity ?? 8,
      resource: { resourceType: "Instance", instanceDetails: { instanceId: overrides.instanceId ?? INSTANCE, instanceType: "r6i.large" } },
    },
  };
}

export function guardDutyEcs(taskArn: string = TASK): Record<string, unknown> {
  return {
    "detail-type": "GuardDuty Finding",
    source: "aws.guardduty",
    detail: {
      accountId: ACCOUNT,
      region: REGION,
      id: "b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6",
      type: "Execution:Runtime/NewBinaryExecuted",
      title: "A newly created or recently modified binary file has been executed",
      severity: 7.5,
      resource: { resourceType: "ECSCluster", ecsClusterDetails: { arn: CLUSTER, name: "prod-services", taskDetails: { arn: taskArn } } },
    },
  };
}

export function securityHubCritical(resource: { Type: string; Id: string }, id = `arn:aws:securityhub:${REGION}:${ACCOUNT}:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.19/finding/1f2e3d4c`): Record<string, unknown> {
  return {
    "detail-type": "Security Hub Findings - Imported",
    source: "aws.securityhub",
    detail: {
      findings: [
        {
          Id: id,
          AwsAccountId: ACCOUNT,
          Region: REGION,
          Title: "Security groups should not allow unrestricted access to ports with high risk",
          Types: ["Software and Configuration Checks/Industry and Regulatory Standards"],
          Severity: { Label: "CRITICAL", Normalized: 90 },
          Resources: [resource],
        },
      ],
    },
  };
}
