/**
 * The diagram model: what the pictures show, read from the captured graphs and nothing else.
 * networkModel.ts and environmentModel.ts build it; mermaid.ts and dot.ts draw it. Every list is
 * sorted so that two plans of the same graph draw the same pictures.
 */

/** One subnet tier of a VPC: its CIDR in each AZ (AZ letter, e.g. `a`). */
export interface TierModel {
  tier: string;
  cells: { az: string; cidr: string }[];
}

export interface VpcModel {
  /** The stack the VPC belongs to (`management`, `dev`, ...). */
  stack: string;
  /** The VPC's logical name (`prod-vpc`). */
  name: string;
  cidr: string;
  /** AZ letters in order. */
  azs: string[];
  /** Tiers in the order public, app, data, transit, then any other by name. */
  tiers: TierModel[];
  natGateways: number;
  /** Interface endpoints by short service name (`ecr.api`), and gateway endpoints (`s3`). */
  interfaceEndpoints: string[];
  gatewayEndpoints: string[];
  /**
   * Interface endpoints of another stack this VPC resolves through private hosted zones associated
   * with it (the management hub's central endpoints): that stack and how many zones.
   */
  sharedEndpoints?: { from: string; zones: number };
}

/** A Transit Gateway route table and what it does. Networks are stack names or office names. */
export interface RouteTableModel {
  /** The route table's logical name (`hub-rt-dev`). */
  name: string;
  /** Short label: the name without the hub prefix (`dev`, `offices-riyadh`). */
  label: string;
  /** Networks whose attachments are associated with it (their traffic is routed by it). */
  associated: string[];
  /** Networks whose routes propagate into it: where its traffic can go. */
  propagated: string[];
  /** Static routes to an attachment: `<cidr> -> <network>`. */
  staticRoutes: { cidr: string; to: string }[];
  /** Networks (or bare CIDRs) its blackhole routes drop. */
  blackholes: string[];
}

export interface OfficeModel {
  name: string;
  cidrs: string[];
  /** Site-to-site VPN connections (two tunnels each). */
  vpnConnections: number;
  /** BGP ASNs of its customer gateways. */
  asns: string[];
}

export interface NetworkModel {
  tgw?: { name: string; asn?: number };
  vpcs: VpcModel[];
  routeTables: RouteTableModel[];
  offices: OfficeModel[];
}

export interface AlbModel {
  name: string;
  internal: boolean;
  waf: boolean;
  /** `HTTPS 443`, `HTTP 80 redirect`, in port order. */
  listeners: string[];
}

export interface ServiceModel {
  /** Service name without the environment (`checkout`). */
  name: string;
  /** Load balancers that route to it, with the listener rule's host and path conditions. */
  routes: { alb: string; hosts: string[]; paths: string[] }[];
  desiredCount?: number;
  containerPort?: number;
}

export interface DataResourceModel {
  /** Data resource name without the environment (`mongodb`, `mysql`). */
  name: string;
  /** What it is, shortly: `MongoDB ×3`, `RDS MySQL Multi-AZ`. */
  label: string;
  /** The ports most of its clients are admitted on (drawn once on the node; an edge names its ports only when they differ). */
  ports: string;
  /** Who its security group admits, with the ports: services and other data resources (ZooKeeper's clients). */
  clients: { from: string; kind: "service" | "data"; ports: string }[];
}

export interface EnvironmentModel {
  stack: string;
  albs: AlbModel[];
  services: ServiceModel[];
  data: DataResourceModel[];
}
