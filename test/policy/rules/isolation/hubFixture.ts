/**
 * Stack graphs shaped like the captured ones (`npm run plan`): the management stack's TransitHub
 * with its tables, blackholes and propagations, and an environment stack's attachment wired
 * through the management StackReference. Outputs, as stack rules see them.
 */
import type { StackResourceSpec } from "../../../../policy/testing";

export const TABLE = "aws:ec2transitgateway/routeTable:RouteTable";
export const ROUTE = "aws:ec2transitgateway/route:Route";
export const PROPAGATION = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation";
export const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";

export const CIDRS: Record<string, string> = { dev: "10.10.0.0/16", stage: "10.20.0.0/16", prod: "10.40.0.0/16" };
const ENVS = Object.keys(CIDRS);
const KEYS = ["management", ...ENVS, "offices-riyadh"];

export const tableId = (key: string): string => `tgw-rtb-${key}`;

const tags = (name: string, extra: Record<string, string> = {}) => ({ Environment: "management", Service: "network", Name: name, ...extra });

function segment(key: string): string {
  if (key === "management") return "management";
  return key.startsWith("offices-") ? "office" : "environment";
}

export interface HubOptions {
  /** Blackholes to leave out, as `<table>-<target>`. */
  omit?: string[];
  /** Blackhole logical names without the target suffix (exercises the CIDR inference). */
  anonymousBlackholes?: boolean;
}

/** The management stack as TransitHub and EnvironmentNetwork build it; compliant by default. */
export function managementStack(o: HubOptions = {}): StackResourceSpec[] {
  const hub: StackResourceSpec = { type: "tila:network:TransitHub", name: "hub", props: { routeTableIds: Object.fromEntries(KEYS.map((k) => [k, tableId(k)])) } };
  const tables = KEYS.map((k) => ({
    type: TABLE,
    name: `hub-rt-${k}`,
    parent: "hub",
    props: { arn: `arn:aws:ec2:me-south-1:111111111111:transit-gateway-route-table/${tableId(k)}`, transitGatewayId: "tgw-1", tags: tags(`hub-${k}`, { Segment: segment(k) }) },
  }));
  const blackholes = ENVS.flatMap((from, i) =>
    ENVS.filter((to) => to !== from && !(o.omit ?? []).includes(`${from}-${to}`)).map((to, j) => ({
      type: ROUTE,
      name: o.anonymousBlackholes ? `hub-bh-${i}-${j}` : `hub-blackhole-${from}-${to}`,
      parent: "hub",
      props: { transitGatewayRouteTableId: tableId(from), destinationCidrBlock: CIDRS[to], blackhole: true },
    })),
  );
  const attachment: StackResourceSpec = {
    type: ATTACHMENT,
    name: "management-tgw-attachment",
    props: { arn: "arn:aws:ec2:me-south-1:111111111111:vpc-attachment/tgw-attach-mgmt", tags: tags("management-tgw-attachment") },
  };
  const propagations = KEYS.filter((k) => k !== "management").map((k) => ({
    type: PROPAGATION,
    name: `management-tgw-propagation-${k}`,
    props: { transitGatewayAttachmentId: "tgw-attach-mgmt", transitGatewayRouteTableId: tableId(k) },
  }));
  return [hub, ...tables, ...blackholes, attachment, ...propagations];
}

/** An environment stack: its VPC, its attachment and propagations into the given tables. */
export function environmentStack(env: string, propagateTo: string[]): StackResourceSpec[] {
  return [
    {
      type: "pulumi:pulumi:StackReference",
      name: "tila/tila-platform/management",
      props: { name: "tila/tila-platform/management", outputs: { transitRouteTableIds: Object.fromEntries(KEYS.map((k) => [k, tableId(k)])) } },
    },
    { type: "aws:ec2/vpc:Vpc", name: `${env}-vpc`, props: { arn: `arn:aws:ec2:me-south-1:222222222222:vpc/vpc-${env}`, cidrBlock: CIDRS[env], tags: { Environment: env } } },
    { type: ATTACHMENT, name: `${env}-tgw-attachment`, props: { arn: `arn:aws:ec2:me-south-1:222222222222:vpc-attachment/tgw-attach-${env}`, tags: { Environment: env } } },
    ...propagateTo.map((k) => ({
      type: PROPAGATION,
      name: `${env}-tgw-propagation-${k}`,
      props: { transitGatewayAttachmentId: `tgw-attach-${env}`, transitGatewayRouteTableId: tableId(k) },
    })),
  ];
}

export function route(name: string, table: string, destination: unknown, props: Record<string, unknown> = {}): StackResourceSpec {
  return { type: ROUTE, name, props: { transitGatewayRouteTableId: tableId(table), destinationCidrBlock: destination, ...props } };
}
