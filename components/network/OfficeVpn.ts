/**
 * Site-to-site VPN from one office to the Transit Gateway (docs/network.md). Two customer
 * gateways (two office devices), each with one VPN connection of two tunnels, so the office keeps
 * connectivity through the loss of a device or of an AWS tunnel endpoint. Routing is BGP only:
 * static routes to a VPN attachment are not filtered, and ECMP across the four tunnels needs BGP.
 * Both devices must advertise the same prefixes with the same attributes, or traffic pins to one.
 *
 * Each connection's TGW attachment is associated with the office's own table and propagates its
 * routes into `propagationRouteTableIds` (management and the environments the office may reach),
 * which is how those segments learn the way back.
 *
 * Cost: each connection bills the VPN connection and a TGW attachment, about $73/month together
 * (us-east-1), so about $146/month per office, plus tunnel logs in CloudWatch.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Tags, resourceTags } from "../tags";
import { OfficeDevice, OfficeVpnPlan, ResolvedTunnelOptions, TunnelOptions, planOfficeVpn } from "./officeVpnPlan";
import { TransitPlanError } from "./transitPlan";

/** Value of the `Service` tag on everything this component creates. */
const SERVICE_TAG = "network";

const DEFAULT_LOG_RETENTION_DAYS = 90;

export interface OfficeVpnArgs {
  /** Office name, e.g. `riyadh`; becomes the `Office` tag and part of every logical name. */
  readonly office: string;
  /**
   * Prefixes the office advertises over BGP. Recorded in the `AdvertisedCidrs` tag for the
   * reachability analysis; BGP, not this list, decides what AWS learns.
   */
  readonly cidrs: readonly string[];
  /**
   * Exactly two devices, one customer gateway each, with distinct public addresses and private
   * ASNs (64512-65534 or 4200000000-4294967294). Tunnel inside CIDRs follow the sorted device
   * names, so list order does not matter; renaming a device replaces its connection.
   */
  readonly devices: readonly OfficeDevice[];
  readonly transitGatewayId: pulumi.Input<string>;
  /** The office's own TGW table (`offices-<office>` from TransitHub.routeTableIds). */
  readonly associationRouteTableId: pulumi.Input<string>;
  /** Label (a table key such as `management`, `dev`) -> TGW table the attachments propagate into. */
  readonly propagationRouteTableIds: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * IPsec settings for all four tunnels; only strong values are accepted.
   * @default DEFAULT_TUNNEL_OPTIONS: IKEv2; AES256 / AES256-GCM-16; SHA2-256 / SHA2-384; DH 19, 20, 21;
   * lifetimes 28800 s / 3600 s; DPD 30 s then restart; startup `add`
   */
  readonly tunnel?: TunnelOptions;
  /**
   * Retention of the office's tunnel and BGP log group.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /** Common tags (`Environment`, `Owner`, `CostCenter`, `ManagedBy`); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

/** What one tunnel is configured with; the names are VpnConnection's `tunnel<N>...` inputs without the prefix. */
type TunnelSettings = ResolvedTunnelOptions & {
  insideCidr: string;
  presharedKey: pulumi.Output<string>;
  logOptions: aws.types.input.ec2.VpnConnectionTunnel1LogOptions;
};

type Mutable<T> = T extends readonly (infer E)[] ? E[] : T;
type PrefixedTunnel<N extends 1 | 2> = { [K in keyof TunnelSettings as `tunnel${N}${Capitalize<K & string>}`]: Mutable<TunnelSettings[K]> };

/** Compile-time guard: every key must be a VpnConnection input, so a misspelt option fails to build. */
function vpnInputs<T extends { [K in keyof T]: K extends keyof aws.ec2.VpnConnectionArgs ? unknown : never }>(o: T): T {
  return o;
}

/** Settings for tunnel `n` under VpnConnection's `tunnel<n>` input names. */
function prefixTunnel<N extends 1 | 2>(n: N, settings: TunnelSettings): PrefixedTunnel<N> {
  const entries = Object.entries(settings).map(([k, v]) => [`tunnel${n}${k[0].toUpperCase()}${k.slice(1)}`, Array.isArray(v) ? [...v] : v]);
  return Object.fromEntries(entries) as PrefixedTunnel<N>;
}

/** One tunnel as the office's network team needs it to configure a device. The PSK is not here. */
export interface TunnelEndpoint {
  device: string;
  tunnel: 1 | 2;
  /** AWS's public endpoint for the tunnel. */
  outsideAddress: string;
  insideCidr: string;
}

function plan(name: string, args: OfficeVpnArgs, resource: pulumi.Resource): OfficeVpnPlan {
  try {
    return planOfficeVpn({ ...args, propagationLabels: Object.keys(args.propagationRouteTableIds), logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS });
  } catch (e) {
    if (e instanceof TransitPlanError) throw new pulumi.ResourceError(`OfficeVpn "${name}": ${e.issues.join("; ")}`, resource);
    throw e;
  }
}

export class OfficeVpn extends pulumi.ComponentResource {
  /** Keyed by device name, as are the other id maps. */
  public readonly vpnConnectionIds: Record<string, pulumi.Output<string>>;
  public readonly attachmentIds: Record<string, pulumi.Output<string>>;
  public readonly customerGatewayIds: Record<string, pulumi.Output<string>>;
  public readonly tunnelAddresses: pulumi.Output<TunnelEndpoint[]>;
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: OfficeVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:network:OfficeVpn", name, {}, opts);
    const vpn = plan(name, args, this);
    const parent = { parent: this };
    const t = vpn.tunnel;
    const tags = (resourceName: string, extra: Tags = {}): Record<string, string> =>
      resourceTags(args.tags, SERVICE_TAG, resourceName, { Office: args.office, ...extra });

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-tunnel-logs`,
      { retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, tags: tags(`${name}-tunnel-logs`) },
      parent,
    );
    const logOptions = {
      cloudwatchLogOptions: {
        logEnabled: true,
        logGroupArn: logGroup.arn,
        logOutputFormat: "json",
        bgpLogEnabled: true,
        bgpLogGroupArn: logGroup.arn,
        bgpLogOutputFormat: "json",
      },
    };

    const vpnConnectionIds: Record<string, pulumi.Output<string>> = {};
    const attachmentIds: Record<string, pulumi.Output<string>> = {};
    const customerGatewayIds: Record<string, pulumi.Output<string>> = {};
    const endpoints: pulumi.Output<TunnelEndpoint>[] = [];

    for (const d of vpn.devices) {
      const cgw = new aws.ec2.CustomerGateway(
        `${name}-cgw-${d.name}`,
        { type: "ipsec.1", ipAddress: d.ipAddress, [d.asnField]: String(d.bgpAsn), deviceName: d.name, tags: tags(`${name}-cgw-${d.name}`) },
        parent,
      );
      // AWS wants 8-64 of [A-Za-z0-9._] not starting with "0". special: false keeps to
      // alphanumerics; numeric: false rules out a leading zero by construction (a digit anywhere
      // would allow one) while 32 letters still carry about 180 bits.
      const psk = (tunnel: 1 | 2): pulumi.Output<string> =>
        pulumi.secret(
          new random.RandomPassword(`${name}-psk-${d.name}-t${tunnel}`, { length: 32, special: false, numeric: false, upper: true, lower: true }, parent)
            .result,
        );
      const settings = (n: 1 | 2): TunnelSettings => ({ ...t, insideCidr: d.insideCidrs[n - 1], presharedKey: psk(n), logOptions });
      const connectionArgs: aws.ec2.VpnConnectionArgs = {
        type: "ipsec.1",
        customerGatewayId: cgw.id,
        transitGatewayId: args.transitGatewayId,
        staticRoutesOnly: false,
        tunnelInsideIpVersion: "ipv4",
        ...vpnInputs(prefixTunnel(1, settings(1))),
        ...vpnInputs(prefixTunnel(2, settings(2))),
        tags: tags(`${name}-vpn-${d.name}`, { AdvertisedCidrs: vpn.advertisedCidrs }),
      };
      const connection = new aws.ec2.VpnConnection(`${name}-vpn-${d.name}`, connectionArgs, parent);

      const attachmentId = connection.transitGatewayAttachmentId;
      new aws.ec2transitgateway.RouteTableAssociation(
        `${name}-assoc-${d.name}`,
        { transitGatewayAttachmentId: attachmentId, transitGatewayRouteTableId: args.associationRouteTableId },
        parent,
      );
      for (const [label, tableId] of Object.entries(args.propagationRouteTableIds)) {
        new aws.ec2transitgateway.RouteTablePropagation(
          `${name}-prop-${d.name}-${label}`,
          { transitGatewayAttachmentId: attachmentId, transitGatewayRouteTableId: tableId },
          parent,
        );
      }

      vpnConnectionIds[d.name] = connection.id;
      attachmentIds[d.name] = attachmentId;
      customerGatewayIds[d.name] = cgw.id;
      endpoints.push(
        connection.tunnel1Address.apply((outsideAddress) => ({ device: d.name, tunnel: 1 as const, outsideAddress, insideCidr: d.insideCidrs[0] })),
        connection.tunnel2Address.apply((outsideAddress) => ({ device: d.name, tunnel: 2 as const, outsideAddress, insideCidr: d.insideCidrs[1] })),
      );
    }

    this.vpnConnectionIds = vpnConnectionIds;
    this.attachmentIds = attachmentIds;
    this.customerGatewayIds = customerGatewayIds;
    this.tunnelAddresses = pulumi.all(endpoints);
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      vpnConnectionIds,
      attachmentIds,
      customerGatewayIds,
      tunnelAddresses: this.tunnelAddresses,
      logGroupName: this.logGroupName,
    });
  }
}
