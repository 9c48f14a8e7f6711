/**
 * The VPC of every stack (docs/network.md), built from raw `@pulumi/aws` resources so that the
 * offline engine and the policy pack see every subnet, route and rule. Every decision lives in
 * `networkPlan.ts`; this class only turns that plan into resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SUBNET_TIERS, SubnetTier, TierSpec } from "./cidrPlan";
import { FlowLogDestinationOutput, createVpcFlowLog } from "./flowLogs";
import { FlowLogDestination, FlowLogTrafficType, NatStrategy, NetworkPlan, NetworkPlanError, RouteTarget, planNetwork } from "./networkPlan";
import { Tags, resourceTags } from "../tags";

const SERVICE = "network";

export interface EnvironmentNetworkArgs {
  /** Environment name (`management`, `dev`, ...), used in Name tags and the flow log group name. */
  readonly environment: string;
  /** VPC CIDR, /16 to /28; subnets are carved from it by `planSubnets`. */
  readonly cidr: string;
  /**
   * AZ IDs in one region, 1 to 4, e.g. `["mes1-az1", "mes1-az2"]`: subnets are placed by ID, so the
   * hub and every spoke (each in its own account) put their Transit Gateway attachments in the same
   * physical zones, which AZ names do not guarantee across accounts. The region and each zone's name
   * come from the region catalogue (no invoke needed); the name's letter suffixes per-AZ logical names.
   */
  readonly availabilityZoneIds: readonly string[];
  /**
   * Egress for the app and data tiers. `perAz`: one NAT gateway per AZ, so losing an AZ never cuts
   * egress in the others. `single`: one NAT in the first AZ. `none`: no internet egress.
   * Cost: each NAT gateway bills hourly (~USD 35-45/month in me-south-1) plus per GB processed, so
   * `perAz` with 3 AZs costs three times `single`; cross-AZ traffic to a `single` NAT also bills.
   */
  readonly natStrategy: NatStrategy;
  /** VPC flow logs; there is always one flow log for the whole VPC. */
  readonly flowLogs: {
    /** `cloudwatch` (queryable at once, ~USD 0.5+/GB ingested) or `s3` (far cheaper at volume, query with Athena). */
    readonly destination: FlowLogDestination;
    /** Days to keep records; for CloudWatch one of the values PutRetentionPolicy accepts (1, 3, 5, 7, 14, 30, ...). */
    readonly retentionDays: number;
    /** Which traffic to record. @default "ALL" */
    readonly trafficType?: FlowLogTrafficType;
    /**
     * KMS key for the log group or bucket. Its key policy must allow `logs.<region>.amazonaws.com`
     * (CloudWatch) or `delivery.logs.amazonaws.com` (S3). @default AWS-owned encryption (SSE-S3 for S3)
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
  };
  /**
   * Subnet tiers and their sizes. `app` and `data` are required; `public` is required unless
   * natStrategy is `none`; `transit` is required with `transit`. @default DEFAULT_TIERS (sized for a /16)
   */
  readonly tiers?: readonly TierSpec[];
  /** Put the data subnets behind a NACL that admits only app, data and admin sources. @default true */
  readonly dataTierNacl?: boolean;
  /** Extra sources the data NACL admits, e.g. the management VPC CIDR. @default [] */
  readonly adminCidrs?: readonly string[];
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service`, `Name` and `Tier` are added. */
  readonly tags: Tags;
  /**
   * Attach the VPC to a Transit Gateway on the transit subnets. Cost: each attachment bills hourly
   * plus per GB processed. @default no attachment
   */
  readonly transit?: {
    /** The Transit Gateway (possibly shared from another account with RAM). */
    readonly transitGatewayId: pulumi.Input<string>;
    /** Destinations the app and data route tables send to the TGW (never the public or transit tables). */
    readonly routes: readonly { readonly cidr: string; readonly description: string }[];
    /** TGW route table the attachment associates with. */
    readonly associationRouteTableId: pulumi.Input<string>;
    /** Label -> TGW route table the attachment propagates into; the label names the resource. */
    readonly propagationRouteTableIds: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Provider for the TGW owner account, where association and propagation live when the VPC is in
     * another account. Giving it also says the gateway is RAM-shared into this account: the
     * attachment then leaves its default-routing flags unset, since the provider can neither set
     * nor read them on a shared gateway (it always reads them back as true). @default the VPC's provider
     */
    readonly hubProvider?: pulumi.ProviderResource;
  };
}

export interface RouteTableIds {
  /** Absent only when there is no public tier. */
  public?: pulumi.Output<string>;
  /** By AZ index. */
  app: pulumi.Output<string>[];
  /** By AZ index. */
  data: pulumi.Output<string>[];
  /** Absent only when there is no transit tier. */
  transit?: pulumi.Output<string>;
}

export type { FlowLogDestination, FlowLogTrafficType, NatStrategy } from "./networkPlan";

export class EnvironmentNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** The VPC CIDR as given; plain, so callers can plan routes and rules without an apply. */
  readonly vpcCidr: string;
  /** Subnet ids per tier, by AZ index; empty for a tier the network does not have. */
  readonly subnetIds: Record<SubnetTier, pulumi.Output<string>[]>;
  /** Subnet CIDRs per tier, by AZ index; known at plan time. */
  readonly subnetCidrs: Record<SubnetTier, string[]>;
  /** Route tables by tier; app and data by AZ index (all share one NAT with `single`, but stay per AZ). */
  readonly routeTableIds: RouteTableIds;
  /** One per AZ (`perAz`), one (`single`) or none. */
  readonly natGatewayIds: pulumi.Output<string>[];
  /** The TGW VPC attachment, when `transit` is given. */
  readonly attachmentId?: pulumi.Output<string>;
  /** The VPC's one flow log. */
  readonly flowLogId: pulumi.Output<string>;
  /** Where the flow log writes (its bucket or its log group): what the log shipper reads. */
  readonly flowLogDestination: FlowLogDestinationOutput;
  /** The prefix list of the VPC's S3 gateway endpoint: egress to S3 without a route to the internet. */
  readonly s3PrefixListId: pulumi.Output<string>;
  /** AZ names in AZ-index order, the order of every per-AZ array here (for what AWS takes by name only). */
  readonly availabilityZones: string[];
  /** AZ IDs in AZ-index order: where the subnets are. */
  readonly availabilityZoneIds: string[];

  constructor(name: string, args: EnvironmentNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:network:EnvironmentNetwork", name, {}, opts);
    const plan = this.resolve(name, args);
    const parent = this;
    const tags = (role: string, extra: Tags = {}): Record<string, string> => resourceTags(args.tags, SERVICE, `${args.environment}-${role}`, extra);

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: plan.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags("vpc"),
    }, { parent });

    const subnetIds = Object.fromEntries(SUBNET_TIERS.map((t) => [t, [] as pulumi.Output<string>[]])) as Record<SubnetTier, pulumi.Output<string>[]>;
    const subnetCidrs = Object.fromEntries(SUBNET_TIERS.map((t) => [t, [] as string[]])) as Record<SubnetTier, string[]>;
    const subnetByRole = new Map<string, aws.ec2.Subnet>();
    for (const s of plan.subnets) {
      const subnet = new aws.ec2.Subnet(`${name}-${s.role}`, {
        vpcId: vpc.id,
        cidrBlock: s.cidr,
        availabilityZoneId: s.az.id,
        // Nothing gets a public IP implicitly, not even in the public tier: the ALB and NAT bring their own.
        mapPublicIpOnLaunch: false,
        tags: tags(s.role, { Tier: s.tier }),
      }, { parent });
      subnetByRole.set(s.role, subnet);
      subnetIds[s.tier][s.az.index] = subnet.id;
      subnetCidrs[s.tier][s.az.index] = s.cidr;
    }

    const igw = plan.tiers.includes("public")
      ? new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, { parent })
      : undefined;
    const nats = new Map<number, aws.ec2.NatGateway>();
    for (const az of plan.natAzs) {
      const eip = new aws.ec2.Eip(`${name}-nat-eip-${az.letter}`, { domain: "vpc", tags: tags(`nat-eip-${az.letter}`) }, { parent, dependsOn: igw ? [igw] : [] });
      nats.set(az.index, new aws.ec2.NatGateway(`${name}-nat-${az.letter}`, {
        allocationId: eip.id,
        subnetId: subnetByRole.get(`public-${az.letter}`)!.id,
        connectivityType: "public",
        tags: tags(`nat-${az.letter}`),
      }, { parent, dependsOn: igw ? [igw] : [] }));
    }

    const attachment = this.attach(name, args, plan, vpc, subnetIds.transit, tags);
    const routeTableIds: RouteTableIds = { app: [], data: [] };
    const allRouteTableIds: pulumi.Output<string>[] = [];
    for (const rt of plan.routeTables) {
      const table = new aws.ec2.RouteTable(`${name}-rt-${rt.role}`, { vpcId: vpc.id, tags: tags(`rt-${rt.role}`, { Tier: rt.tier }) }, { parent });
      allRouteTableIds.push(table.id);
      if (rt.tier === "app" || rt.tier === "data") routeTableIds[rt.tier][rt.az!.index] = table.id;
      else routeTableIds[rt.tier as "public" | "transit"] = table.id;
      for (const route of rt.routes) {
        const target = targetArgs(route.target, igw, nats, args.transit?.transitGatewayId);
        new aws.ec2.Route(`${name}-route-${rt.role}-${route.key}`, { routeTableId: table.id, destinationCidrBlock: route.destination, ...target },
          { parent, dependsOn: route.target.kind === "transitGateway" && attachment ? [attachment] : [] });
      }
      for (const s of rt.subnets) {
        new aws.ec2.RouteTableAssociation(`${name}-rta-${s.role}`, { subnetId: subnetByRole.get(s.role)!.id, routeTableId: table.id }, { parent });
      }
    }

    const gatewayEndpoints = new Map<string, aws.ec2.VpcEndpoint>();
    for (const ep of plan.gatewayEndpoints) {
      gatewayEndpoints.set(ep.service, new aws.ec2.VpcEndpoint(`${name}-endpoint-${ep.service}`, {
        vpcId: vpc.id,
        serviceName: ep.serviceName,
        vpcEndpointType: "Gateway",
        routeTableIds: allRouteTableIds,
        tags: tags(`endpoint-${ep.service}`),
      }, { parent }));
    }

    // Adopting the default group strips its allow-all rules, so nothing can use it by accident.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: tags("default-sg") }, { parent });

    if (plan.dataNaclRules) this.dataNacl(name, vpc, plan, subnetIds.data, tags);

    const { flowLog, destination: flowLogDestination } = createVpcFlowLog({ name, environment: args.environment, vpc, region: plan.region, settings: plan.flowLogs, kmsKeyArn: args.flowLogs.kmsKeyArn, tags: (role) => tags(role), parent });

    this.vpcId = vpc.id;
    this.vpcCidr = plan.vpcCidr;
    this.subnetIds = subnetIds;
    this.subnetCidrs = subnetCidrs;
    this.routeTableIds = routeTableIds;
    this.natGatewayIds = [...nats.values()].map((n) => n.id);
    this.attachmentId = attachment?.id;
    this.flowLogId = flowLog.id;
    this.flowLogDestination = flowLogDestination;
    const s3Endpoint = gatewayEndpoints.get("s3");
    if (!s3Endpoint) throw new pulumi.ResourceError(`EnvironmentNetwork "${name}": the plan has no S3 gateway endpoint`, this);
    this.s3PrefixListId = s3Endpoint.prefixListId;
    this.availabilityZones = plan.azs.map((az) => az.name);
    this.availabilityZoneIds = plan.azs.map((az) => az.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      subnetIds: this.subnetIds,
      subnetCidrs: this.subnetCidrs,
      routeTableIds: this.routeTableIds,
      natGatewayIds: this.natGatewayIds,
      attachmentId: this.attachmentId,
      flowLogId: this.flowLogId,
      flowLogDestination: this.flowLogDestination,
      s3PrefixListId: this.s3PrefixListId,
      availabilityZones: this.availabilityZones,
      availabilityZoneIds: this.availabilityZoneIds,
    });
  }

  private resolve(name: string, args: EnvironmentNetworkArgs): NetworkPlan {
    try {
      return planNetwork(args);
    } catch (e) {
      if (e instanceof NetworkPlanError) throw new pulumi.ResourceError(`EnvironmentNetwork "${name}" has invalid arguments: ${e.issues.join("; ")}`, this);
      throw e;
    }
  }

  /**
   * Which TGW route tables this VPC reaches is decided only by the explicit association and
   * propagations (the hub's isolation model). On the owner's own gateway the attachment says so
   * with both default-routing flags false. On a gateway shared from the hub account the flags
   * cannot be managed (terraform-provider-aws reads them back as true whatever was written, a
   * perpetual diff), so they are left unset and the hub gateway's own
   * `defaultRouteTableAssociation/Propagation: disable` keeps the attachment out of any default table.
   */
  private attach(name: string, args: EnvironmentNetworkArgs, plan: NetworkPlan, vpc: aws.ec2.Vpc, transitSubnetIds: pulumi.Output<string>[],
    tags: (role: string) => Record<string, string>): aws.ec2transitgateway.VpcAttachment | undefined {
    const transit = args.transit;
    if (!transit || !plan.transit) return undefined;
    const attachment = new aws.ec2transitgateway.VpcAttachment(`${name}-tgw-attachment`, {
      transitGatewayId: transit.transitGatewayId,
      vpcId: vpc.id,
      subnetIds: transitSubnetIds,
      dnsSupport: "enable",
      ...(transit.hubProvider ? {} : { transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false }),
      tags: tags("tgw-attachment"),
    }, { parent: this });
    const hubOpts: pulumi.CustomResourceOptions = { parent: this, provider: transit.hubProvider };
    new aws.ec2transitgateway.RouteTableAssociation(`${name}-tgw-association`, {
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: transit.associationRouteTableId,
    }, hubOpts);
    for (const label of plan.transit.propagationLabels) {
      new aws.ec2transitgateway.RouteTablePropagation(`${name}-tgw-propagation-${label}`, {
        transitGatewayAttachmentId: attachment.id,
        transitGatewayRouteTableId: transit.propagationRouteTableIds[label],
      }, hubOpts);
    }
    return attachment;
  }

  /**
   * The only NACL in the VPC. Security groups are the primary control everywhere; NACLs are
   * stateless, so on the public and app tiers they would only duplicate the groups while forcing
   * ephemeral-port rules for the ALB, NAT and every client. The data tier is where a second,
   * subnet-wide boundary earns that cost: one wrong security group rule must not open a database
   * to the public tier, the transit attachment or an office.
   */
  private dataNacl(name: string, vpc: aws.ec2.Vpc, plan: NetworkPlan, dataSubnetIds: pulumi.Output<string>[],
    tags: (role: string, extra?: Tags) => Record<string, string>): void {
    const acl = new aws.ec2.NetworkAcl(`${name}-data-nacl`, { vpcId: vpc.id, subnetIds: dataSubnetIds, tags: tags("data-nacl", { Tier: "data" }) }, { parent: this });
    for (const rule of plan.dataNaclRules ?? []) {
      new aws.ec2.NetworkAclRule(`${name}-data-nacl-${rule.egress ? "out" : "in"}-${rule.ruleNumber}`, {
        networkAclId: acl.id,
        ruleNumber: rule.ruleNumber,
        egress: rule.egress,
        protocol: rule.protocol,
        ruleAction: "allow",
        cidrBlock: rule.cidr,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
      }, { parent: this, deleteBeforeReplace: true }); // a changed rule keeps its number, and AWS rejects two entries with one number
    }
  }
}

function targetArgs(target: RouteTarget, igw: aws.ec2.InternetGateway | undefined, nats: Map<number, aws.ec2.NatGateway>,
  transitGatewayId: pulumi.Input<string> | undefined): Partial<aws.ec2.RouteArgs> {
  switch (target.kind) {
    case "internetGateway":
      return { gatewayId: igw!.id };
    case "natGateway":
      return { natGatewayId: nats.get(target.azIndex)!.id };
    case "transitGateway":
      return { transitGatewayId: transitGatewayId! };
  }
}
