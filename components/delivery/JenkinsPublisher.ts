/**
 * Jenkins' identity in management (docs/delivery.md#service-pipelines-codepipeline): the IAM OIDC
 * provider of its issuer and the role `tila-delivery-jenkins` that trusts the listed job subjects.
 * The role may push the services' images, write their source objects and start their pipelines;
 * it cannot deploy or approve. Jenkins never holds an AWS access key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { JENKINS_ROLE_NAME } from "./deliveryPlan";
import { DeliveryScope, jenkinsPolicy, jenkinsTrustPolicy } from "./deliveryPolicies";

/** The role's one inline policy. */
export const JENKINS_POLICY_NAME = "publish";
const SERVICE = "delivery";

export interface JenkinsPublisherArgs {
  readonly scope: DeliveryScope;
  /** `https://<jenkins>/oidc`: the issuer of the ID tokens Jenkins signs. */
  readonly issuerUrl: string;
  /** The tokens' `aud`: the provider's client id. */
  readonly audience: string;
  /** The `sub` patterns (IAM StringLike) of the jobs allowed to publish. */
  readonly subjects: readonly string[];
  /** The services whose images, source objects and pipelines Jenkins may touch. */
  readonly services: readonly string[];
  readonly sourceBucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function jenkinsPublisherIssues(args: JenkinsPublisherArgs): string[] {
  const issues = [...missingCommonTags(args.tags)];
  if (!/^https:\/\/[^/\s]+/.test(args.issuerUrl)) issues.push(`issuerUrl: "${args.issuerUrl}" must be an https URL (IAM accepts only https OIDC issuers)`);
  if (args.subjects.length === 0) issues.push("subjects: name at least one Jenkins job; the role would trust nobody");
  args.subjects.forEach((s, i) => {
    if (s === "*") issues.push(`subjects[${i}]: "*" would let every job of this Jenkins publish; name the jobs`);
  });
  if (args.services.length === 0) issues.push("services: no service to publish");
  return issues;
}

export class JenkinsPublisher extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly providerArn: pulumi.Output<string>;

  constructor(name: string, args: JenkinsPublisherArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:delivery:JenkinsPublisher", name, {}, opts);
    const issues = jenkinsPublisherIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`JenkinsPublisher "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`);

    // No thumbprint: for an issuer outside AWS's trusted-CA library IAM fetches the top intermediate
    // CA's thumbprint itself when none is given (aws.iam.OpenIdConnectProvider, thumbprintLists).
    const provider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: args.issuerUrl, clientIdLists: [args.audience], tags: tags("oidc") }, parent);
    const role = new aws.iam.Role(`${name}-role`, {
      name: JENKINS_ROLE_NAME,
      description: "Jenkins publishes service images, writes their pipeline sources and starts their pipelines",
      assumeRolePolicy: provider.arn.apply((providerArn) =>
        JSON.stringify(jenkinsTrustPolicy({ providerArn, issuerUrl: args.issuerUrl, audience: args.audience, subjects: args.subjects })),
      ),
      maxSessionDuration: 3600,
      tags: tags("role"),
    }, parent);
    new aws.iam.RolePolicy(`${name}-policy`, {
      name: JENKINS_POLICY_NAME,
      role: JENKINS_ROLE_NAME,
      policy: pulumi.all([args.sourceBucketArn, args.keyArn]).apply(([sourceBucketArn, keyArn]) =>
        JSON.stringify(jenkinsPolicy({ scope: args.scope, services: args.services, sourceBucketArn, keyArn })),
      ),
    }, { parent: this, dependsOn: [role] });

    this.roleArn = role.arn;
    this.providerArn = provider.arn;
    this.registerOutputs({ roleArn: this.roleArn, providerArn: this.providerArn });
  }
}
