/**
 * Graylog's search back end (docs/observability-logging.md#the-graylog-cluster): an Amazon
 * OpenSearch Service domain on the data tier's pattern (VPC only, zone awareness over the AZs,
 * dedicated masters, encryption at rest with the cluster's key, node-to-node, HTTPS only with a
 * TLS 1.2 floor, fine-grained access control) whose internal master user is the one Graylog signs
 * in with over HTTP basic auth. Its security group admits the Graylog nodes' group only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { OPENSEARCH_PORT, OPENSEARCH_TLS_POLICY, SEARCH_OFF_PEAK_START, searchAccessPolicy, searchLogPolicy } from "../../data/searchPlan";

/**
 * Graylog does not support OpenSearch 2.16 or newer ("We caution you not to install or upgrade to
 * OpenSearch 2.16+! It is not supported", go2docs.graylog.org, Self-Managed OpenSearch), so the
 * domain stays on the newest 2.x line below that, which OpenSearch Service offers.
 */
export const GRAYLOG_OPENSEARCH_VERSION = "OpenSearch_2.15";
/** The internal master user Graylog signs in as (fine-grained access control's internal user database). */
export const GRAYLOG_OPENSEARCH_USER = "graylog";

export interface GraylogSearchArgs {
  /** The stack's name (management). */
  readonly environment: string;
  /** OpenSearch domain name: 3-28 lower-case letters, digits and hyphens, starting with a letter. */
  readonly domainName: string;
  readonly vpcId: pulumi.Input<string>;
  /** Data subnets, one per AZ (the domain spans all of them, 2 or 3). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The Graylog nodes' security group: the only client admitted on 443. */
  readonly clientSecurityGroupId: pulumi.Input<string>;
  /** Data nodes: a multiple of the AZ count. @default 3 */
  readonly instanceCount?: number;
  /** @default "r6g.large.search" */
  readonly instanceType?: string;
  /** gp3 volume per data node, GiB. @default 200 */
  readonly volumeSizeGiB?: number;
  /** Dedicated master nodes (3: survive one master's loss; zone awareness spreads them). @default 3 */
  readonly dedicatedMasterCount?: number;
  /** @default "m6g.large.search" */
  readonly dedicatedMasterType?: string;
  /** The cluster's customer-managed key: data at rest, the master user's secret. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Days the domain's application (error) log is kept in CloudWatch. @default 90 */
  readonly logRetentionDays?: number;
  /** Pulumi `protect` on the domain and the master user's secret. */
  readonly protect: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function graylogSearchIssues(args: GraylogSearchArgs): string[] {
  const issues: string[] = [];
  const azs = args.subnetIds.length;
  const count = args.instanceCount ?? 3;
  const masters = args.dedicatedMasterCount ?? 3;
  if (!/^[a-z][a-z0-9-]{2,27}$/.test(args.domainName)) issues.push(`domainName: "${args.domainName}" must be 3-28 lower-case letters, digits and hyphens, starting with a letter`);
  if (azs < 2 || azs > 3) issues.push(`subnetIds: zone awareness spans 2 or 3 AZs (got ${azs})`);
  else if (!Number.isInteger(count) || count < azs || count % azs !== 0) issues.push(`instanceCount: ${count} must be a multiple of the ${azs} AZs, so every AZ holds a copy of every shard`);
  if (masters !== 3 && masters !== 5) issues.push(`dedicatedMasterCount: ${masters} must be 3 or 5 (a majority survives the loss of one AZ)`);
  const type = args.instanceType ?? "r6g.large.search";
  if (!type.endsWith(".search") || /^t2\./.test(type)) issues.push(`instanceType: "${type}" must be an OpenSearch instance type (<type>.search) that supports encryption at rest (not t2)`);
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GraylogSearch extends pulumi.ComponentResource {
  /** The VPC endpoint (HTTPS on 443). */
  readonly endpoint: pulumi.Output<string>;
  readonly domainArn: pulumi.Output<string>;
  readonly domainName: string;
  /** Each data node's volume (the FreeStorageSpace alarm's threshold is a share of it). */
  readonly volumeSizeGiB: number;
  readonly securityGroupId: pulumi.Output<string>;
  /** JSON `username`, `password`: the master user the Graylog nodes sign in with. */
  readonly userSecretArn: pulumi.Output<string>;

  constructor(name: string, args: GraylogSearchArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GraylogSearch", name, {}, opts);
    const issues = graylogSearchIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GraylogSearch "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, "logging", `${name}-${role}`);
    const azs = args.subnetIds.length;

    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: "Graylog's OpenSearch: HTTPS 443 from the Graylog nodes only",
      tags: tags("sg"),
    }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${name}-from-graylog`, {
      securityGroupId: sg.id, ipProtocol: "tcp", fromPort: OPENSEARCH_PORT, toPort: OPENSEARCH_PORT,
      referencedSecurityGroupId: args.clientSecurityGroupId, description: "OpenSearch HTTPS from the Graylog nodes", tags: tags("from-graylog"),
    }, parent);

    // Fine-grained access control's master password rule: 8+ characters with upper, lower, digit and special.
    // No ':': Graylog splits the decoded basic-auth credentials of elasticsearch_hosts on it (OSCredentialsProvider).
    const password = new random.RandomPassword(`${name}-master-password`, {
      length: 40, special: true, overrideSpecial: "!#%*+-.=?^_~", minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2,
    }, parent);
    const secret = new aws.secretsmanager.Secret(`${name}-master-user`, {
      description: `Graylog's OpenSearch master user (${args.domainName}): JSON username, password`,
      kmsKeyId: args.kmsKeyArn,
      recoveryWindowInDays: 30,
      tags: tags("master-user"),
    }, { ...parent, protect: args.protect });
    new aws.secretsmanager.SecretVersion(`${name}-master-user-value`, {
      secretId: secret.id,
      secretString: pulumi.secret(pulumi.jsonStringify({ username: GRAYLOG_OPENSEARCH_USER, password: password.result })),
    }, { ...parent, protect: args.protect });

    const appLog = new aws.cloudwatch.LogGroup(`${name}-log-application`, {
      name: `/aws/opensearch/${args.domainName}/application`,
      retentionInDays: args.logRetentionDays ?? 90,
      tags: tags("log-application"),
    }, parent);
    const logPolicy = new aws.cloudwatch.LogResourcePolicy(`${name}-log-policy`, {
      policyName: `${args.domainName}-opensearch-logs`,
      policyDocument: appLog.arn.apply((arn) => JSON.stringify(searchLogPolicy([arn]))),
    }, parent);

    const masters = args.dedicatedMasterCount ?? 3;
    const domain = new aws.opensearch.Domain(`${name}-domain`, {
      domainName: args.domainName,
      engineVersion: GRAYLOG_OPENSEARCH_VERSION,
      clusterConfig: {
        instanceType: args.instanceType ?? "r6g.large.search",
        instanceCount: args.instanceCount ?? 3,
        zoneAwarenessEnabled: true,
        zoneAwarenessConfig: { availabilityZoneCount: azs },
        dedicatedMasterEnabled: true,
        dedicatedMasterCount: masters,
        dedicatedMasterType: args.dedicatedMasterType ?? "m6g.large.search",
        multiAzWithStandbyEnabled: false,
      },
      vpcOptions: { subnetIds: [...args.subnetIds], securityGroupIds: [sg.id] },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGiB ?? 200 },
      encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: true,
        // Marked secret here too: the state and the plan never hold it in clear, whatever the provider declares.
        masterUserOptions: { masterUserName: GRAYLOG_OPENSEARCH_USER, masterUserPassword: pulumi.secret(password.result) },
      },
      logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: appLog.arn, enabled: true }],
      offPeakWindowOptions: { enabled: true, offPeakWindow: { windowStartTime: { ...SEARCH_OFF_PEAK_START } } },
      softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
      tags: tags("domain"),
    }, { ...parent, protect: args.protect, dependsOn: [logPolicy] });
    new aws.opensearch.DomainPolicy(`${name}-access-policy`, {
      domainName: domain.domainName,
      // Any principal, this domain only: fine-grained access control authenticates every request, and
      // a policy naming IAM principals would demand SigV4, which Graylog's basic auth cannot carry.
      accessPolicies: domain.arn.apply((arn) => JSON.stringify(searchAccessPolicy("fineGrained", arn))),
    }, parent);

    this.endpoint = domain.endpoint;
    this.domainArn = domain.arn;
    this.domainName = args.domainName;
    this.volumeSizeGiB = args.volumeSizeGiB ?? 200;
    this.securityGroupId = sg.id;
    this.userSecretArn = secret.arn;
    this.registerOutputs({ endpoint: this.endpoint, domainArn: this.domainArn, securityGroupId: sg.id, userSecretArn: secret.arn });
  }
}
