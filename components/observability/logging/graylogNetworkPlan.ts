/**
 * The network contract of management's Graylog as pure functions (docs/observability-logging.md#the-graylog-cluster):
 * who the load balancer admits on which port, what the nodes admit from it, and the names its
 * certificate carries. GraylogLoadBalancer turns these into resources; tests read them directly.
 */
import { GELF_TCP_PORT, GRAYLOG_HTTPS_PORT, GRAYLOG_HTTP_PORT, graylogHostName } from "./graylogPlan";

/**
 * The load balancer's TLS policy: TLS 1.3 and 1.2 only, hybrid post-quantum key exchange offered.
 * AWS lists it for Network Load Balancer TLS listeners (the console's default there); the API's own
 * default, ELBSecurityPolicy-2016-08, still allows TLS 1.0.
 */
export const GRAYLOG_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/**
 * Graylog's load-balancer state (GET /api/system/lbstatus on the HTTP port): 200 ALIVE, 429
 * THROTTLED, 503 DEAD. Only ALIVE counts as healthy, so a node that is starting, shutting down or
 * throttled takes no new GELF connections.
 */
export const GRAYLOG_HEALTH_PATH = "/api/system/lbstatus";

/** The two listeners: TLS terminated on the load balancer, plain TCP to the nodes. */
export const GRAYLOG_LISTENERS: readonly { readonly key: "gelf" | "api"; readonly port: number; readonly targetPort: number }[] = Object.freeze([
  { key: "gelf", port: GELF_TCP_PORT, targetPort: GELF_TCP_PORT },
  { key: "api", port: GRAYLOG_HTTPS_PORT, targetPort: GRAYLOG_HTTP_PORT },
]);

/** The ports the nodes open to the load balancer (and to nothing else). */
export const GRAYLOG_NODE_PORTS: readonly number[] = Object.freeze([GELF_TCP_PORT, GRAYLOG_HTTP_PORT]);

export interface GraylogClients {
  /** The environments that ship here: each CIDR is admitted on GELF only. */
  readonly environments: readonly { readonly name: string; readonly cidr: string }[];
  /** Management's own CIDR: the web interface and REST API, and GELF (its own shippers, the provisioning step). */
  readonly managementCidr: string;
  /** The offices' CIDRs: the web interface and REST API only. */
  readonly offices: readonly { readonly name: string; readonly cidrs: readonly string[] }[];
}

export interface GraylogIngressRule {
  readonly cidr: string;
  readonly port: number;
  /** Who this is (`dev`, `management`, `office riyadh`). */
  readonly who: string;
  readonly description: string;
  /** Stable part of the rule's logical name. */
  readonly key: string;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Why a CIDR cannot be admitted, or undefined. */
export function cidrProblem(cidr: string): string | undefined {
  const m = CIDR.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return `"${cidr}" is not an IPv4 CIDR`;
  if (Number(m[5]) < 8) return `"${cidr}" is wider than a /8: Graylog never admits that`;
  return undefined;
}

/**
 * The load balancer's ingress, exactly: environments on GELF, management on GELF and HTTPS, the
 * offices on HTTPS. Throws naming the field of a malformed, too wide or repeated CIDR.
 */
export function graylogIngress(c: GraylogClients): GraylogIngressRule[] {
  const rules: GraylogIngressRule[] = [];
  const seen = new Map<string, string>();
  const add = (field: string, who: string, cidr: string, port: number, purpose: string): void => {
    const problem = cidrProblem(cidr);
    if (problem !== undefined) throw new Error(`${field}: ${problem}`);
    const id = `${cidr}:${port}`;
    const before = seen.get(id);
    if (before !== undefined) throw new Error(`${field}: ${cidr} is already admitted on ${port} for ${before}`);
    seen.set(id, who);
    rules.push({ cidr, port, who, description: `${purpose} from ${who}`, key: `${port}-${cidr.replace(/[./]/g, "-")}` });
  };
  for (const e of c.environments) add(`environments.${e.name}`, e.name, e.cidr, GELF_TCP_PORT, "GELF over TLS");
  add("managementCidr", "management", c.managementCidr, GELF_TCP_PORT, "GELF over TLS");
  add("managementCidr", "management", c.managementCidr, GRAYLOG_HTTPS_PORT, "Graylog web interface and REST API");
  for (const o of c.offices) {
    o.cidrs.forEach((cidr, i) => add(`offices.${o.name}.cidrs[${i}]`, `office ${o.name}`, cidr, GRAYLOG_HTTPS_PORT, "Graylog web interface and REST API"));
  }
  return rules;
}

/**
 * The certificate's names: management's own Graylog name first, then each environment's (every
 * stack resolves Graylog in its own private zone, and shippers verify the name they dialled). Each
 * must lie under the public zone that validates it. Throws naming the field otherwise.
 */
export function graylogCertificateNames(managementZoneName: string, environmentZoneNames: readonly { readonly name: string; readonly zoneName: string }[], validationZoneName: string): { domainName: string; subjectAlternativeNames: string[] } {
  const under = (host: string): boolean => host.endsWith(`.${validationZoneName}`);
  const domainName = graylogHostName(managementZoneName);
  if (!under(domainName)) throw new Error(`privateZone.name: ${domainName} is not under the validation zone ${validationZoneName}`);
  const subjectAlternativeNames: string[] = [];
  for (const e of environmentZoneNames) {
    const host = graylogHostName(e.zoneName);
    if (!under(host)) throw new Error(`environments.${e.name}: ${host} is not under ${validationZoneName}, whose zone validates the certificate (give the environment management's domain)`);
    if (host === domainName || subjectAlternativeNames.includes(host)) throw new Error(`environments.${e.name}: ${host} is on the certificate twice`);
    subjectAlternativeNames.push(host);
  }
  return { domainName, subjectAlternativeNames };
}
