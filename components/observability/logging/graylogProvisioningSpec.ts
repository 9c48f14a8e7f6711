/**
 * What management's Graylog must hold (docs/observability-logging.md#streams-index-sets-and-alerts):
 * the one GELF TCP input, an index set and a stream per stack, a stream per service of each
 * environment, and an error-rate event definition per service (plus a prod-wide spike). Pure: the
 * provisioning Lambda (functions/graylog-provisioner) receives exactly this object as the input of
 * its Invocation, so a change here re-runs it and the policy pack reads its `indexSets`.
 */
import { GELF_TCP_PORT, IndexSetSpec, LOG_FIELDS, indexPrefix } from "./graylogPlan";

/** Every object the provisioner creates carries this description prefix; it touches nothing else. */
export const GRAYLOG_MANAGED_MARKER = "tila-platform:";
/** Graylog 6.x's GELF TCP input (org.graylog2.inputs.gelf.tcp.GELFTCPInput). */
export const GELF_TCP_INPUT_TYPE = "org.graylog2.inputs.gelf.tcp.GELFTCPInput";
/** GELF carries syslog severities: 0 emergency ... 3 error. Level 3 or lower is an error or worse. */
export const ERROR_LEVEL_MAX = 3;
/** The window each alert counts over and how often it is evaluated (non-overlapping: one event per window at most). */
export const ALERT_WINDOW_MINUTES = 5;
/** A prod-wide spike is this many times one service's threshold, over all of prod's streams at once. */
export const SPIKE_FACTOR = 5;
/** Environments whose error-rate spike pages (critical); a spike elsewhere is not defined. */
export const SPIKE_ENVIRONMENTS: readonly string[] = Object.freeze(["prod"]);

/** Graylog's event priorities (6.x: 1 low, 2 medium, 3 high, 4 critical); the alert relay maps them to topics. */
export const ALERT_PRIORITY = Object.freeze({ warning: 2, critical: 4 });
export type AlertSeverity = keyof typeof ALERT_PRIORITY;

export interface GraylogInputSpec {
  readonly title: string;
  readonly type: string;
  readonly port: number;
}

/** A stream rule: the GELF additional field `field` equals `value` exactly (Graylog rule type 1). */
export interface StreamRuleSpec {
  readonly field: string;
  readonly value: string;
}

export interface StreamSpec {
  readonly title: string;
  readonly description: string;
  /** The stack whose index set the stream writes to. */
  readonly indexSetStack: string;
  /** Every rule must match (Graylog matching type AND). */
  readonly rules: readonly StreamRuleSpec[];
}

export interface AlertSpec {
  readonly title: string;
  readonly description: string;
  /** Title of the stream the count runs over. */
  readonly streamTitle: string;
  /** Graylog search query selecting error-level messages. */
  readonly query: string;
  /** Raises an event when more than this many messages match in one window. */
  readonly threshold: number;
  readonly windowMinutes: number;
  readonly severity: AlertSeverity;
  readonly priority: number;
}

/** What Graylog must hold: the Invocation's input (the archive is added by the stack when configured). */
export interface GraylogSpec {
  readonly marker: string;
  readonly inputs: readonly GraylogInputSpec[];
  readonly indexSets: readonly IndexSetSpec[];
  readonly streams: readonly StreamSpec[];
  readonly alerts: readonly AlertSpec[];
}

export interface GraylogSpecInput {
  /** One per stack of the address plan, with its retention resolved (config defaults applied). */
  readonly indexSets: readonly IndexSetSpec[];
  /** Every service each environment runs. */
  readonly services: readonly { readonly environment: string; readonly service: string }[];
  /** Error-level messages of one service in ALERT_WINDOW_MINUTES that raise a warning. */
  readonly errorsPerFiveMinutes: number;
}

const LABEL = /^[a-z][a-z0-9-]{0,62}$/;

export function environmentStreamTitle(stack: string): string {
  return `tila ${stack}`;
}

export function serviceStreamTitle(environment: string, service: string): string {
  return `tila ${environment} ${service}`;
}

/** Error-level messages: GELF `level` 0 to 3. */
export const ERROR_QUERY = `level:[0 TO ${ERROR_LEVEL_MAX}]`;

/** Everything wrong with the input, each naming what it is about; empty when the spec can be built. */
export function graylogSpecProblems(input: GraylogSpecInput): string[] {
  const problems: string[] = [];
  const stacks = new Set<string>();
  input.indexSets.forEach((s, i) => {
    if (!LABEL.test(s.stack)) problems.push(`indexSets[${i}].stack: "${s.stack}" must be a lower-case stack name`);
    if (stacks.has(s.stack)) problems.push(`indexSets[${i}].stack: "${s.stack}" has two index sets`);
    stacks.add(s.stack);
    if (s.prefix !== indexPrefix(s.stack)) problems.push(`indexSets[${i}].prefix: "${s.prefix}" must be "${indexPrefix(s.stack)}"`);
    if (!Number.isInteger(s.hotDays) || s.hotDays < 1) problems.push(`indexSets[${i}].hotDays: must be a whole number of days >= 1 (got ${s.hotDays})`);
    if (!Number.isInteger(s.archiveDays) || s.archiveDays < 0) problems.push(`indexSets[${i}].archiveDays: must be a whole number of days >= 0 (got ${s.archiveDays})`);
  });
  const seen = new Set<string>();
  input.services.forEach((s, i) => {
    if (!stacks.has(s.environment)) problems.push(`services[${i}]: environment "${s.environment}" has no index set`);
    if (!LABEL.test(s.service)) problems.push(`services[${i}].service: "${s.service}" must be a lower-case service name`);
    const key = `${s.environment}/${s.service}`;
    if (seen.has(key)) problems.push(`services[${i}]: ${key} is listed twice`);
    seen.add(key);
  });
  if (!Number.isInteger(input.errorsPerFiveMinutes) || input.errorsPerFiveMinutes < 1) {
    problems.push(`errorsPerFiveMinutes: must be a whole number >= 1 (got ${input.errorsPerFiveMinutes})`);
  }
  return problems;
}

/** The spec; throws naming every problem when the input is inconsistent. */
export function graylogSpec(input: GraylogSpecInput): GraylogSpec {
  const problems = graylogSpecProblems(input);
  if (problems.length > 0) throw new Error(`Graylog provisioning spec: ${problems.join("; ")}`);
  const m = GRAYLOG_MANAGED_MARKER;
  const indexSets = [...input.indexSets].sort((a, b) => a.stack.localeCompare(b.stack));
  const services = [...input.services].sort((a, b) => a.environment.localeCompare(b.environment) || a.service.localeCompare(b.service));

  const streams: StreamSpec[] = [
    ...indexSets.map((s): StreamSpec => ({
      title: environmentStreamTitle(s.stack),
      description: `${m} every message of ${s.stack} (${LOG_FIELDS.environment}=${s.stack}), kept ${s.hotDays} days`,
      indexSetStack: s.stack,
      rules: [{ field: LOG_FIELDS.environment, value: s.stack }],
    })),
    ...services.map((s): StreamSpec => ({
      title: serviceStreamTitle(s.environment, s.service),
      description: `${m} the ${s.service} service of ${s.environment} (${LOG_FIELDS.environment}=${s.environment} and ${LOG_FIELDS.service}=${s.service})`,
      indexSetStack: s.environment,
      rules: [{ field: LOG_FIELDS.environment, value: s.environment }, { field: LOG_FIELDS.service, value: s.service }],
    })),
  ];

  const n = input.errorsPerFiveMinutes;
  const alerts: AlertSpec[] = services.map((s) => ({
    title: `tila ${s.environment} ${s.service} errors`,
    description: `${m} more than ${n} error-level messages (level <= ${ERROR_LEVEL_MAX}) from ${s.service} in ${s.environment} in ${ALERT_WINDOW_MINUTES} minutes`,
    streamTitle: serviceStreamTitle(s.environment, s.service),
    query: ERROR_QUERY,
    threshold: n,
    windowMinutes: ALERT_WINDOW_MINUTES,
    severity: "warning",
    priority: ALERT_PRIORITY.warning,
  }));
  for (const env of SPIKE_ENVIRONMENTS.filter((e) => indexSets.some((s) => s.stack === e))) {
    alerts.push({
      title: `tila ${env} error spike`,
      description: `${m} more than ${n * SPIKE_FACTOR} error-level messages across all of ${env} in ${ALERT_WINDOW_MINUTES} minutes (${SPIKE_FACTOR} services' worth at once)`,
      streamTitle: environmentStreamTitle(env),
      query: ERROR_QUERY,
      threshold: n * SPIKE_FACTOR,
      windowMinutes: ALERT_WINDOW_MINUTES,
      severity: "critical",
      priority: ALERT_PRIORITY.critical,
    });
  }

  return {
    marker: m,
    inputs: [{ title: "tila GELF TCP", type: GELF_TCP_INPUT_TYPE, port: GELF_TCP_PORT }],
    indexSets,
    streams,
    alerts,
  };
}

/** The archive part of the input: where the domain snapshots each archived stack's indices. */
export interface ArchiveSpec<T> {
  readonly domainEndpoint: T;
  readonly region: string;
  readonly bucketName: T;
  readonly snapshotRoleArn: T;
  readonly repository: string;
  readonly policies: readonly { readonly name: string; readonly indices: string; readonly archiveDays: number }[];
  /** The domain's master user (fine-grained access control), which maps the provisioner's role to manage_snapshots. */
  readonly masterSecretArn?: T;
}

/** Name of the snapshot repository the provisioner registers on the search domain. */
export const ARCHIVE_REPOSITORY = "tila-graylog-archive";

/** A daily snapshot policy per stack that archives (archiveDays > 0), over its own indices only. */
export function archivePolicies(indexSets: readonly IndexSetSpec[]): ArchiveSpec<string>["policies"] {
  return indexSets.filter((s) => s.archiveDays > 0).map((s) => ({ name: `${s.prefix}-archive`, indices: `${s.prefix}_*`, archiveDays: s.archiveDays }));
}
