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

/**
 * One stack's index set as the provisioning step receives it (key `indexSets` of its input): the
 * policy pack reads the same objects to hold retention to the floors.
 */
export interface IndexSetSpec {
  readonly stack: string;
  /** indexPrefix(stack) */
  readonly prefix: string;
  /** One index per day, the oldest deleted past this many. */
  readonly hotDays: number;
  /** Days the archive keeps the daily snapshots (0: no archive). */
  readonly archiveDays: number;
}

/** What management's Graylog cluster hands its provisioning step (stacks/graylog.ts -> stacks/graylogProvisioning.ts). */
export interface GraylogEndpoints<T> {
  /** `https://graylog.management.internal.<domain>`: the REST API is under `/api/`. */
  readonly url: T;
  /** Secret of the admin user (JSON `username`, `password`). */
  readonly adminSecretArn: T;
  /** The KMS key that encrypts the cluster's secrets: readers decrypt through Secrets Manager only. */
  readonly secretsKeyArn: T;
  /** The load balancer's group: a provisioning function gets egress to it on GRAYLOG_HTTPS_PORT. */
  readonly loadBalancerSecurityGroupId: T;
  readonly vpcId: T;
  /** Management's app subnets, one per AZ. */
  readonly subnetIds: readonly T[];
  /** The search back end's archive: snapshots of the indices to S3 (undefined when no stack archives). */
  readonly archive?: {
    readonly bucketName: T;
    /** The role OpenSearch Service assumes to write snapshots (passed when registering the repository). */
    readonly snapshotRoleArn: T;
    readonly domainEndpoint: T;
    readonly domainArn: T;
    /**
     * The domain's fine-grained access master user (JSON `username`, `password`): the provisioning
     * step maps its own role to `manage_snapshots` with it, which registering the repository needs.
     */
    readonly masterSecretArn?: T;
    /**
     * The domain's security group (it admits the Graylog nodes on 443): a provisioning function
     * that calls the domain admits its own group here on 443, as it does on the load balancer's.
     */
    readonly domainSecurityGroupId?: T;
  };
}
