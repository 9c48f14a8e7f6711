/**
 * Hand-built inputs for the delivery rule tests: a service pipeline shaped like the delivery
 * contract (Source, Deploy-dev, Deploy-stage, Approve-preprod, Deploy-preprod, Approve-prod,
 * Deploy-prod) and helpers to bend it.
 */
import type { EnvironmentName } from "../../../../components/environments";

export const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
export const TOPIC_ARN = "arn:aws:sns:me-south-1:111111111111:tila-delivery-approvers";
export const KEY_ARN = "arn:aws:kms:me-south-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ACCOUNTS: Record<EnvironmentName, string> = { dev: "222222222222", stage: "333333333333", preprod: "444444444444", prod: "555555555555" };

export type Action = Record<string, unknown>;
export interface Stage {
  name: string;
  actions: Action[];
}

export function deployAction(env: EnvironmentName, service = "checkout", extra: Partial<Action> = {}): Action {
  return {
    name: "Deploy",
    category: "Deploy",
    owner: "AWS",
    provider: "ECS",
    version: "1",
    inputArtifacts: ["image"],
    roleArn: `arn:aws:iam::${ACCOUNTS[env]}:role/tila-deploy-${env}-${service}`,
    configuration: { ClusterName: `tila-${env}`, ServiceName: service, FileName: "imagedefinitions.json" },
    ...extra,
  };
}

export function approvalAction(extra: Partial<Action> = {}): Action {
  return { name: "Approve", category: "Approval", owner: "AWS", provider: "Manual", version: "1", configuration: { NotificationArn: TOPIC_ARN }, ...extra };
}

/** The contract's seven stages for `service`. */
export function contractStages(service = "checkout"): Stage[] {
  return [
    { name: "Source", actions: [{ name: "Source", category: "Source", owner: "AWS", provider: "S3", version: "1", outputArtifacts: ["image"], configuration: { S3Bucket: "src", S3ObjectKey: `${service}/imagedefinitions.zip` } }] },
    { name: "Deploy-dev", actions: [deployAction("dev", service)] },
    { name: "Deploy-stage", actions: [deployAction("stage", service)] },
    { name: "Approve-preprod", actions: [approvalAction()] },
    { name: "Deploy-preprod", actions: [deployAction("preprod", service)] },
    { name: "Approve-prod", actions: [approvalAction()] },
    { name: "Deploy-prod", actions: [deployAction("prod", service)] },
  ];
}

export function pipelineProps(stages: Stage[] = contractStages(), extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "tila-checkout",
    pipelineType: "V2",
    roleArn: "arn:aws:iam::111111111111:role/tila-pipeline-checkout",
    artifactStores: [{ location: "tila-delivery-artifacts-111111111111-me-south-1", type: "S3", encryptionKey: { id: KEY_ARN, type: "KMS" } }],
    stages,
    ...extra,
  };
}

/** The stages without the one named `name`. */
export function without(stages: Stage[], name: string): Stage[] {
  return stages.filter((s) => s.name !== name);
}
