/**
 * Public and private DNS zones of one stack (docs/network.md).
 *
 * Public names: management owns the apex zone (`tila.sa`), which prod uses directly; each
 * non-prod environment owns a delegated subdomain (`dev.tila.sa`) so it can manage its own
 * records without write access to the apex. Private names: `<env>.internal.<domain>`, answered
 * only inside the environment's VPC and the management VPC (operators resolve environment names
 * from there).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";

/** Value of the `Service` tag on everything this component creates. */
const SERVICE_TAG = "network";

/** Two days: the TTL the parent's NS records conventionally carry (and Route 53 uses for its own). */
const DELEGATION_TTL = 172800;

export type PublicZoneMode =
  /** Create the public zone for `domain` itself (management). */
  | { readonly mode: "apex" }
  /** Create `<environment>.<domain>` and write its NS records into the parent zone. */
  | { readonly mode: "delegated"; readonly parentZoneId: pulumi.Input<string>; readonly parentProvider?: pulumi.ProviderResource }
  /** No public zone (prod publishes in the apex zone owned by management). */
  | { readonly mode: "none" };

export interface DnsZonesArgs {
  /** Environment name; the label of the delegated and private zones. Lowercase DNS label. */
  readonly environment: string;
  /** Registered domain, lowercase, no trailing dot, e.g. `tila.sa`. */
  readonly domain: string;
  /**
   * Create the public zone for `domain` (management), or a delegated public subdomain
   * `<environment>.<domain>` whose NS records are written into the parent zone (non-prod
   * environments; `parentProvider` when the parent zone is in another account), or none (prod
   * uses the apex zone owned by management). Each public zone costs $0.50/month.
   */
  readonly publicZone: PublicZoneMode;
  /**
   * Private zone `<environment>.internal.<domain>` for internal service names, associated with
   * these VPCs: the environment's own VPC first (it never changes), then management's so
   * operators resolve environment names. `vpcIds` are in this stack's account; a VPC in another
   * account (management's, when the environment has its own) goes in `crossAccountVpcs`.
   * @default undefined (no private zone)
   */
  readonly privateZone?: {
    readonly vpcIds: readonly pulumi.Input<string>[];
    /**
     * VPCs owned by another account. Route 53 lets that account associate its VPC only after this
     * (the zone's) account has authorised it, so each gets a VpcAssociationAuthorization here and a
     * ZoneAssociation made through `provider`, a provider for the VPC's account. `label` names the
     * two resources, so it must never change for a VPC. All in this stack's region.
     * @default []
     */
    readonly crossAccountVpcs?: readonly { readonly label: string; readonly vpcId: pulumi.Input<string>; readonly provider: pulumi.ProviderResource }[];
  };
  /** Common tags (`Environment`, `Owner`, `CostCenter`, `ManagedBy`); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Longest name Route 53 accepts, without the trailing dot. */
const MAX_NAME = 253;

/** Why `domain` is not a usable zone name, or undefined. */
export function domainProblem(domain: string, field = "domain"): string | undefined {
  const labels = domain.split(".");
  const valid = labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]) && domain.length <= MAX_NAME;
  return valid ? undefined : `${field}: "${domain}" is not a lowercase domain name such as "tila.sa" (no trailing dot)`;
}

/** Every problem with the args, each naming its field. */
export function dnsZonesIssues(args: DnsZonesArgs): string[] {
  const issues: string[] = [];
  if (!LABEL.test(args.environment)) issues.push(`environment: "${args.environment}" is not a lowercase DNS label`);
  const domain = domainProblem(args.domain);
  if (domain !== undefined) issues.push(domain);
  else if (LABEL.test(args.environment)) {
    const longest = `${args.environment}.internal.${args.domain}`;
    if (longest.length > MAX_NAME) issues.push(`domain: "${longest}" is longer than ${MAX_NAME} characters`);
  }
  const modes = ["apex", "delegated", "none"];
  if (!modes.includes(args.publicZone.mode)) {
    issues.push(`publicZone.mode: "${String(args.publicZone.mode)}" must be one of ${modes.join(", ")}`);
  }
  if (args.privateZone !== undefined && args.privateZone.vpcIds.length === 0) {
    issues.push("privateZone.vpcIds: must list the environment's VPC (omit privateZone for no private zone)");
  }
  const labels = (args.privateZone?.crossAccountVpcs ?? []).map((v) => v.label);
  labels.forEach((l, i) => {
    if (!LABEL.test(l)) issues.push(`privateZone.crossAccountVpcs[${i}].label: "${l}" is not a lowercase DNS label`);
    else if (labels.indexOf(l) !== i) issues.push(`privateZone.crossAccountVpcs[${i}].label: "${l}" is used twice`);
  });
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

/** Name of the public zone for a mode, or undefined for none. */
export function publicZoneName(environment: string, domain: string, mode: PublicZoneMode["mode"]): string | undefined {
  if (mode === "apex") return domain;
  if (mode === "delegated") return `${environment}.${domain}`;
  return undefined;
}

/** Name of the private zone of an environment. */
export function privateZoneName(environment: string, domain: string): string {
  return `${environment}.internal.${domain}`;
}

export class DnsZones extends pulumi.ComponentResource {
  readonly publicZoneId?: pulumi.Output<string>;
  /** Known at construction, so callers can build hostnames without an apply. */
  readonly publicZoneName?: string;
  /** For apex mode: what the registrar must list as the domain's name servers. */
  readonly publicNameServers?: pulumi.Output<string[]>;
  readonly privateZoneId?: pulumi.Output<string>;
  readonly privateZoneName?: string;

  constructor(name: string, args: DnsZonesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:network:DnsZones", name, {}, opts);
    const issues = dnsZonesIssues(args);
    if (issues.length > 0) {
      throw new pulumi.ResourceError(`DnsZones "${name}": ${issues.join("; ")}`, this);
    }
    const { environment, domain, tags } = args;
    const pub = args.publicZone;

    const pubName = publicZoneName(environment, domain, pub.mode);
    if (pubName !== undefined) {
      const zone = new aws.route53.Zone(
        `${name}-public`,
        {
          name: pubName,
          comment: pub.mode === "apex" ? `Public zone of ${domain}` : `Public names of ${environment}, delegated from ${domain}`,
          // Never delete a public zone that still holds records: recreating it changes its name
          // servers, and the registrar or parent delegation would point at nothing.
          forceDestroy: false,
          tags: resourceTags(tags, SERVICE_TAG, pubName),
        },
        { parent: this },
      );
      if (pub.mode === "delegated") {
        new aws.route53.Record(
          `${name}-delegation`,
          { zoneId: pub.parentZoneId, name: pubName, type: "NS", ttl: DELEGATION_TTL, records: zone.nameServers },
          { parent: this, provider: pub.parentProvider },
        );
      }
      this.publicZoneId = zone.zoneId;
      this.publicZoneName = pubName;
      this.publicNameServers = pub.mode === "apex" ? zone.nameServers : undefined;
    }

    if (args.privateZone !== undefined) {
      const privName = privateZoneName(environment, domain);
      const [first, ...rest] = args.privateZone.vpcIds;
      const crossAccount = args.privateZone.crossAccountVpcs ?? [];
      // With more than one VPC, the others are separate ZoneAssociations, and the inline `vpcs`
      // block is exclusive: without ignoreChanges each `up` would detach what the associations
      // attached (the provider documents the perpetual diff). The first VPC stays inline because
      // a private zone cannot exist without one; it is the environment's own and never changes.
      const zone = new aws.route53.Zone(
        `${name}-private`,
        {
          name: privName,
          comment: `Internal names of ${environment}`,
          vpcs: [{ vpcId: first }],
          tags: resourceTags(tags, SERVICE_TAG, privName),
        },
        { parent: this, ignoreChanges: rest.length + crossAccount.length > 0 ? ["vpcs"] : [] },
      );
      // Named by position: VPC ids may be unknown until apply. Append new VPCs, never reorder.
      rest.forEach((vpcId, i) => {
        new aws.route53.ZoneAssociation(`${name}-private-assoc-${i + 1}`, { zoneId: zone.zoneId, vpcId }, { parent: this });
      });
      for (const v of crossAccount) {
        // The zone's account authorises; the VPC's account associates (Route 53 allows no other order).
        const auth = new aws.route53.VpcAssociationAuthorization(`${name}-private-auth-${v.label}`, { zoneId: zone.zoneId, vpcId: v.vpcId }, { parent: this });
        new aws.route53.ZoneAssociation(
          `${name}-private-assoc-${v.label}`,
          { zoneId: auth.zoneId, vpcId: auth.vpcId },
          { parent: this, provider: v.provider, dependsOn: [auth] },
        );
      }
      this.privateZoneId = zone.zoneId;
      this.privateZoneName = privName;
    }

    this.registerOutputs({
      publicZoneId: this.publicZoneId,
      publicZoneName: this.publicZoneName,
      publicNameServers: this.publicNameServers,
      privateZoneId: this.privateZoneId,
      privateZoneName: this.privateZoneName,
    });
  }
}
