/**
 * The contract of central logging (docs/observability-logging.md), shared by everything that ships
 * to Graylog and everything that provisions it: the ports, the host name each stack uses, the
 * fields every message carries (streams and alerts route on them) and the index-set names. Pure.
 */

/** GELF over TCP: the one input every shipper uses, TLS terminated on the load balancer. */
export const GELF_TCP_PORT = 12201;
/** The Graylog server nodes' HTTP port (web interface and REST API), behind the load balancer's TLS listener. */
export const GRAYLOG_HTTP_PORT = 9000;
/** The load balancer's TLS listener for the web interface and REST API (management and the offices only). */
export const GRAYLOG_HTTPS_PORT = 443;
/** The ports an environment may open towards management for logging, and nothing else. */
export const GRAYLOG_INPUT_PORTS: readonly number[] = Object.freeze([GELF_TCP_PORT]);

/** First label of Graylog's name in every stack's private zone: `graylog.<stack>.internal.<domain>`. */
export const GRAYLOG_HOST_LABEL = "graylog";

/** Graylog's name in a private zone. */
export function graylogHostName(privateZoneName: string): string {
  return `${GRAYLOG_HOST_LABEL}.${privateZoneName}`;
}

/** What kind of log a message is: streams and the reachability of each shipper are per kind. */
export type LogKind = "service" | "data-node" | "flow-log" | "alb-access";
export const LOG_KINDS: readonly LogKind[] = Object.freeze(["service", "data-node", "flow-log", "alb-access"]);

/**
 * GELF additional fields every shipper sets (without the leading underscore GELF puts on the wire).
 * `service` is set on service logs only; `cluster` and `node` on data-node logs only.
 */
export const LOG_FIELDS = Object.freeze({
  environment: "environment",
  kind: "log_kind",
  service: "service",
  cluster: "cluster",
  node: "node",
});

/** Prefix of a stack's index set (`tila-prod_0`, `tila-prod_1`, ...): Graylog's index prefix rule is [a-z0-9][a-z0-9_+-]*. */
export function indexPrefix(stack: string): string {
  return `tila-${stack}`;
}

/** Where a stack ships: the name it resolves Graylog by and the GELF TLS port. */
export interface LogShippingTarget {
  /** `graylog.<stack>.internal.<domain>`: a name the load balancer's certificate covers. */
  readonly host: string;
  readonly port: number;
  /** Management's CIDR: the shippers' security groups open the port towards it only. */
  readonly managementCidr: string;
}
