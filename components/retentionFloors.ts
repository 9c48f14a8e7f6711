/**
 * The retention floors and the WAF rate ceiling every environment must keep, in one place: config
 * validation refuses a config below them (naming the key) and the policy pack's defaults are the
 * same numbers, so a weakened resource is caught even when it did not come from config. Pure data
 * and arithmetic; components never read config, so this lives below both.
 */

/** Days to keep, by environment name; an environment without an entry has no floor. */
export type FloorsByEnvironment = Readonly<Record<string, number>>;

/**
 * Audit logs (VPC flow logs, ALB access logs, WAF logs), whether they land in S3 or in CloudWatch
 * Logs: a year in prod, which covers the look-back of a yearly audit and of an intrusion found
 * months late; a quarter in preprod, which rehearses prod with synthetic data.
 */
export const AUDIT_LOG_MIN_DAYS: FloorsByEnvironment = Object.freeze({ prod: 365, preprod: 90 });

/**
 * Application logs of the services in prod: the floor the policy pack's log-group-retention-set
 * already applied to every prod log group (90 days), now also refused in config.
 */
export const SERVICE_LOG_MIN_DAYS: FloorsByEnvironment = Object.freeze({ prod: 90 });

/**
 * Central logging's index sets (docs/observability-logging.md#availability), by the stack whose logs
 * they hold. Hot (searchable in Graylog): prod's service logs stay searchable as long as a prod log
 * group had to keep them before they moved to Graylog (SERVICE_LOG_MIN_DAYS.prod). Archive (index
 * snapshots in S3): prod's and preprod's indices hold their flow and ALB access logs, so the archive
 * keeps them as long as the audit floors ask (AUDIT_LOG_MIN_DAYS); counted from the last snapshot,
 * so a log is kept at least hot + archive days. dev, stage and management have no floor, as today.
 */
export const GRAYLOG_HOT_MIN_DAYS: FloorsByEnvironment = Object.freeze({ prod: SERVICE_LOG_MIN_DAYS.prod! });
export const GRAYLOG_ARCHIVE_MIN_DAYS: FloorsByEnvironment = Object.freeze({ prod: AUDIT_LOG_MIN_DAYS.prod!, preprod: AUDIT_LOG_MIN_DAYS.preprod! });

/** Daily EBS snapshots of the data clusters: two weeks in prod and preprod, as RDS keeps backups in prod. */
export const SNAPSHOT_MIN_DAYS: FloorsByEnvironment = Object.freeze({ prod: 14, preprod: 14 });

/**
 * The highest per-IP WAF rate limit that is still a limit, as requests per five minutes.
 * 10,000 per five minutes is 33 requests a second from one address, sustained: about 2.9 million
 * requests a day, enough to scrape the catalogue or run credential stuffing at full speed. A rule
 * that lets one address do more than that blocks nothing an attacker with one host would send.
 * The real limits sit well below it (prod 2,000: five times headroom for carrier-grade NAT, where
 * many shoppers share one address).
 */
export const MAX_RATE_LIMIT_PER_FIVE_MINUTES = 10_000;
export const FIVE_MINUTES = 300;

/** A rate limit per `windowSeconds` expressed per five minutes, so limits over any window compare. */
export function perFiveMinutes(limit: number, windowSeconds: number): number {
  return (limit * FIVE_MINUTES) / windowSeconds;
}

/** The floor for `environment`, or undefined when it has none. */
export function floorFor(floors: FloorsByEnvironment, environment: string | undefined): number | undefined {
  return environment === undefined ? undefined : floors[environment];
}
