/**
 * Config validation of the retention floors and the WAF rate ceiling (components/retentionFloors.ts):
 * audit logs (flow logs, ALB access logs, WAF logs) kept at least a year in prod and a quarter in
 * preprod, service logs 90 days in prod, data-cluster snapshots two weeks in prod and preprod, and a
 * per-IP rate limit low enough to stop one address. Each issue names its key. Pure.
 */
import {
  AUDIT_LOG_MIN_DAYS,
  FloorsByEnvironment,
  MAX_RATE_LIMIT_PER_FIVE_MINUTES,
  SERVICE_LOG_MIN_DAYS,
  SNAPSHOT_MIN_DAYS,
  floorFor,
  perFiveMinutes,
} from "../components/retentionFloors";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import type { DataSettings, EdgeSettings, NetworkSettings, ServicesSettings } from "./schema";

/** The sections the floors read, each undefined when it did not parse (its own errors say why). */
export interface RetentionInput {
  network?: NetworkSettings;
  data?: DataSettings;
  services?: ServicesSettings;
  edge?: EdgeSettings;
}

function below(stack: string, floors: FloorsByEnvironment, path: PropertyKey[], days: number | undefined, what: string): ConfigIssue[] {
  const floor = floorFor(floors, stack);
  if (floor === undefined || days === undefined || days >= floor) return [];
  return [{ path: keyPath(path), message: `${stack} keeps ${what} at least ${floor} days (got ${days})` }];
}

/** Every floor or ceiling `stack`'s config breaks; empty when it keeps them all. */
export function retentionIssues(stack: string, s: RetentionInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [
    ...below(stack, AUDIT_LOG_MIN_DAYS, ["network", "flowLogs", "retentionDays"], s.network?.flowLogs.retentionDays, `VPC flow logs (${s.network?.flowLogs.destination ?? "any destination"})`),
    ...below(stack, AUDIT_LOG_MIN_DAYS, ["edge", "accessLogRetentionDays"], s.edge?.accessLogRetentionDays, "ALB access logs"),
    ...below(stack, AUDIT_LOG_MIN_DAYS, ["edge", "waf", "logRetentionDays"], s.edge?.waf.logRetentionDays, "WAF logs"),
    ...below(stack, SERVICE_LOG_MIN_DAYS, ["services", "logRetentionDays"], s.services?.logRetentionDays, "service logs"),
    ...below(stack, SNAPSHOT_MIN_DAYS, ["data", "snapshotRetentionDays"], s.data?.snapshotRetentionDays, "daily snapshots of the data clusters"),
  ];
  const waf = s.edge?.waf;
  if (waf && perFiveMinutes(waf.rateLimit, waf.rateWindowSeconds) > MAX_RATE_LIMIT_PER_FIVE_MINUTES) {
    const allowed = Math.floor((MAX_RATE_LIMIT_PER_FIVE_MINUTES * waf.rateWindowSeconds) / 300);
    issues.push({
      path: keyPath(["edge", "waf", "rateLimit"]),
      message: `${waf.rateLimit} requests per ${waf.rateWindowSeconds} s from one IP is too high to stop a single source; at most ${allowed} (${MAX_RATE_LIMIT_PER_FIVE_MINUTES} per five minutes)`,
    });
  }
  return issues;
}
