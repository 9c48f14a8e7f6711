/**
 * The workspace's alert rules and its Alertmanager definition (docs/observability-prometheus.md#alerts),
 * derived from what the collector scrapes: node rules for every data node, engine rules for each
 * engine that serves its own endpoint, service rules when services are discovered. Every rule has a
 * `severity` of critical or warning and a runbook annotation; Alertmanager routes each severity to
 * the stack's topic of that name over SNS with SigV4. Pure: YAML text from plain values.
 */
import { stringify } from "yaml";
import { SERVICES_JOB } from "./collectorConfig";

export type Severity = "critical" | "warning";
export const SEVERITIES: readonly Severity[] = ["critical", "warning"];

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: Severity };
  readonly annotations: { readonly summary: string; readonly runbook: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

export interface AlertRulesInput {
  readonly environment: string;
  /** The scrape jobs of the data nodes (`node`, `zookeeper`, ...). */
  readonly nodeJobs: readonly string[];
  /** Whether any service is discovered (job ecs-services). */
  readonly services: boolean;
}

const RUNBOOK = "docs/observability-prometheus.md#runbooks";

function rule(alert: string, expr: string, forDuration: string, severity: Severity, summary: string, runbook: string): AlertRule {
  return { alert, expr, for: forDuration, labels: { severity }, annotations: { summary, runbook: `${RUNBOOK}: ${runbook}` } };
}

/** The rule groups for one environment. Empty when nothing is scraped. */
export function alertRuleGroups(i: AlertRulesInput): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (i.nodeJobs.includes("node")) {
    const fs = 'job="node",fstype!~"tmpfs|overlay|squashfs"';
    groups.push({
      name: `tila-${i.environment}-data-nodes`,
      rules: [
        rule("DataNodeExporterDown", 'up{job="node"} == 0', "5m", "critical",
          "node_exporter on {{ $labels.instance }} ({{ $labels.cluster }}) has not answered for 5 minutes",
          "check the instance's status checks and `systemctl status node_exporter` over SSM; a stopped node loses its cluster a replica"),
        rule("DataNodeTargetsMissing", 'absent(up{job="node"})', "10m", "critical",
          "no data node has been scraped for 10 minutes: the collector is down or cannot reach the data tier",
          "check the prometheus-collector service's tasks and logs, and the security-group rules from the collector to the data clusters"),
        rule("DataNodeDiskFillingUp", `predict_linear(node_filesystem_avail_bytes{${fs}}[6h], 86400) < 0 and node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} < 0.25`, "30m", "warning",
          "{{ $labels.mountpoint }} on {{ $labels.instance }} will be full within a day at the current rate",
          "grow the data volume (gp3 grows online, then xfs_growfs) or free space; find what grew with the engine's own tools"),
        rule("DataNodeDiskAlmostFull", `node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} < 0.10`, "10m", "critical",
          "{{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% free",
          "grow the volume now (gp3 grows online, then xfs_growfs); an engine that fills its disk stops accepting writes"),
        rule("DataNodeMemoryPressure", 'node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"} < 0.10', "15m", "warning",
          "{{ $labels.instance }} has had less than 10% memory available for 15 minutes",
          "check the engine's cache and heap settings against the instance size; move to a larger type one node at a time"),
      ],
    });
  }
  if (i.nodeJobs.includes("zookeeper")) {
    groups.push({
      name: `tila-${i.environment}-zookeeper`,
      rules: [
        rule("ZooKeeperServerDown", 'up{job="zookeeper"} == 0', "5m", "critical",
          "ZooKeeper on {{ $labels.instance }} has not served metrics for 5 minutes",
          "`systemctl status zookeeper` over SSM; with one server down the ensemble keeps quorum, with two of three it stops Kafka and Solr"),
      ],
    });
  }
  if (i.nodeJobs.includes("kafka")) {
    groups.push({
      name: `tila-${i.environment}-kafka`,
      rules: [
        rule("KafkaBrokerDown", 'up{job="kafka"} == 0', "5m", "critical",
          "the Kafka broker on {{ $labels.instance }} has not served metrics for 5 minutes",
          "`systemctl status kafka` over SSM; with one of three brokers down, partitions keep min.insync.replicas 2 but lose their spare"),
      ],
    });
  }
  if (i.nodeJobs.includes("solr")) {
    groups.push({
      name: `tila-${i.environment}-solr`,
      rules: [
        rule("SolrExporterDown", 'up{job="solr"} == 0', "5m", "critical",
          "Solr's exporter on {{ $labels.instance }} has not answered for 5 minutes",
          "`systemctl status solr solr-exporter` over SSM; the exporter reads only its own node, so a down Solr node shows here first"),
      ],
    });
  }
  if (i.nodeJobs.includes("couchbase")) {
    groups.push({
      name: `tila-${i.environment}-couchbase`,
      rules: [
        rule("CouchbaseMetricsDown", 'up{job="couchbase"} == 0', "5m", "critical",
          "Couchbase on {{ $labels.instance }} has not served its statistics for 5 minutes",
          "`systemctl status couchbase-server tila-couchbase-metrics-relay` over SSM; the relay answers 502 when Couchbase is down or refuses the tila-metrics user (its log says which)"),
        // kv_ep_oom_errors: a per-bucket gauge counting operations refused with a hard out-of-memory error.
        rule("CouchbaseOutOfMemoryErrors", 'delta(kv_ep_oom_errors{job="couchbase"}[10m]) > 0', "5m", "critical",
          "bucket {{ $labels.bucket }} on {{ $labels.instance }} is refusing operations: it has reached its memory quota",
          "raise the bucket's RAM quota (the node's data quota allows it) or find what grew; clients see these as failed writes, not retries"),
      ],
    });
  }
  if (i.nodeJobs.includes("arangodb")) {
    groups.push({
      name: `tila-${i.environment}-arangodb`,
      rules: [
        rule("ArangoDBMetricsDown", 'up{job="arangodb"} == 0', "5m", "critical",
          "ArangoDB on {{ $labels.instance }} has not served its metrics for 5 minutes",
          "`systemctl status arangodb-starter tila-arangodb-metrics-relay` over SSM; the relay answers 502 when the Coordinator is down or refuses the tila-metrics user"),
        // arangodb_heartbeat_failures_total: a counter (arangod/Cluster/HeartbeatThread.cpp) of heartbeats to the Agency that failed.
        rule("ArangoDBAgencyHeartbeatFailing", 'increase(arangodb_heartbeat_failures_total{job="arangodb"}[10m]) > 0', "10m", "warning",
          "{{ $labels.instance }} keeps failing to send its heartbeat to the Agency",
          "check the Agency members (the first three nodes' `arangodb-starter`) and the network between the nodes; a server without heartbeats is failed over by the Agency"),
      ],
    });
  }
  if (i.nodeJobs.includes("mongodb")) {
    groups.push({
      name: `tila-${i.environment}-mongodb`,
      rules: [
        // up: the exporter answers; mongodb_up (exporter/general_collector.go): it reached its mongod as tila-metrics.
        rule("MongoDBDown", 'up{job="mongodb"} == 0 or mongodb_up{job="mongodb"} == 0', "5m", "critical",
          "MongoDB on {{ $labels.instance }} has not been readable by its exporter for 5 minutes",
          "`systemctl status mongod mongodb_exporter` over SSM; mongodb_up 0 with the exporter running means mongod is down or refuses the tila-metrics user (mongod.log says which); with one of three members down the set keeps a primary"),
        // mongodb_mongod_replset_my_state (--compatible-mode, exporter/v1_compatibility.go): the member's replSetGetStatus state, 1 PRIMARY, 2 SECONDARY.
        rule("MongoDBMemberNotServing", 'mongodb_mongod_replset_my_state{job="mongodb"} != 1 and mongodb_mongod_replset_my_state{job="mongodb"} != 2', "10m", "warning",
          "replica set member {{ $labels.instance }} of {{ $labels.set }} has been neither primary nor secondary for 10 minutes (state {{ $value }})",
          "`rs.status()` as the admin over SSM: RECOVERING or STARTUP2 is a member catching up (watch the oplog window), ROLLBACK or UNKNOWN needs the member resynced or replaced, one node at a time"),
      ],
    });
  }
  if (i.nodeJobs.includes("aerospike")) {
    groups.push({
      name: `tila-${i.environment}-aerospike`,
      rules: [
        // aerospike_node_up (internal/pkg/executors/prometheus.go): 0 when the exporter cannot reach its node's service port.
        rule("AerospikeDown", 'up{job="aerospike"} == 0 or aerospike_node_up{job="aerospike"} == 0', "5m", "critical",
          "Aerospike on {{ $labels.instance }} has not been readable by its exporter for 5 minutes",
          "`systemctl status aerospike aerospike-prometheus-exporter` over SSM; aerospike_node_up 0 with the exporter running means asd is down (aerospike.log); replication-factor 2 keeps the data while one node is out"),
        // aerospike_namespace_stop_writes: the namespace statistic stop_writes (a gauge, configs/gauge_stats_list.toml).
        rule("AerospikeStopWrites", 'aerospike_namespace_stop_writes{job="aerospike"} == 1', "2m", "critical",
          "namespace {{ $labels.ns }} on {{ $labels.instance }} is refusing writes (stop_writes)",
          "the namespace reached its stop-writes threshold (memory or device space): grow the data volume and filesize or add a node; `asinfo -v namespace/tila` shows which limit"),
      ],
    });
  }
  if (i.services) {
    groups.push({
      name: `tila-${i.environment}-services`,
      rules: [
        rule("ServiceTargetDown", `up{job="${SERVICES_JOB}"} == 0`, "5m", "warning",
          "a task of {{ $labels.service }} ({{ $labels.instance }}) has not served metrics for 5 minutes",
          "check the task's health in ECS and its log group; the ALB alarms say whether users are affected"),
        rule("ServiceTargetsMissing", `absent(up{job="${SERVICES_JOB}"})`, "15m", "warning",
          "no service task has been scraped for 15 minutes: discovery or the collector is failing",
          "check the prometheus-collector task's logs for ecs_observer errors and its task role's ECS permissions"),
      ],
    });
  }
  return groups;
}

/** The rule groups as the YAML a RuleGroupNamespace takes. */
export function alertRulesYaml(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}

export interface AlertManagerInput {
  readonly environment: string;
  readonly region: string;
  /** Topic ARN by severity: each severity routes to its own topic. */
  readonly topics: Readonly<Record<Severity, string>>;
}

/**
 * The Alertmanager definition: AMP's two-part document (`alertmanager_config` as a string of
 * Alertmanager YAML). Critical alerts route to the critical topic, everything else to warning; SNS
 * receivers carry SigV4 with the region (AMP requires it) and no api_url (AMP refuses it).
 */
export function alertManagerDefinition(i: AlertManagerInput): string {
  const receiver = (severity: Severity): Record<string, unknown> => ({
    name: severity,
    sns_configs: [{
      topic_arn: i.topics[severity],
      sigv4: { region: i.region },
      // A short subject: the default one lists every label and can exceed SNS's 100-character limit.
      subject: `[tila ${i.environment}] ${severity}: {{ .CommonLabels.alertname }}`,
      attributes: { severity, environment: i.environment },
    }],
  });
  const config = {
    route: {
      receiver: "warning",
      group_by: ["alertname", "cluster", "service"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [{ receiver: "critical", matchers: ['severity="critical"'] }],
    },
    receivers: SEVERITIES.map(receiver),
  };
  return stringify({ alertmanager_config: stringify(config, { lineWidth: 0 }) }, { lineWidth: 0 });
}
