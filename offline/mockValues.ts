/**
 * Realistic computed values for the mocked engine: ids, ARNs, DNS names and data-source results.
 * Ids are derived from a hash of (stack, type, name), so they are stable run to run and unique
 * across every stack of one plan, which lets references between stacks resolve.
 */
import { createHash } from "crypto";
import { availabilityZonesOf } from "../components/aws/regionCatalogue";
import { AUTO_NAMING, nameSeed, resolveName } from "./aws/autoNaming";

/** Everything the mocks need to know about the account and region they pretend to be. */
export interface MockAccount {
  stack: string;
  region: string;
  accountId: string;
}

export function stableHex(seed: string, length = 17): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** AWS id prefixes by type token; anything not listed gets a name-derived id. */
const ID_PREFIXES: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc-",
  "aws:ec2/subnet:Subnet": "subnet-",
  "aws:ec2/internetGateway:InternetGateway": "igw-",
  "aws:ec2/natGateway:NatGateway": "nat-",
  "aws:ec2/eip:Eip": "eipalloc-",
  "aws:ec2/routeTable:RouteTable": "rtb-",
  "aws:ec2/route:Route": "r-rtb-",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
  "aws:ec2/securityGroup:SecurityGroup": "sg-",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
  "aws:ec2/networkAcl:NetworkAcl": "acl-",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
  "aws:ec2/flowLog:FlowLog": "fl-",
  "aws:ec2/instance:Instance": "i-",
  "aws:ec2/volume:Volume": "vol-",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
  "aws:ec2/customerGateway:CustomerGateway": "cgw-",
  "aws:ec2/vpnConnection:VpnConnection": "vpn-",
  "aws:ec2transitgateway/transitGateway:TransitGateway": "tgw-",
  "aws:ec2transitgateway/routeTable:RouteTable": "tgw-rtb-",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "tgw-attach-",
  "aws:kms/key:Key": "",
  "aws:amp/workspace:Workspace": "ws-",
};

export function mockId(acct: MockAccount, type: string, name: string): string {
  const hex = stableHex(`${acct.stack}|${type}|${name}`);
  const prefix = ID_PREFIXES[type];
  if (type === "aws:kms/key:Key") {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-a${hex.slice(0, 3)}-${hex.slice(3, 15)}`;
  }
  if (type === "aws:route53/zone:Zone") return `Z${hex.toUpperCase().slice(0, 13)}`;
  if (prefix !== undefined) return `${prefix}${hex}`;
  return `${name}-${hex.slice(0, 8)}`;
}

/** `aws:ec2/vpc:Vpc` -> `ec2`; `aws:ec2transitgateway/...` -> `ec2`. */
function arnService(type: string): string {
  const mod = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const services: Record<string, string> = {
    ec2transitgateway: "ec2",
    vpc: "ec2",
    alb: "elasticloadbalancing",
    lb: "elasticloadbalancing",
    cloudwatch: "logs",
    opensearch: "es",
    secretsmanager: "secretsmanager",
    route53: "route53",
    wafv2: "wafv2",
    ecs: "ecs",
    appautoscaling: "application-autoscaling",
    elasticache: "elasticache",
    rds: "rds",
    sns: "sns",
    lambda: "lambda",
    cloudtrail: "cloudtrail",
    dlm: "dlm",
    acm: "acm",
    amp: "aps",
  };
  return services[mod] ?? mod;
}

function kebab(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

export function mockArn(acct: MockAccount, type: string, id: string, physicalName: string): string {
  const kind = type.split(":")[2] ?? "resource";
  switch (type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return `arn:aws:s3:::${physicalName}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${acct.accountId}:role/${physicalName}`;
    case "aws:iam/policy:Policy":
      return `arn:aws:iam::${acct.accountId}:policy/${physicalName}`;
    case "aws:iam/instanceProfile:InstanceProfile":
      return `arn:aws:iam::${acct.accountId}:instance-profile/${physicalName}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `arn:aws:logs:${acct.region}:${acct.accountId}:log-group:${physicalName}`;
    case "aws:kms/key:Key":
      return `arn:aws:kms:${acct.region}:${acct.accountId}:key/${id}`;
    case "aws:route53/zone:Zone":
      return `arn:aws:route53:::hostedzone/${id}`;
    case "aws:sns/topic:Topic":
      return `arn:aws:sns:${acct.region}:${acct.accountId}:${physicalName}`;
    case "aws:ecr/repository:Repository":
      return `arn:aws:ecr:${acct.region}:${acct.accountId}:repository/${physicalName}`;
    case "aws:secretsmanager/secret:Secret":
      return `arn:aws:secretsmanager:${acct.region}:${acct.accountId}:secret:${physicalName}-${id.slice(-6)}`;
    // A rule on the default event bus: rule/<name> (Service Authorization Reference, Amazon EventBridge).
    case "aws:cloudwatch/eventRule:EventRule":
      return `arn:aws:events:${acct.region}:${acct.accountId}:rule/${physicalName}`;
    // A pipeline's ARN ends in its bare name (Service Authorization Reference, AWS CodePipeline).
    case "aws:codepipeline/pipeline:Pipeline":
      return `arn:aws:codepipeline:${acct.region}:${acct.accountId}:${physicalName}`;
    default:
      return `arn:aws:${arnService(type)}:${acct.region}:${acct.accountId}:${kebab(kind)}/${id}`;
  }
}

/**
 * The physical name AWS would see: the explicit input, a `namePrefix` plus the provider's suffix,
 * or Pulumi's auto-name with the per-type rules of ./aws/autoNaming (over-long auto-names are kept
 * as generated; the name-limit check reports them). Types the provider does not auto-name fall back
 * to the logical name plus a stable suffix, which only feeds mock ARNs.
 */
export function physicalName(acct: MockAccount, type: string, name: string, inputs: Record<string, unknown>): string {
  const seed = nameSeed(acct.stack, type, name);
  const naming = AUTO_NAMING[type];
  if (naming) return resolveName(naming, seed, name, inputs).value;
  for (const key of ["name", "bucket", "functionName", "clusterIdentifier"]) {
    const v = inputs[key];
    if (typeof v === "string" && v.length > 0) return v;
  }
  return `${name}-${stableHex(seed, 7)}`;
}

type Outputs = Record<string, unknown>;

function ecsArnPrefix(acct: MockAccount): string {
  return `arn:aws:ecs:${acct.region}:${acct.accountId}:`;
}

/** Type-specific computed outputs on top of the inputs, the way the provider would report them. */
export function computedOutputs(acct: MockAccount, type: string, name: string, id: string, inputs: Outputs): Outputs {
  const h = (salt: string, n = 17): string => stableHex(`${acct.stack}|${type}|${name}|${salt}`, n);
  switch (type) {
    case "aws:ec2/vpc:Vpc":
      return {
        defaultSecurityGroupId: `sg-${h("dsg")}`,
        defaultRouteTableId: `rtb-${h("drt")}`,
        mainRouteTableId: `rtb-${h("drt")}`,
        defaultNetworkAclId: `acl-${h("dacl")}`,
        ownerId: acct.accountId,
      };
    case "aws:ec2transitgateway/transitGateway:TransitGateway":
      return { ownerId: acct.accountId, associationDefaultRouteTableId: `tgw-rtb-${h("default")}`, propagationDefaultRouteTableId: `tgw-rtb-${h("default")}` };
    case "aws:ec2/vpnConnection:VpnConnection":
      return {
        transitGatewayAttachmentId: `tgw-attach-${h("attach")}`,
        tunnel1Address: `15.185.${parseInt(h("t1", 2), 16)}.${parseInt(h("t1b", 2), 16)}`,
        tunnel2Address: `15.185.${parseInt(h("t2", 2), 16)}.${parseInt(h("t2b", 2), 16)}`,
      };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return {
        dnsEntries: [{ dnsName: `${id}.${String(inputs.serviceName ?? "svc").split(".").slice(-1)[0]}.${acct.region}.vpce.amazonaws.com`, hostedZoneId: `Z${h("vpcez", 13).toUpperCase()}` }],
        networkInterfaceIds: [`eni-${h("eni")}`],
        // A gateway endpoint reports its service's prefix list (security-group egress to S3 names it).
        ...(inputs.vpcEndpointType === "Gateway" ? { prefixListId: `pl-${h("pl", 8)}` } : {}),
      };
    case "aws:route53/zone:Zone":
      return { zoneId: id, nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net", "ns-3.awsdns-03.com", "ns-4.awsdns-04.co.uk"] };
    case "aws:ec2/subnet:Subnet": {
      // Both forms of the zone, as the provider reads them back whichever one the program wrote.
      const zone = availabilityZonesOf(acct.region).find((z) => z.zoneId === inputs.availabilityZoneId || z.name === inputs.availabilityZone);
      return zone ? { availabilityZone: zone.name, availabilityZoneId: zone.zoneId } : {};
    }
    case "aws:ec2/instance:Instance":
      return { privateIp: `10.255.${parseInt(h("ip1", 2), 16)}.${parseInt(h("ip2", 2), 16)}`, primaryNetworkInterfaceId: `eni-${h("eni")}` };
    case "aws:ec2/eip:Eip":
      return { publicIp: `157.175.${parseInt(h("p1", 2), 16)}.${parseInt(h("p2", 2), 16)}`, allocationId: id };
    case "aws:ecr/repository:Repository": {
      const repository = physicalName(acct, type, name, inputs);
      return { registryId: acct.accountId, repositoryUrl: `${acct.accountId}.dkr.ecr.${acct.region}.amazonaws.com/${repository}` };
    }
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = physicalName(acct, type, name, inputs);
      return { bucket, bucketDomainName: `${bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${bucket}.s3.${acct.region}.amazonaws.com` };
    }
    case "aws:lb/loadBalancer:LoadBalancer":
    case "aws:alb/loadBalancer:LoadBalancer":
      return { dnsName: `${name}-${h("dns", 10)}.${acct.region}.elb.amazonaws.com`, zoneId: "Z3ULH7SSC9OV64", arnSuffix: `app/${name}/${h("sfx", 16)}` };
    case "aws:lb/targetGroup:TargetGroup":
    case "aws:alb/targetGroup:TargetGroup":
      return { arnSuffix: `targetgroup/${name}/${h("sfx", 16)}` };
    case "aws:acm/certificate:Certificate": {
      const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])].filter((n): n is string => typeof n === "string");
      return {
        domainValidationOptions: names.map((domainName) => ({
          domainName,
          resourceRecordName: `_${stableHex(domainName, 32)}.${domainName}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${stableHex(`${domainName}|v`, 32)}.acm-validations.aws.`,
        })),
      };
    }
    case "aws:kms/key:Key":
      return { keyId: id };
    case "random:index/randomPassword:RandomPassword":
    case "random:index/randomString:RandomString": {
      const length = typeof inputs.length === "number" ? inputs.length : 32;
      return { result: `offline${h("result", 64)}`.slice(0, length) };
    }
    case "random:index/randomId:RandomId":
      return { hex: h("hex", 16), b64Url: h("b64", 11) };
    case "aws:rds/instance:Instance":
      // resourceId is the DbiResourceId (`db-` and 26 upper-case letters and digits), used in rds-db:connect ARNs.
      return { endpoint: `${name}.${h("ep", 12)}.${acct.region}.rds.amazonaws.com:3306`, address: `${name}.${h("ep", 12)}.${acct.region}.rds.amazonaws.com`, resourceId: `db-${h("dbi", 26).toUpperCase()}` };
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return { primaryEndpointAddress: `master.${name}.${h("ep", 6)}.mes1.cache.amazonaws.com`, readerEndpointAddress: `replica.${name}.${h("ep", 6)}.mes1.cache.amazonaws.com` };
    case "aws:opensearch/domain:Domain":
      return { endpoint: `vpc-${name}-${h("ep", 26)}.${acct.region}.es.amazonaws.com`, domainId: `${acct.accountId}/${name}` };
    case "aws:amp/workspace:Workspace":
      // The workspace's Prometheus-compatible endpoint, with the trailing slash AMP returns.
      return { prometheusEndpoint: `https://aps-workspaces.${acct.region}.amazonaws.com/workspaces/${id}/` };
    // ECS ARNs in the forms of the Service Authorization Reference (cluster/<name>,
    // service/<cluster>/<name>, task-definition/<family>:<revision>), so that IAM statements scoped
    // to a service or a family can be checked against the graph (test/delivery/scope.test.ts).
    case "aws:ecs/cluster:Cluster":
      return { arn: `${ecsArnPrefix(acct)}cluster/${physicalName(acct, type, name, inputs)}` };
    case "aws:ecs/service:Service": {
      const cluster = typeof inputs.cluster === "string" ? inputs.cluster.split("/").pop() : "default";
      return { arn: `${ecsArnPrefix(acct)}service/${cluster}/${physicalName(acct, type, name, inputs)}` };
    }
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const family = `${ecsArnPrefix(acct)}task-definition/${String(inputs.family)}`;
      return { arn: `${family}:1`, arnWithoutRevision: family, revision: 1 };
    }
    default:
      return {};
  }
}

/** Results of the data-source functions the program calls. Unknown tokens are an error, never `{}`. */
export function invokeResult(acct: MockAccount, token: string, inputs: Outputs): Outputs {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      // The region's real zones from the capability catalogue; an uncatalogued region keeps the old guess.
      const zones = availabilityZonesOf(acct.region);
      if (zones.length > 0) return { names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.zoneId), id: acct.region };
      return { names: ["a", "b", "c"].map((l) => `${acct.region}${l}`), zoneIds: [1, 2, 3].map((n) => `${acct.region}-az${n}`), id: acct.region };
    }
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: acct.accountId, arn: `arn:aws:sts::${acct.accountId}:assumed-role/offline/plan`, userId: "AROAOFFLINE:plan", id: acct.accountId };
    case "aws:index/getRegion:getRegion":
      return { name: acct.region, region: acct.region, id: acct.region, description: acct.region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    case "aws:ssm/getParameter:getParameter":
      return { name: inputs.name, type: "String", value: `ami-${stableHex(String(inputs.name))}`, id: String(inputs.name) };
    case "aws:ec2/getAmi:getAmi":
      return { id: `ami-${stableHex(JSON.stringify(inputs))}`, architecture: "arm64" };
    default:
      throw new Error(`offline engine: no mock for data source "${token}"; add it to offline/mockValues.ts`);
  }
}
