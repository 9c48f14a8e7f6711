/**
 * What each kind of stack manages, for its deploy role's policy (components/security/baseline/
 * deployPolicy.ts): the Pulumi resource types its program creates and the service principals its
 * roles are passed to. test/stacks/deployRoles.test.ts checks both lists against the captured plan
 * of every real stack, so a component that brings a new resource type or service role fails that
 * test until it is listed here (and its IAM prefix is in SERVICE_PREFIXES).
 */

/** Types every stack creates: the security baseline, incident response, audit reports and the VPC. */
const COMMON_TYPES = [
  // Alert topics, alarms and dashboards (stacks/observability.ts): every stack.
  "aws:cloudwatch/dashboard:Dashboard",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:accessanalyzer/analyzer:Analyzer",
  "aws:cfg/deliveryChannel:DeliveryChannel",
  "aws:cfg/recorder:Recorder",
  "aws:cfg/recorderStatus:RecorderStatus",
  "aws:cfg/rule:Rule",
  "aws:cloudtrail/trail:Trail",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:ebs/defaultKmsKey:DefaultKmsKey",
  "aws:ebs/encryptionByDefault:EncryptionByDefault",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/eip:Eip",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/networkAcl:NetworkAcl",
  "aws:ec2/networkAclRule:NetworkAclRule",
  "aws:ec2/route:Route",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  "aws:guardduty/detector:Detector",
  "aws:guardduty/detectorFeature:DetectorFeature",
  "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:inspector2/enabler:Enabler",
  "aws:kms/alias:Alias",
  "aws:kms/key:Key",
  "aws:lambda/function:Function",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  "aws:lambda/permission:Permission",
  // The Teams notifier's dead-letter queue (components/observability/TeamsNotifier.ts): every stack.
  "aws:sqs/queue:Queue",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:route53/record:Record",
  "aws:route53/zone:Zone",
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:scheduler/schedule:Schedule",
  "aws:securityhub/account:Account",
  "aws:securityhub/standardsSubscription:StandardsSubscription",
  "aws:sns/topic:Topic",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];

/** Management adds the transit hub, VPN, images, the log archive and the member accounts' administration. */
const MANAGEMENT_TYPES = [
  ...COMMON_TYPES,
  // The service pipelines (stacks/delivery.ts): one CodePipeline per service.
  "aws:codepipeline/pipeline:Pipeline",
  "aws:ec2/customerGateway:CustomerGateway",
  "aws:ec2/vpnConnection:VpnConnection",
  "aws:ec2transitgateway/route:Route",
  "aws:ec2transitgateway/routeTable:RouteTable",
  "aws:ec2transitgateway/transitGateway:TransitGateway",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  "aws:ecr/repository:Repository",
  "aws:ecr/repositoryPolicy:RepositoryPolicy",
  "aws:guardduty/member:Member",
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:ram/principalAssociation:PrincipalAssociation",
  "aws:ram/resourceAssociation:ResourceAssociation",
  "aws:ram/resourceShare:ResourceShare",
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  // The cross-account observability sink the environments link to (stacks/observability.ts).
  "aws:oam/sink:Sink",
  "aws:oam/sinkPolicy:SinkPolicy",
  "aws:securityhub/findingAggregator:FindingAggregator",
  "aws:securityhub/member:Member",
];

/** An environment adds its services, data tier, edge and its membership of management's detectors. */
const ENVIRONMENT_TYPES = [
  ...COMMON_TYPES,
  "aws:acm/certificate:Certificate",
  "aws:acm/certificateValidation:CertificateValidation",
  "aws:amp/alertManagerDefinition:AlertManagerDefinition",
  "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
  "aws:amp/workspace:Workspace",
  "aws:appautoscaling/policy:Policy",
  "aws:appautoscaling/scheduledAction:ScheduledAction",
  "aws:appautoscaling/target:Target",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  "aws:oam/link:Link",
  "aws:dlm/lifecyclePolicy:LifecyclePolicy",
  "aws:ebs/volume:Volume",
  "aws:ec2/instance:Instance",
  "aws:ec2/volumeAttachment:VolumeAttachment",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/user:User",
  "aws:elasticache/userGroup:UserGroup",
  "aws:guardduty/inviteAccepter:InviteAccepter",
  "aws:iam/instanceProfile:InstanceProfile",
  // Each service's cross-account deploy role keeps exactly its one inline policy (components/delivery/EnvironmentDeployRole.ts).
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole",
  "aws:lambda/invocation:Invocation",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:opensearch/domain:Domain",
  "aws:opensearch/domainPolicy:DomainPolicy",
  "aws:rds/instance:Instance",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization",
  "aws:route53/zoneAssociation:ZoneAssociation",
  "aws:secretsmanager/secret:Secret",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:securityhub/inviteAccepter:InviteAccepter",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:wafv2/webAcl:WebAcl",
  "aws:wafv2/webAclAssociation:WebAclAssociation",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
];

/** Service principals in the trust of the roles each stack creates: the only services its deploy role may pass them to. */
const COMMON_SERVICES = ["cloudtrail.amazonaws.com", "config.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"];
const ENVIRONMENT_SERVICES = [...COMMON_SERVICES, "dlm.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "monitoring.rds.amazonaws.com", "vpc-flow-logs.amazonaws.com"];

export interface DeployedServices {
  readonly resourceTypes: readonly string[];
  readonly passedToServices: readonly string[];
}

/** Management also passes each pipeline's service role to CodePipeline (stacks/delivery.ts). */
const MANAGEMENT_SERVICES = [...COMMON_SERVICES, "codepipeline.amazonaws.com"];

export const DEPLOYED: Readonly<Record<"management" | "environment", DeployedServices>> = {
  management: { resourceTypes: MANAGEMENT_TYPES, passedToServices: MANAGEMENT_SERVICES },
  environment: { resourceTypes: ENVIRONMENT_TYPES, passedToServices: ENVIRONMENT_SERVICES },
};

/** The APM switches that bring resource types of their own (config/apmSchema.ts). */
export interface ApmSwitches {
  readonly newRelic: { readonly enabled: boolean; readonly metricStream: boolean };
  readonly glowroot: { readonly enabled: boolean };
}

/** What optional parts add, only to the stacks that turn them on: a deploy role gets no service its stack does not use. */
const APM_PARTS = {
  license: { resourceTypes: ["aws:secretsmanager/secret:Secret"], passedToServices: [] },
  metricStream: {
    resourceTypes: ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/metricStream:MetricStream", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"],
    passedToServices: ["firehose.amazonaws.com", "streams.metrics.cloudwatch.amazonaws.com"],
  },
  collector: {
    resourceTypes: ["aws:lb/listener:Listener", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
    passedToServices: [],
  },
  // Glowroot central's nodes and its Cassandra (a NoSqlCluster in management): nodes, data volumes and their snapshots, the secrets.
  collectorStore: {
    resourceTypes: [
      "aws:dlm/lifecyclePolicy:LifecyclePolicy", "aws:ebs/volume:Volume", "aws:ec2/instance:Instance", "aws:ec2/volumeAttachment:VolumeAttachment",
      "aws:iam/instanceProfile:InstanceProfile", "aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion",
      // The central nodes register in the collector's target group by private IP.
      "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    ],
    passedToServices: ["dlm.amazonaws.com", "ec2.amazonaws.com"],
  },
} as const;

/** The logging switches that bring resource types of their own (config/loggingSchema.ts). */
export interface LoggingSwitches {
  readonly graylog: { readonly enabled: boolean };
  readonly shipping?: { readonly enabled: boolean };
}

const LOGGING_PARTS = {
  // Management's Graylog (stacks/graylog.ts): the load balancer and its certificate, the nodes and their MongoDB
  // (a NoSqlCluster), the OpenSearch domain, the archive; the snapshot role is passed to OpenSearch Service.
  graylog: {
    resourceTypes: [
      "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
      "aws:lb/listener:Listener", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/targetGroupAttachment:TargetGroupAttachment",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "aws:dlm/lifecyclePolicy:LifecyclePolicy", "aws:ebs/volume:Volume", "aws:ec2/instance:Instance", "aws:ec2/volumeAttachment:VolumeAttachment",
      "aws:iam/instanceProfile:InstanceProfile", "aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion",
      "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "aws:opensearch/domain:Domain", "aws:opensearch/domainPolicy:DomainPolicy",
      // Its provisioning (stacks/graylogProvisioning.ts): the provisioner's Invocation and the alert relay's table.
      "aws:dynamodb/table:Table", "aws:lambda/invocation:Invocation",
    ],
    passedToServices: ["dlm.amazonaws.com", "ec2.amazonaws.com", "es.amazonaws.com"],
  },
  // The services' FireLens file in an environment that ships (components/compute/FirelensConfig.ts); its bucket's types are common.
  firelens: {
    resourceTypes: ["aws:s3/bucketObjectv2:BucketObjectv2"],
    passedToServices: [],
  },
  // An environment's log shipper (stacks/logShipper.ts): the log buckets' notifications and, where flow logs go to CloudWatch, the subscription filter.
  logShipper: { resourceTypes: ["aws:s3/bucketNotification:BucketNotification"], passedToServices: [] },
  logShipperSubscription: { resourceTypes: ["aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"], passedToServices: [] },
} as const;

/** The analytics switch that brings resource types of its own (config/analyticsSchema.ts): environments only. */
export interface AnalyticsSwitches {
  readonly enabled: boolean;
}

const ANALYTICS_PARTS = {
  // The lake (components/analytics/AnalyticsLake.ts): the Glue catalogue, the analysts' workgroup, the buckets' access logging.
  lake: {
    resourceTypes: ["aws:athena/workgroup:Workgroup", "aws:glue/catalogDatabase:CatalogDatabase", "aws:glue/catalogTable:CatalogTable", "aws:s3/bucketLogging:BucketLogging"],
    passedToServices: [],
  },
} as const;

/** The types and service principals of one stack: its kind's, plus those of the APM and logging parts its config turns on (stacks/apm.ts, stacks/graylog.ts). */
export function deployedFor(
  kind: "management" | "environment",
  apm: ApmSwitches,
  logging: LoggingSwitches = { graylog: { enabled: false } },
  /** Where the stack's flow logs go (network.flowLogs): the log shipper subscribes to a CloudWatch group. */
  network?: { readonly flowLogs: { readonly destination: "cloudwatch" | "s3" } },
  /** Whether the environment runs the analytics lake (analytics.enabled, defaults applied). */
  analytics?: AnalyticsSwitches,
): DeployedServices {
  const parts: DeployedServices[] = [DEPLOYED[kind]];
  if (kind === "environment" && analytics?.enabled === true) parts.push(ANALYTICS_PARTS.lake);
  if (kind === "management" && logging.graylog.enabled) parts.push(LOGGING_PARTS.graylog);
  if (kind === "environment" && logging.shipping?.enabled) {
    parts.push(LOGGING_PARTS.logShipper);
    if (network?.flowLogs.destination === "cloudwatch") parts.push(LOGGING_PARTS.logShipperSubscription);
  }
  if (kind === "environment" && logging.shipping?.enabled) parts.push(LOGGING_PARTS.firelens);
  if (apm.newRelic.enabled) parts.push(APM_PARTS.license);
  if (apm.newRelic.enabled && apm.newRelic.metricStream) parts.push(APM_PARTS.metricStream);
  if (kind === "management" && apm.glowroot.enabled) parts.push(APM_PARTS.collector, APM_PARTS.collectorStore);
  const union = (pick: (p: DeployedServices) => readonly string[]): string[] => [...new Set(parts.flatMap(pick))].sort();
  return { resourceTypes: union((p) => p.resourceTypes), passedToServices: union((p) => p.passedToServices) };
}
