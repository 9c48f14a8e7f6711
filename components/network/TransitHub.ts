/**
 * The management hub (docs/network.md): one Transit Gateway with default route-table
 * association and propagation disabled, so no attachment reaches anything until it is wired
 * explicitly, and one route table per segment.
 *
 * Segments and isolation:
 * - `management` reaches every segment.
 * - One table per environment. Environments never reach each other: each environment table
 *   holds a blackhole route for every other environment's CIDR, so even a mistaken propagation
 *   of another environment's attachment cannot open a path (a static route beats a propagated
 *   route for the same prefix). The absence of a route is not relied on.
 * - One table per office (`offices-<office>`), not one shared `offices` table. An environment
 *   attachment propagates into the tables of the offices allowed into it; with a shared table,
 *   dev propagating into it for Riyadh would let every office's traffic reach dev one way (the
 *   replies would drop, but SYNs and UDP would land). One table per office keeps each office to
 *   exactly its own allow list.
 * - Office tables carry no blackholes: which environments an office may reach is OfficeVpn and
 *   stack config, not the hub, and a blackhole would override the propagated route of an
 *   allowed environment. An office table learns only the propagations its allow list creates.
 *
 * Attachments (environment VPCs, office VPNs) are created by their owners and wired with
 * `routeTableIds`; `planSegmentWiring` in transitPlan.ts says which table each one uses.
 * Cost: no charge for the gateway or its tables; each attachment is about $36.50/month plus
 * $0.02/GB processed (us-east-1).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";
import { HubPlan, TransitPlanError, planTransitHub } from "./transitPlan";

/** Value of the `Service` tag on everything this component creates. */
const SERVICE_TAG = "network";

/** AWS's default Amazon-side ASN, in the 16-bit private range. */
const DEFAULT_AMAZON_SIDE_ASN = 64512;

export interface TransitHubArgs {
  /**
   * Private ASN of the AWS side of BGP sessions (64512-65534 or 4200000000-4294967294). Office
   * devices need a different ASN. Cannot change without replacing the gateway.
   * @default 64512
   */
  readonly amazonSideAsn?: number;
  /** The management VPC's CIDR; checked against every other segment for overlap. */
  readonly management: { readonly cidr: string };
  /** Environments (dev, stage, preprod, prod), each with its own route table. */
  readonly environments: readonly {
    readonly name: string;
    readonly cidr: string;
    /**
     * Account the environment lives in; an account other than `managementAccountId` gets the
     * gateway shared with it through RAM.
     * @default managementAccountId (same account, no sharing)
     */
    readonly accountId?: string;
  }[];
  /** Offices, each with its own route table; their CIDRs are checked for overlap. */
  readonly offices: readonly { readonly name: string; readonly cidrs: readonly string[] }[];
  /**
   * The account this stack deploys into. Required as soon as any environment sets `accountId`.
   * @default undefined (every environment is in this account)
   */
  readonly managementAccountId?: string;
  /** Common tags (`Environment`, `Owner`, `CostCenter`, `ManagedBy`); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

/** Checks the arguments and plans the hub, or throws naming every bad field. */
function plan(name: string, args: TransitHubArgs, resource: pulumi.Resource): HubPlan {
  try {
    return planTransitHub({ ...args, amazonSideAsn: args.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN });
  } catch (e) {
    if (e instanceof TransitPlanError) throw new pulumi.ResourceError(`TransitHub "${name}": ${e.issues.join("; ")}`, resource);
    throw e;
  }
}

export class TransitHub extends pulumi.ComponentResource {
  public readonly transitGatewayId: pulumi.Output<string>;
  public readonly transitGatewayArn: pulumi.Output<string>;
  /** TGW route table ids keyed `management`, each environment name, and `offices-<office>`. */
  public readonly routeTableIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: TransitHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:network:TransitHub", name, {}, opts);
    const hub = plan(name, args, this);
    const parent = { parent: this };
    const tags = (resourceName: string, extra: Tags = {}): Record<string, string> => resourceTags(args.tags, SERVICE_TAG, resourceName, extra);

    const tgw = new aws.ec2transitgateway.TransitGateway(
      `${name}-tgw`,
      {
        description: `${name}: management hub`,
        amazonSideAsn: args.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN,
        defaultRouteTableAssociation: "disable",
        defaultRouteTablePropagation: "disable",
        // Other accounts can only attach once RAM shares the gateway with them, and only
        // the accounts listed in the share; accepting by hand would block their deploys.
        autoAcceptSharedAttachments: hub.autoAcceptSharedAttachments,
        dnsSupport: "enable",
        vpnEcmpSupport: "enable",
        tags: tags(`${name}-tgw`),
      },
      parent,
    );

    const tables: Record<string, aws.ec2transitgateway.RouteTable> = {};
    for (const t of hub.routeTables) {
      tables[t.key] = new aws.ec2transitgateway.RouteTable(
        `${name}-rt-${t.key}`,
        { transitGatewayId: tgw.id, tags: tags(`${name}-${t.key}`, { Segment: t.segment }) },
        parent,
      );
    }
    for (const b of hub.blackholes) {
      new aws.ec2transitgateway.Route(
        `${name}-blackhole-${b.table}-${b.target}`,
        { transitGatewayRouteTableId: tables[b.table].id, destinationCidrBlock: b.cidr, blackhole: true },
        parent,
      );
    }

    if (hub.foreignAccounts.length > 0) {
      // allowExternalPrincipals false: only accounts in our AWS Organization can receive it.
      const share = new aws.ram.ResourceShare(`${name}-share`, { name: `${name}-tgw`, allowExternalPrincipals: false, tags: tags(`${name}-share`) }, parent);
      new aws.ram.ResourceAssociation(`${name}-share-tgw`, { resourceArn: tgw.arn, resourceShareArn: share.arn }, parent);
      for (const account of hub.foreignAccounts) {
        new aws.ram.PrincipalAssociation(`${name}-share-${account}`, { principal: account, resourceShareArn: share.arn }, parent);
      }
    }

    this.transitGatewayId = tgw.id;
    this.transitGatewayArn = tgw.arn;
    this.routeTableIds = Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, t.id]));
    this.registerOutputs({ transitGatewayId: this.transitGatewayId, transitGatewayArn: this.transitGatewayArn, routeTableIds: this.routeTableIds });
  }
}
