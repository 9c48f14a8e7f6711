/**
 * Hand-built captured graphs for the reachability tests: VPCs, subnet tiers and their routes, the
 * hub's TGW tables, offices, and security groups with CIDR ingress, shaped like the offline
 * engine's output and keyed by stack.
 */
import type { CapturedResource } from "../../offline/types";
import { capturedResource } from "./captured";

export const TGW = "tgw-hub";
export type Target = "tgw" | `nat-${string}` | `igw-${string}`;

/** Builds captured graphs shaped like the offline engine's output, keyed by stack. */
export class GraphBuilder {
  private readonly resources: { stack: string; r: CapturedResource }[] = [];

  add(stack: string, type: string, name: string, inputs: Record<string, unknown>, id?: string, outputs: Record<string, unknown> = {}): this {
    this.resources.push({
      stack,
      r: capturedResource({ urn: `urn:pulumi:${stack}::tila-platform::${type}::${name}`, type, name, id, inputs, outputs }),
    });
    return this;
  }

  vpc(stack: string, cidr: string): this {
    return this.add(stack, "aws:ec2/vpc:Vpc", `${stack}-vpc`, { cidrBlock: cidr }, `vpc-${stack}`)
      .add(stack, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", `${stack}-tgw-attachment`,
        { transitGatewayId: TGW, vpcId: `vpc-${stack}`, subnetIds: [`subnet-${stack}-transit`] }, `tgw-attach-${stack}`);
  }

  /** One subnet of `tier` with its own route table; routes as `[destination, target]`. */
  tier(stack: string, tier: string, routes: [string, Target][]): this {
    const rtb = `rtb-${stack}-${tier}`;
    this.add(stack, "aws:ec2/subnet:Subnet", `${stack}-${tier}`, { vpcId: `vpc-${stack}`, tags: { Tier: tier } }, `subnet-${stack}-${tier}`)
      .add(stack, "aws:ec2/routeTable:RouteTable", `${stack}-${tier}-rt`, { vpcId: `vpc-${stack}` }, rtb)
      .add(stack, "aws:ec2/routeTableAssociation:RouteTableAssociation", `${stack}-${tier}-rta`, { subnetId: `subnet-${stack}-${tier}`, routeTableId: rtb });
    routes.forEach(([dest, target]) => this.vpcRoute(stack, tier, dest, target));
    return this;
  }

  vpcRoute(stack: string, tier: string, dest: string, target: Target): this {
    const key = target === "tgw" ? "transitGatewayId" : target.startsWith("nat-") ? "natGatewayId" : "gatewayId";
    return this.add(stack, "aws:ec2/route:Route", `${stack}-${tier}-route-${dest}`,
      { routeTableId: `rtb-${stack}-${tier}`, destinationCidrBlock: dest, [key]: target === "tgw" ? TGW : target });
  }

  /** A TGW route table in management, associated with and propagating the given attachments. */
  tgwTable(name: string, associated: string[], propagated: string[]): this {
    this.add("management", "aws:ec2transitgateway/routeTable:RouteTable", `tgw-rt-${name}`, { transitGatewayId: TGW, tags: { Name: name } }, `tgw-rtb-${name}`);
    associated.forEach((a) => this.add("management", "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
      `assoc-${name}-${a}`, { transitGatewayAttachmentId: a, transitGatewayRouteTableId: `tgw-rtb-${name}` }));
    propagated.forEach((a) => this.propagate(name, a));
    return this;
  }

  propagate(table: string, attachment: string): this {
    return this.add("management", "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation", `prop-${table}-${attachment}`,
      { transitGatewayAttachmentId: attachment, transitGatewayRouteTableId: `tgw-rtb-${table}` });
  }

  tgwRoute(table: string, dest: string, attachment: string | "blackhole"): this {
    const target = attachment === "blackhole" ? { blackhole: true } : { transitGatewayAttachmentId: attachment };
    return this.add("management", "aws:ec2transitgateway/route:Route", `tgw-route-${table}-${dest}`,
      { transitGatewayRouteTableId: `tgw-rtb-${table}`, destinationCidrBlock: dest, ...target });
  }

  /** Two VPN connections (two customer gateways), attachments `tgw-attach-vpn-<office>-a|b`. */
  office(name: string, cidrs: string[]): this {
    for (const side of ["a", "b"]) {
      this.add("management", "aws:ec2/vpnConnection:VpnConnection", `${name}-vpn-${side}`,
        { transitGatewayId: TGW, customerGatewayId: `cgw-${name}-${side}`, type: "ipsec.1", tags: { Office: name, AdvertisedCidrs: cidrs.join(" ") } },
        `vpn-${name}-${side}`, { transitGatewayAttachmentId: `tgw-attach-vpn-${name}-${side}` });
    }
    return this;
  }

  /** A security group `sg-<name>` in `stack`'s VPC, with inline `ingress` blocks as aws.ec2.SecurityGroup takes them. */
  group(stack: string, name: string, ingress: Record<string, unknown>[] = [], vpcId = `vpc-${stack}`): this {
    return this.add(stack, "aws:ec2/securityGroup:SecurityGroup", name, { vpcId, ingress, tags: { Name: name } }, `sg-${name}`);
  }

  /** An aws.vpc.SecurityGroupIngressRule on group `sg-<group>` from one IPv4 CIDR (ports omitted for protocol -1). */
  ingress(stack: string, group: string, ipProtocol: string, cidrIpv4: string, fromPort?: number, toPort = fromPort): this {
    const ports = fromPort === undefined ? {} : { fromPort, toPort };
    return this.add(stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${group}-${ipProtocol}-${fromPort ?? "all"}-${cidrIpv4}`,
      { securityGroupId: `sg-${group}`, ipProtocol, cidrIpv4, ...ports });
  }

  remove(name: string): this {
    const i = this.resources.findIndex((x) => x.r.name === name);
    if (i === -1) throw new Error(`no resource named ${name} to remove`);
    this.resources.splice(i, 1);
    return this;
  }

  build(stacks?: string[]): Record<string, CapturedResource[]> {
    const graphs: Record<string, CapturedResource[]> = {};
    for (const { stack, r } of this.resources) {
      if (!stacks || stacks.includes(stack)) (graphs[stack] ??= []).push(r);
    }
    return graphs;
  }
}

export const RIYADH = ["tgw-attach-vpn-riyadh-a", "tgw-attach-vpn-riyadh-b"];

/**
 * The hub as DESIGN.md section 3 draws it: environments reach management; dev and prod blackhole
 * each other; stage is isolated only by the absence of propagations; riyadh is propagated to every
 * table but stage's, and prod's VPC does not route the office range to the TGW.
 */
export function hub(): GraphBuilder {
  const toHub: [string, Target][] = [["10.0.0.0/8", "tgw"], ["172.16.0.0/12", "tgw"]];
  return new GraphBuilder()
    .add("management", "aws:ec2transitgateway/transitGateway:TransitGateway", "hub-tgw", { defaultRouteTableAssociation: "disable" }, TGW)
    .vpc("management", "10.0.0.0/16").tier("management", "app", [...toHub, ["0.0.0.0/0", "nat-management"]])
    .vpc("dev", "10.10.0.0/16").tier("dev", "public", [["0.0.0.0/0", "igw-dev"]]).tier("dev", "app", [...toHub, ["0.0.0.0/0", "nat-dev"]])
    .vpc("stage", "10.20.0.0/16").tier("stage", "app", toHub)
    .vpc("prod", "10.40.0.0/16").tier("prod", "app", [["10.0.0.0/8", "tgw"], ["0.0.0.0/0", "nat-prod"]])
    .office("riyadh", ["172.16.0.0/16"])
    .tgwTable("management", ["tgw-attach-management"], ["tgw-attach-dev", "tgw-attach-stage", "tgw-attach-prod", ...RIYADH])
    .tgwTable("dev", ["tgw-attach-dev"], ["tgw-attach-management", ...RIYADH])
    .tgwRoute("dev", "10.40.0.0/16", "blackhole")
    .tgwTable("stage", ["tgw-attach-stage"], ["tgw-attach-management"])
    .tgwTable("prod", ["tgw-attach-prod"], ["tgw-attach-management", ...RIYADH])
    .tgwRoute("prod", "10.10.0.0/16", "blackhole")
    .tgwTable("offices", RIYADH, ["tgw-attach-management", "tgw-attach-dev", "tgw-attach-stage", "tgw-attach-prod"]);
}
