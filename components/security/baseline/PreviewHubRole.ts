/**
 * PreviewHubRole: the role in management that an environment's merge-request preview assumes for
 * its hub provider (docs/security.md#the-preview-role). An environment in its own account reaches
 * the hub through a provider that assumes a role in management when it is configured, even in a
 * preview; the write-capable hub role trusts only the deploy role, so a preview assumes this one
 * instead. It trusts only that environment's preview role, with the hub session name, and holds one
 * inline policy denying everything: a preview's hub provider only proves who it is (AssumeRole,
 * then sts:GetCallerIdentity, which AWS answers whatever the policy says).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../../tags";
import { hubSessionName } from "../hubIdentity";
import type { PolicyDocument } from "./policies";
import { previewHubRoleName, previewRoleName } from "./roleNames";

/** The role's one inline policy: nothing allowed. */
export const PREVIEW_HUB_POLICY_NAME = "nothing";

export interface PreviewHubRoleArgs {
  /** The environment whose preview assumes it; names the role `tila-platform-preview-hub-<environment>`. */
  readonly environment: string;
  /** The environment's own account, whose preview role alone may assume it. */
  readonly environmentAccountId: string;
  /** @default "aws" */
  readonly partition?: string;
  /** Common tags; `Service` and `Name` are set here. */
  readonly tags: Tags;
}

/** Trust: the environment account's root, pinned to its preview role and the hub provider's session name. */
export function previewHubTrustPolicy(p: { environment: string; environmentAccountId: string; partition?: string }): PolicyDocument {
  const partition = p.partition ?? "aws";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnvironmentPreviewRoleOnly",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${p.environmentAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: {
          ArnEquals: { "aws:PrincipalArn": `arn:${partition}:iam::${p.environmentAccountId}:role/${previewRoleName(p.environment)}` },
          StringEquals: { "sts:RoleSessionName": hubSessionName(p.environment) },
        },
      },
    ],
  };
}

/** Permissions: none. */
export function previewHubPermissionPolicy(): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Sid: "Nothing", Effect: "Deny", Action: "*", Resource: "*" }] };
}

export class PreviewHubRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: PreviewHubRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:security:PreviewHubRole", name, {}, opts);
    if (!/^\d{12}$/.test(args.environmentAccountId)) throw new pulumi.ResourceError(`PreviewHubRole ${name}: environmentAccountId "${args.environmentAccountId}" is not a 12-digit account id`, this);
    const roleName = previewHubRoleName(args.environment);
    const role = new aws.iam.Role(`${name}-role`, {
      name: roleName,
      description: `Lets ${args.environment}'s merge-request previews configure their hub provider; allows nothing`,
      assumeRolePolicy: JSON.stringify(previewHubTrustPolicy(args)),
      maxSessionDuration: 3600,
      tags: resourceTags(args.tags, "security", `${name}-role`),
    }, { parent: this });
    // The role's name, not its output: the pack reads which role the policy belongs to before it exists.
    new aws.iam.RolePolicy(`${name}-policy`, { name: PREVIEW_HUB_POLICY_NAME, role: roleName, policy: JSON.stringify(previewHubPermissionPolicy()) }, { parent: this, dependsOn: [role] });
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
