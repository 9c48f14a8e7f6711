/**
 * What every data node runs to be watched (docs/observability-prometheus.md): the CloudWatch agent
 * publishing disk and memory usage in the exact shape the alarms read (components/data/nodeMetrics.ts),
 * and node_exporter for the Prometheus collector, verified against its pinned SHA-256 and the
 * release's published sha256sums.txt before anything is unpacked.
 */
import { CW_AGENT_NAMESPACE, DISK_DIMENSIONS, DISK_USED_PERCENT, NODE_EXPORTER_PORT, monitoredPaths } from "../nodeMetrics";
import { sh, shellQuote, systemdUnit, writeFile } from "./shell";
import { BootstrapContext } from "./types";
import { VERSIONS } from "./versions";

export const CLOUDWATCH_AGENT_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/tila-cloudwatch-agent.json";

/**
 * The agent configuration: namespace CWAgent; `disk_used_percent` for "/" and the data mount point
 * rolled up onto exactly {InstanceId, path} with the original series (path, fstype, InstanceId)
 * dropped; `mem_used_percent` with {InstanceId}. With `append_dimensions` the agent leaves out its
 * `host` dimension; `drop_device` removes `device`. Pure, so tests read the contract directly.
 */
export function cloudwatchAgentConfig(ctx: Pick<BootstrapContext, "mountPoint">): Record<string, unknown> {
  return {
    agent: { metrics_collection_interval: 60, run_as_user: "cwagent" },
    metrics: {
      namespace: CW_AGENT_NAMESPACE,
      append_dimensions: { InstanceId: "${aws:InstanceId}" },
      aggregation_dimensions: [[...DISK_DIMENSIONS]],
      metrics_collected: {
        disk: {
          resources: monitoredPaths(ctx.mountPoint),
          measurement: ["used_percent"],
          drop_device: true,
          drop_original_metrics: [DISK_USED_PERCENT],
        },
        mem: { measurement: ["used_percent"] },
      },
    },
  };
}

/**
 * fetch_verified URL SUMS_URL PIN OUT: downloads URL to OUT and the publisher's checksum list from
 * SUMS_URL; dies unless the list gives the download's SHA-256 for its file name and, when PIN is
 * set, PIN is that SHA-256 too. An empty PIN is allowed but logged as a warning on every install
 * (the MongoDB and Aerospike exporters until they are pinned: exporters.ts); node_exporter refuses one.
 */
export const FETCH_VERIFIED = sh`
fetch_verified() {
  local url="$1" sums_url="$2" pin="$3" out="$4" f pub sum
  f="\${url##*/}"
  retry 5 10 curl -fsSL -o "\${out}" "\${url}" || die "cannot download \${url}"
  retry 5 10 curl -fsSL -o "\${out}.sums" "\${sums_url}" || die "cannot download \${sums_url}"
  pub="$(awk -v f="\${f}" '$2 == f || $2 == "*" f { print $1 }' "\${out}.sums" | head -n 1)"
  sum="$(sha256sum "\${out}" | cut -d ' ' -f 1)"
  [[ -n "\${pub}" && "\${sum}" == "\${pub}" ]] || die "SHA-256 of \${f} is \${sum}, published '\${pub}'"
  if [[ -n "\${pin}" ]]; then
    [[ "\${sum}" == "\${pin}" ]] || die "SHA-256 of \${f} is \${sum}, pinned \${pin}"
    log "\${f}: SHA-256 verified against the pin and \${sums_url##*/}"
  else
    log "WARNING: \${f} is NOT PINNED; verified only against \${sums_url}. Pin its SHA-256 in versions.ts"
  fi
}
`.trim();

/**
 * install_node_exporter VERSION BASE_URL PINNED_SHA256_X86_64 PINNED_SHA256_AARCH64: unpacks the
 * release for this node's architecture into /opt/node_exporter-VERSION once both the pinned digest
 * and the release's sha256sums.txt agree with the download, and points /opt/node_exporter at it.
 */
export const MONITORING_FUNCTIONS = [
  FETCH_VERIFIED,
  sh`
install_node_exporter() {
  local v="$1" base="$2" pin arch f dest
  case "\${TILA_ARCH}" in
    x86_64) arch=amd64; pin="$3" ;;
    aarch64) arch=arm64; pin="$4" ;;
    *) die "no node_exporter for \${TILA_ARCH}" ;;
  esac
  [[ -n "\${pin}" ]] || die "node_exporter has no pinned SHA-256 for \${TILA_ARCH}"
  f="node_exporter-\${v}.linux-\${arch}.tar.gz"
  dest="/opt/node_exporter-\${v}"
  if [[ ! -x "\${dest}/node_exporter" ]]; then
    fetch_verified "\${base}/v\${v}/\${f}" "\${base}/v\${v}/sha256sums.txt" "\${pin}" "\${TILA_RUN_DIR}/\${f}"
    install -d -m 0755 "\${dest}"
    tar -xzf "\${TILA_RUN_DIR}/\${f}" -C "\${dest}" --strip-components=1
    log "installed \${f}"
  fi
  ln -sfn "\${dest}" /opt/node_exporter
}
`.trim(),
].join("\n");

/** The monitoring steps, run after the common steps and before the engine: a node is watched even when its engine fails to start. */
export function monitoringSection(ctx: BootstrapContext): string {
  const cw = VERSIONS.cloudwatchAgent;
  const ne = VERSIONS.nodeExporter;
  const unit = systemdUnit({
    description: "Prometheus node_exporter (Tila)",
    user: "node_exporter",
    execStart: `/opt/node_exporter/node_exporter --web.listen-address=:${NODE_EXPORTER_PORT}`,
  });
  return [
    MONITORING_FUNCTIONS,
    "",
    "# --- Monitoring: CloudWatch agent, node_exporter ---",
    `retry 5 10 dnf install -y ${shellQuote(cw.package)} || die "dnf could not install ${cw.package}"`,
    `cw_version="$(rpm -q ${shellQuote(cw.package)})" || die "${cw.package} is not installed"`,
    'log "installed ${cw_version}"',
    writeFile(CLOUDWATCH_AGENT_CONFIG, JSON.stringify(cloudwatchAgentConfig(ctx))),
    `${cw.ctl} -a fetch-config -m ec2 -s -c ${shellQuote(`file:${CLOUDWATCH_AGENT_CONFIG}`)}`,
    `install_node_exporter ${shellQuote(ne.version)} ${shellQuote(ne.baseUrl)} ${shellQuote(ne.sha256.x86_64)} ${shellQuote(ne.sha256.aarch64)}`,
    "ensure_system_user node_exporter",
    writeFile("/etc/systemd/system/node_exporter.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now node_exporter.service",
    `wait_for_tcp 127.0.0.1 ${NODE_EXPORTER_PORT}`,
    `log "node_exporter on ${NODE_EXPORTER_PORT}, cloudwatch agent on ${CW_AGENT_NAMESPACE}"`,
  ].join("\n");
}

/** Where the metrics relay (below) is installed on a node that needs one. */
export const METRICS_RELAY_SCRIPT = "/opt/tila/metrics-relay.py";
/** The system user the relay runs as; only it (and root) can read the relay's credential file. */
export const METRICS_RELAY_USER = "metrics_relay";

/**
 * The metrics relay, for engines whose own Prometheus endpoint needs a user (Couchbase's /metrics on
 * 8091): it answers `GET /metrics` on its port by fetching the engine's endpoint on this node with
 * the Authorization header kept in a 0600 file, and answers 502 when the engine refuses or is down
 * (so the collector's `up` is 0) and 404 for any other path. The collector needs no database
 * credential and reaches only this port. Python 3's standard library only (AL2023's system Python
 * runs dnf and cloud-init, so it is on every node); the header file is read per request, so a new
 * credential needs no restart. Arguments: PORT UPSTREAM_URL AUTH_FILE.
 */
export const METRICS_RELAY_PY = `#!/usr/bin/python3
"""Tila metrics relay (components/data/bootstrap/monitoring.ts): serves an engine's authenticated
Prometheus endpoint on this node, unauthenticated, on one port the collector alone may reach."""
import http.server
import sys
import urllib.error
import urllib.request


def make_handler(upstream, auth_file):
    class Relay(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?", 1)[0] != "/metrics":
                self.send_error(404)
                return
            try:
                with open(auth_file, encoding="utf-8") as f:
                    auth = f.read().strip()
                request = urllib.request.Request(upstream, headers={"Authorization": auth})
                with urllib.request.urlopen(request, timeout=20) as response:
                    body = response.read()
                    content_type = response.headers.get("Content-Type", "text/plain; version=0.0.4")
            except urllib.error.HTTPError as e:
                self.send_error(502, "upstream answered %d" % e.code)
                return
            except (urllib.error.URLError, OSError):
                self.send_error(502, "upstream unreachable")
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            return

    return Relay


def main():
    port, upstream, auth_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    http.server.ThreadingHTTPServer(("", port), make_handler(upstream, auth_file)).serve_forever()


if __name__ == "__main__":
    main()
`;

export interface MetricsRelayOptions {
  /** The scrape job it serves (`couchbase`); names the unit `tila-<job>-metrics-relay`. */
  readonly job: string;
  readonly port: number;
  /** The engine's endpoint on this node, e.g. http://127.0.0.1:8091/metrics. */
  readonly upstream: string;
  /** The file holding the Authorization header value, written 0600 by the engine's section before this runs. */
  readonly authFile: string;
}

/** Installs and starts the relay for one engine endpoint (idempotent: files are rewritten, the unit re-enabled). */
export function metricsRelaySection(o: MetricsRelayOptions): string {
  const unit = systemdUnit({
    description: `Tila metrics relay for ${o.job}`,
    user: METRICS_RELAY_USER,
    execStart: `/usr/bin/python3 ${METRICS_RELAY_SCRIPT} ${o.port} ${o.upstream} ${o.authFile}`,
  });
  return [
    `# --- Metrics relay: ${o.upstream} on ${o.port} ---`,
    "retry 5 10 dnf install -y python3 || die \"dnf could not install python3\"",
    writeFile(METRICS_RELAY_SCRIPT, METRICS_RELAY_PY, "0755"),
    `ensure_system_user ${METRICS_RELAY_USER}`,
    `chown ${METRICS_RELAY_USER}:${METRICS_RELAY_USER} ${shellQuote(o.authFile)}`,
    `chmod 0600 ${shellQuote(o.authFile)}`,
    writeFile(`/etc/systemd/system/tila-${o.job}-metrics-relay.service`, unit),
    "systemctl daemon-reload",
    `systemctl enable --now tila-${o.job}-metrics-relay.service`,
    `wait_for_tcp 127.0.0.1 ${o.port}`,
    `log "metrics relay for ${o.job} on ${o.port}"`,
  ].join("\n");
}
