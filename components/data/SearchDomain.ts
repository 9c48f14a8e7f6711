/**
 * An OpenSearch domain inside the VPC (docs/data-tier.md). Every per-environment decision is in
 * `searchPlan.ts`; this class turns the plan into resources.
 *
 * Security in three layers: the network (VPC only, security group admitting the app tier on 443),
 * the domain access policy (see SearchAccessPolicy), and fine-grained access control with an
 * internal master user whose password is a ManagedCredential. Slow logs reach CloudWatch only for
 * indices whose `index.search.slowlog.threshold.*` / `index.indexing.slowlog.threshold.*` settings
 * are set; that is an index setting, applied by the services that own the indices.
 *
 * VPC domains need the account's `AWSServiceRoleForAmazonOpenSearchService` service-linked role.
 * It exists once per account, so creating it here unconditionally would collide between two stacks
 * (or two domains) in one account and, on destroy, delete it from under the others. AWS creates it
 * with the first VPC domain when the deploying identity may call `iam:CreateServiceLinkedRole`; set
 * `createServiceLinkedRole` only in the one stack that owns it in a fresh account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../tags";
import { ManagedCredential } from "./credentials";
import { Owner, clientSecurityGroup, dataKey, logGroup, tagsFor } from "./managedResources";
import { ProvisioningFunction } from "./ProvisioningFunction";
import {
  OPENSEARCH_ENGINE_VERSION, OPENSEARCH_PORT, OPENSEARCH_TLS_POLICY, SEARCH_LOG_TYPES, SEARCH_OFF_PEAK_START,
  SearchOptions, SearchPlan, resolveSearch, searchAccessPolicy, searchLogPolicy, searchServiceAccess,
} from "./searchPlan";

const LOG_ROLES: Readonly<Record<(typeof SEARCH_LOG_TYPES)[number], string>> = {
  INDEX_SLOW_LOGS: "index-slow",
  SEARCH_SLOW_LOGS: "search-slow",
  ES_APPLICATION_LOGS: "application",
};

export interface SearchDomainArgs extends SearchOptions {
  /** The VPC of the data subnets. */
  readonly vpcId: pulumi.Input<string>;
  /** The data-tier subnets, one per AZ (EnvironmentNetwork `subnetIds.data`); the first availabilityZoneCount are used. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** CIDRs admitted to 443, e.g. EnvironmentNetwork `subnetCidrs.app`. @default [] */
  readonly clientCidrs?: readonly string[];
  /** Security groups admitted to 443, by a label that names the rule. @default {} */
  readonly clientSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Customer-managed key for data at rest and the master user secret. @default a dedicated key with rotation on */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Create the account's OpenSearch service-linked role here (see the file comment). Only one stack
   * per account may set this. @default false
   */
  readonly createServiceLinkedRole?: boolean;
  /**
   * Where the provisioning function of `serviceUsers` runs (subnets reaching the domain and the
   * Secrets Manager endpoint: the app tier). Required when serviceUsers is not empty.
   */
  readonly provisioningSubnetIds?: readonly pulumi.Input<string>[];
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class SearchDomain extends pulumi.ComponentResource {
  /** VPC endpoint host name (HTTPS on 443). */
  readonly endpoint: pulumi.Output<string>;
  readonly domainArn: pulumi.Output<string>;
  /** The DomainName dimension of its metrics, and each data node's volume. */
  readonly domainName: string;
  readonly volumeSizeGiB: number;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding the master user `{username, password, engine, host, port}`: operators and the provisioning function only. */
  readonly secretArn: pulumi.Output<string>;
  /** Each service in `serviceUsers`: its own internal user's secret. */
  readonly serviceSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** The provisioning function's role (it reads the master secret), when serviceUsers is not empty. */
  readonly provisionerRoleArn?: pulumi.Output<string>;
  private provisioning?: { readonly fn: ProvisioningFunction; readonly after: readonly pulumi.Resource[] };

  constructor(name: string, args: SearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:SearchDomain", name, {}, opts);
    const plan = this.resolve(name, args);
    const owner: Owner = { name, parent: this, tags: args.tags };
    const parent = { parent: this };

    const keyArn = args.kmsKeyArn ?? dataKey(owner, `OpenSearch ${plan.domainName}: data at rest, master user`, plan.protect).arn;
    // The secret records the address of the domain that takes its password: resolved once the domain exists.
    const [host, setHost] = pulumi.deferredOutput<string>();
    const credential = new ManagedCredential(`${name}-master-user`, {
      environment: args.environment,
      target: "opensearch",
      username: plan.masterUsername,
      kmsKeyArn: keyArn,
      description: `Fine-grained access master user of OpenSearch ${plan.domainName}`,
      connection: { host, port: OPENSEARCH_PORT },
      tags: args.tags,
    }, parent);

    const sg = clientSecurityGroup(owner, {
      vpcId: args.vpcId,
      port: OPENSEARCH_PORT,
      what: "OpenSearch HTTPS",
      clientCidrs: args.clientCidrs ?? [],
      clientSecurityGroupIds: args.clientSecurityGroupIds ?? {},
    });

    const logGroups = SEARCH_LOG_TYPES.map((logType) => ({
      logType,
      group: logGroup(owner, `log-${LOG_ROLES[logType]}`, `/aws/opensearch/${plan.domainName}/${LOG_ROLES[logType]}`, plan.logRetentionDays),
    }));
    // Limit: 10 CloudWatch Logs resource policies per account and region, one per domain here.
    const logPolicy = new aws.cloudwatch.LogResourcePolicy(`${name}-log-policy`, {
      policyName: `${plan.domainName}-opensearch-logs`,
      policyDocument: pulumi.all(logGroups.map((l) => l.group.arn)).apply((arns) => JSON.stringify(searchLogPolicy(arns))),
    }, parent);
    const serviceLinkedRole = args.createServiceLinkedRole
      ? new aws.iam.ServiceLinkedRole(`${name}-service-linked-role`, {
        awsServiceName: "opensearchservice.amazonaws.com",
        description: "Lets OpenSearch place domain network interfaces in the VPC",
        tags: tagsFor(owner, "service-linked-role"),
      }, parent)
      : undefined;

    const domain = new aws.opensearch.Domain(`${name}-domain`, {
      domainName: plan.domainName,
      engineVersion: OPENSEARCH_ENGINE_VERSION,
      clusterConfig: {
        instanceType: plan.dataNodeType,
        instanceCount: plan.dataNodeCount,
        zoneAwarenessEnabled: plan.zoneAwareness,
        zoneAwarenessConfig: plan.zoneAwareness ? { availabilityZoneCount: plan.availabilityZoneCount } : undefined,
        dedicatedMasterEnabled: plan.dedicatedMasterCount > 0,
        dedicatedMasterCount: plan.dedicatedMasterCount > 0 ? plan.dedicatedMasterCount : undefined,
        dedicatedMasterType: plan.dedicatedMasterCount > 0 ? plan.dedicatedMasterType : undefined,
        // Standby mode idles a third of the data nodes; zone awareness already survives an AZ loss.
        multiAzWithStandbyEnabled: false,
      },
      vpcOptions: { subnetIds: args.subnetIds.slice(0, plan.availabilityZoneCount), securityGroupIds: [sg.id] },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: plan.volumeSizeGiB },
      encryptAtRest: { enabled: true, kmsKeyId: keyArn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: true,
        masterUserOptions: { masterUserName: credential.username, masterUserPassword: credential.password },
      },
      logPublishingOptions: logGroups.map(({ logType, group }) => ({ logType, cloudwatchLogGroupArn: group.arn, enabled: true })),
      autoTuneOptions: { desiredState: plan.autoTune ? "ENABLED" : "DISABLED", rollbackOnDisable: "NO_ROLLBACK", useOffPeakWindow: plan.autoTune },
      offPeakWindowOptions: { enabled: true, offPeakWindow: { windowStartTime: { ...SEARCH_OFF_PEAK_START } } },
      softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
      tags: tagsFor(owner, "domain"),
    }, { parent: this, protect: plan.protect, dependsOn: serviceLinkedRole ? [logPolicy, serviceLinkedRole] : [logPolicy] });
    setHost(domain.endpoint);

    const accessPolicy = new aws.opensearch.DomainPolicy(`${name}-access-policy`, {
      domainName: domain.domainName,
      accessPolicies: domain.arn.apply((arn) => JSON.stringify(searchAccessPolicy(plan.accessPolicy, arn))),
    }, parent);

    this.endpoint = domain.endpoint;
    this.domainArn = domain.arn;
    this.domainName = plan.domainName;
    this.volumeSizeGiB = plan.volumeSizeGiB;
    this.securityGroupId = sg.id;
    this.secretArn = credential.secretArn;

    const serviceSecretArns: Record<string, pulumi.Output<string>> = {};
    const users = plan.serviceUsers.map((service) => {
      const access = searchServiceAccess(service, plan.serviceWriters[service]);
      const own = new ManagedCredential(`${name}-svc-${service}`, {
        environment: args.environment,
        target: "opensearch",
        username: access.user,
        kmsKeyArn: keyArn,
        description: `Service ${service}'s internal user of OpenSearch ${plan.domainName} (indices ${access.indexPattern})`,
        connection: { host, port: OPENSEARCH_PORT },
        tags: args.tags,
      }, parent);
      serviceSecretArns[service] = own.secretArn;
      return { service, ...access, credential: own };
    });
    this.serviceSecretArns = serviceSecretArns;
    if (users.length > 0) {
      if (args.provisioningSubnetIds === undefined || args.provisioningSubnetIds.length === 0) {
        throw new pulumi.ResourceError(`SearchDomain "${name}": provisioningSubnetIds is required when serviceUsers is not empty`, this);
      }
      const provisioner = new ProvisioningFunction(`${name}-users`, {
        code: "opensearch-users",
        purpose: `OpenSearch users of ${plan.domainName}`,
        vpcId: args.vpcId,
        subnetIds: args.provisioningSubnetIds,
        targets: { opensearch: { securityGroupId: sg.id, port: OPENSEARCH_PORT } },
        secretArns: [credential.secretArn, ...users.map((u) => u.credential.secretArn)],
        kmsKeyArn: keyArn,
        environment: { MASTER_SECRET_ARN: credential.secretArn, DOMAIN_ENDPOINT: domain.endpoint },
        logRetentionDays: plan.logRetentionDays,
        tags: args.tags,
      }, parent);
      const admitted = new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-provisioner`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: OPENSEARCH_PORT,
        toPort: OPENSEARCH_PORT,
        referencedSecurityGroupId: provisioner.securityGroupId,
        description: "OpenSearch HTTPS from the users provisioning function",
        tags: tagsFor(owner, "ingress-provisioner"),
      }, parent);
      // The secret versions are in the input, so a changed password runs the provisioner again.
      const input = pulumi.all(users.map((u) => pulumi.all([u.credential.secretArn, u.credential.versionId]).apply(([secretArn, secretVersion]) => ({
        service: u.service, user: u.user, role: u.role, indexPattern: u.indexPattern, secretArn, ...(secretVersion ? { secretVersion } : {}),
        ...(u.access === "write" ? { access: u.access } : {}),
      })))).apply((list) => ({ users: list }));
      const sync = provisioner.invoke("sync", input, [domain, accessPolicy, admitted, ...users.map((u) => u.credential)]);
      this.provisionerRoleArn = provisioner.roleArn;
      this.provisioning = { fn: provisioner, after: [sync] };
    }
    this.registerOutputs({ endpoint: this.endpoint, domainArn: this.domainArn, securityGroupId: this.securityGroupId, secretArn: this.secretArn, serviceSecretArns: this.serviceSecretArns });
  }

  /**
   * Applies index templates, ISM policies and Dashboards objects the platform owns (the provisioner's
   * `indexSetup` event; functions/opensearch-users/indices.ts), after the users exist; again whenever
   * `setup` changes. Needs the provisioning function, so serviceUsers must not be empty.
   */
  setUpIndices(label: string, setup: pulumi.Input<object>): pulumi.Resource {
    if (this.provisioning === undefined) throw new pulumi.ResourceError(`SearchDomain "${this.domainName}": setUpIndices needs the provisioning function (serviceUsers is empty)`, this);
    return this.provisioning.fn.invoke(label, pulumi.output(setup).apply((indexSetup) => ({ indexSetup })), [...this.provisioning.after]);
  }

  private resolve(name: string, args: SearchDomainArgs): SearchPlan {
    const r = resolveSearch(name, args, {
      subnetCount: args.subnetIds.length,
      clientCidrs: args.clientCidrs ?? [],
      clientSecurityGroupLabels: Object.keys(args.clientSecurityGroupIds ?? {}),
      tags: args.tags,
    });
    if (!r.ok) throw new pulumi.ResourceError(`SearchDomain "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
