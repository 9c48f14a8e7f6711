/**
 * Which resources the tagging rules judge. A resource is taggable when its inputs carry `tags`, or
 * when its type is listed here: the AWS types this program creates (or the design plans) whose
 * `@pulumi/aws` args accept `tags`, so a resource of such a type that omits `tags` altogether is
 * still caught. Types without a `tags` input (associations, attachments, routes, records, rules of
 * NACLs, policies attached to roles, S3 bucket sub-configurations, secret versions, aliases, ...)
 * are not applicable. test/policy/rules/tagging checks every entry against the `@pulumi/aws`
 * declarations and that every taggable type of the five real stacks is listed.
 */
export const TAGGABLE_TYPES: readonly string[] = [
  "aws:accessanalyzer/analyzer:Analyzer",
  "aws:acm/certificate:Certificate",
  "aws:alb/listener:Listener",
  "aws:alb/listenerRule:ListenerRule",
  "aws:alb/loadBalancer:LoadBalancer",
  "aws:alb/targetGroup:TargetGroup",
  "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
  "aws:amp/workspace:Workspace",
  "aws:appautoscaling/target:Target",
  "aws:athena/workgroup:Workgroup",
  "aws:cfg/rule:Rule",
  "aws:cloudtrail/trail:Trail",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/metricStream:MetricStream",
  "aws:codepipeline/pipeline:Pipeline",
  "aws:dlm/lifecyclePolicy:LifecyclePolicy",
  "aws:dynamodb/table:Table",
  "aws:ebs/volume:Volume",
  "aws:ec2/customerGateway:CustomerGateway",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/eip:Eip",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/instance:Instance",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/networkAcl:NetworkAcl",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/vpnConnection:VpnConnection",
  "aws:ec2transitgateway/routeTable:RouteTable",
  "aws:ec2transitgateway/transitGateway:TransitGateway",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  "aws:ecr/repository:Repository",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/user:User",
  "aws:elasticache/userGroup:UserGroup",
  "aws:glue/catalogDatabase:CatalogDatabase",
  "aws:guardduty/detector:Detector",
  "aws:iam/instanceProfile:InstanceProfile",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:iam/policy:Policy",
  "aws:iam/role:Role",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole",
  "aws:iam/user:User",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  "aws:kms/key:Key",
  "aws:lambda/function:Function",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:oam/link:Link",
  "aws:oam/sink:Sink",
  "aws:opensearch/domain:Domain",
  "aws:ram/resourceShare:ResourceShare",
  "aws:rds/instance:Instance",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:route53/zone:Zone",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:secretsmanager/secret:Secret",
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:wafv2/webAcl:WebAcl",
];

const TAGGABLE = new Set(TAGGABLE_TYPES);

/** Whether the tagging rules judge a resource of `type` with these inputs. */
export function isTaggable(type: string, props: Record<string, unknown>): boolean {
  return type.startsWith("aws:") && (TAGGABLE.has(type) || "tags" in props);
}

/**
 * The resource's tags as a map, whatever the input's shape: a map (almost every type) or a list of
 * `{key, value}` (autoscaling groups). Missing or null tags are an empty map.
 */
export function tagMap(tags: unknown): Record<string, unknown> {
  if (Array.isArray(tags)) {
    return Object.fromEntries(tags.filter((t) => typeof t?.key === "string").map((t: { key: string; value?: unknown }) => [t.key, t.value]));
  }
  return typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>) : {};
}
