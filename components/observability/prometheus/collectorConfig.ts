/**
 * The ADOT collector's configuration (docs/observability-prometheus.md#collector), as the YAML the
 * image reads from AOT_CONFIG_CONTENT: the services found through the ecs_observer extension, the
 * data nodes' exporters as static targets by their private DNS names, remote-written with SigV4 to
 * the environment's workspace. Pure: every ARN and URL is resolved before this is called.
 */
import { stringify } from "yaml";

/** Where ecs_observer writes what it discovers: the task's writable /tmp (the root filesystem is read-only). */
export const ECS_TARGETS_FILE = "/tmp/ecs_sd_targets.yaml";
/** The scrape job (the `job` label) of every service task. */
export const SERVICES_JOB = "ecs-services";

/** One service the collector discovers on the cluster and scrapes on its container port. */
export interface ServiceScrape {
  readonly service: string;
  readonly port: number;
}

/** The nodes of one data cluster serving one endpoint. */
export interface NodeScrape {
  readonly job: string;
  readonly cluster: string;
  readonly engine: string;
  readonly port: number;
  readonly path: string;
  readonly hosts: readonly string[];
}

export interface CollectorConfigInput {
  readonly environment: string;
  readonly region: string;
  /** The ECS cluster the services run on (ecs_observer's `cluster_name`). */
  readonly clusterName: string;
  /** `<workspace prometheusEndpoint>api/v1/remote_write`. */
  readonly remoteWriteUrl: string;
  readonly scrapeIntervalSeconds: number;
  readonly servicesMetricsPath: string;
  readonly services: readonly ServiceScrape[];
  readonly nodes: readonly NodeScrape[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The collector's configuration as a plain object (tests read it; `collectorConfigYaml` serialises it). */
export function collectorConfig(i: CollectorConfigInput): Record<string, unknown> {
  const interval = `${i.scrapeIntervalSeconds}s`;
  // Static jobs grouped by job name: one scrape config per endpoint kind, one target group per cluster.
  const jobs = new Map<string, { path: string; groups: { targets: string[]; labels: Record<string, string> }[] }>();
  for (const n of [...i.nodes].sort((a, b) => a.job.localeCompare(b.job) || a.cluster.localeCompare(b.cluster))) {
    const job = jobs.get(n.job) ?? { path: n.path, groups: [] };
    job.groups.push({ targets: n.hosts.map((h) => `${h}:${n.port}`), labels: { cluster: n.cluster, engine: n.engine } });
    jobs.set(n.job, job);
  }
  const scrapeConfigs: Record<string, unknown>[] = [];
  if (i.services.length > 0) {
    scrapeConfigs.push({
      job_name: SERVICES_JOB,
      file_sd_configs: [{ files: [ECS_TARGETS_FILE], refresh_interval: "30s" }],
      // ecs_observer's __meta_ labels are dropped by the receiver unless copied to real ones.
      relabel_configs: [
        { source_labels: ["__meta_ecs_service_name"], target_label: "service" },
        { source_labels: ["__meta_ecs_task_definition_family"], target_label: "task_family" },
      ],
    });
  }
  for (const [job, j] of jobs) scrapeConfigs.push({ job_name: job, metrics_path: j.path, static_configs: j.groups });

  return {
    extensions: {
      sigv4auth: { region: i.region, service: "aps" },
      ...(i.services.length > 0
        ? {
            ecs_observer: {
              cluster_name: i.clusterName,
              cluster_region: i.region,
              refresh_interval: "60s",
              result_file: ECS_TARGETS_FILE,
              services: [...i.services].sort((a, b) => a.service.localeCompare(b.service)).map((s) => ({
                name_pattern: `^${escape(s.service)}$`,
                metrics_ports: [s.port],
                metrics_path: i.servicesMetricsPath,
                job_name: SERVICES_JOB,
              })),
            },
          }
        : {}),
    },
    receivers: {
      prometheus: {
        config: {
          global: { scrape_interval: interval, scrape_timeout: `${Math.min(10, i.scrapeIntervalSeconds)}s` },
          scrape_configs: scrapeConfigs,
        },
      },
    },
    processors: { batch: {} },
    exporters: {
      prometheusremotewrite: {
        endpoint: i.remoteWriteUrl,
        auth: { authenticator: "sigv4auth" },
        external_labels: { environment: i.environment },
      },
    },
    service: {
      extensions: ["sigv4auth", ...(i.services.length > 0 ? ["ecs_observer"] : [])],
      pipelines: { metrics: { receivers: ["prometheus"], processors: ["batch"], exporters: ["prometheusremotewrite"] } },
    },
  };
}

/**
 * The YAML for AOT_CONFIG_CONTENT. The collector expands `${...}` in its configuration, so a value
 * holding one would be read as a variable: refused here rather than escaped, since no input needs
 * one (the anchors `^name$` of ecs_observer's patterns are plain `$`, as in its own examples).
 */
export function collectorConfigYaml(i: CollectorConfigInput): string {
  const text = stringify(collectorConfig(i), { lineWidth: 0 });
  if (text.includes("${")) throw new Error("collector config: a value contains `${`, which the collector would expand as a variable");
  return text;
}
