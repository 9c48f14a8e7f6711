/**
 * The user data of a Glowroot central node (docs/observability-apm.md#glowroot): Corretto 17, the
 * pinned glowroot-central release from GitHub verified against the SHA-256 GitHub publishes for the
 * release asset (and the pin when one is recorded), the CloudWatch agent and node_exporter as on the
 * data nodes, and glowroot-central.properties written at boot from two secrets read with the node
 * role (the Cassandra user, the symmetric encryption key), never from user data.
 */
import { BOOTSTRAP_LOG, LOCAL_SERVICE_FUNCTIONS, LOG_FUNCTIONS, WAIT_ATTEMPTS } from "../../data/bootstrap/common";
import { MONITORING_FUNCTIONS, cloudwatchAgentConfig, CLOUDWATCH_AGENT_CONFIG } from "../../data/bootstrap/monitoring";
import { sh, shellQuote, systemdUnit, writeFile } from "../../data/bootstrap/shell";
import { VERSIONS } from "../../data/bootstrap/versions";
import { CW_AGENT_NAMESPACE, NODE_EXPORTER_PORT } from "../../data/nodeMetrics";
import { GLOWROOT_GRPC_PORT } from "./glowrootPlan";

/** Glowroot central's UI (its `ui.port` default). */
export const GLOWROOT_UI_PORT = 4000;
export const GLOWROOT_CONF_DIR = "/etc/glowroot-central";
export const GLOWROOT_LOG_DIR = "/var/log/glowroot-central";

/** The glowroot-central release the nodes run, its GitHub asset and, once recorded, its SHA-256. */
export const GLOWROOT_CENTRAL = {
  version: "0.14.7",
  url: "https://github.com/glowroot/glowroot/releases/download/v0.14.7/glowroot-central-0.14.7-dist.zip",
  /** GitHub's release API, whose asset `digest` ("sha256:<hex>") the download must match. */
  releaseApi: "https://api.github.com/repos/glowroot/glowroot/releases/tags/v0.14.7",
  /** Record the digest the first verified install logs here; then it is checked as well. */
  sha256: "",
} as const;

export interface GlowrootCentralContext {
  readonly environment: string;
  readonly region: string;
  readonly nodeIndex: number;
  /** Cassandra nodes' DNS names (cassandra.contactPoints). */
  readonly contactPoints: readonly string[];
  readonly cassandraPort: number;
  /** The Cassandra datacenter the driver prefers (the store's snitch names it after the region). */
  readonly localDatacenter: string;
  readonly keyspace: string;
  /** `{"username","password"}` of the Cassandra role. */
  readonly userSecretArn: string;
  /** `{"symmetricEncryptionKey"}`: 32 hex characters, the same on every node. */
  readonly keySecretArn: string;
}

const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;

/** Every problem with `ctx`, each naming its field. */
export function glowrootCentralContextIssues(ctx: GlowrootCentralContext): string[] {
  const issues: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(ctx.environment)) issues.push(`environment: "${ctx.environment}" must be a lower-case name`);
  if (!/^[a-z]{2}(?:-[a-z]+)+-[0-9]$/.test(ctx.region)) issues.push(`region: "${ctx.region}" is not a region name`);
  if (!Number.isInteger(ctx.nodeIndex) || ctx.nodeIndex < 0) issues.push("nodeIndex: must be a non-negative integer");
  if (ctx.contactPoints.length === 0) issues.push("contactPoints: name at least one Cassandra node");
  ctx.contactPoints.forEach((h, i) => { if (!HOST.test(h)) issues.push(`contactPoints[${i}]: "${h}" is not a DNS name`); });
  if (!Number.isInteger(ctx.cassandraPort) || ctx.cassandraPort < 1 || ctx.cassandraPort > 65535) issues.push("cassandraPort: must be a TCP port");
  if (!/^[a-z0-9-]+$/.test(ctx.localDatacenter)) issues.push(`localDatacenter: "${ctx.localDatacenter}" must be a datacenter name`);
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(ctx.keyspace)) issues.push(`keyspace: "${ctx.keyspace}" must be a plain keyspace name`);
  for (const field of ["userSecretArn", "keySecretArn"] as const) if (!SECRET_ARN.test(ctx[field])) issues.push(`${field}: must be a Secrets Manager secret ARN`);
  return issues;
}

/**
 * glowroot-central.properties without its three secret values, which write_glowroot_properties
 * appends at boot. Property names are those of Glowroot's own file (central/src/main/conf).
 */
export function glowrootProperties(ctx: GlowrootCentralContext): string {
  return [
    "# Managed by the Tila bootstrap; rewritten on every boot.",
    `cassandra.contactPoints=${ctx.contactPoints.join(",")}`,
    `cassandra.port=${ctx.cassandraPort}`,
    `cassandra.keyspace=${ctx.keyspace}`,
    `cassandra.localDatacenter=${ctx.localDatacenter}`,
    "cassandra.consistencyLevel=QUORUM",
    "grpc.bindAddress=0.0.0.0",
    `grpc.httpPort=${GLOWROOT_GRPC_PORT}`,
    "grpc.httpsPort=none",
    "ui.bindAddress=0.0.0.0",
    `ui.port=${GLOWROOT_UI_PORT}`,
    "",
  ].join("\n");
}

/** The data nodes' logging, retry, local-port and system-user helpers: a central node has no data volume, peers or rack. */
export const BASE_FUNCTIONS = [LOG_FUNCTIONS, LOCAL_SERVICE_FUNCTIONS].join("\n\n");

/**
 * install_glowroot_central VERSION URL RELEASE_API PINNED: unzips a verified release into
 * /opt/glowroot-central-VERSION. write_glowroot_properties BASE_FILE: BASE_FILE plus the Cassandra
 * user and the encryption key from the two secrets, to the conf dir, readable by glowroot only.
 */
export const GLOWROOT_FUNCTIONS = sh`
install_glowroot_central() {
  local v="$1" url="$2" api="$3" pin="$4" dest="/opt/glowroot-central-$1" zip="\${TILA_RUN_DIR}/glowroot-central.zip" meta="\${TILA_RUN_DIR}/release.json" published sum
  if [[ ! -f "\${dest}/glowroot-central.jar" ]]; then
    retry 5 10 curl -fsSL -o "\${zip}" "\${url}" || die "cannot download \${url}"
    retry 5 10 curl -fsSL -H 'Accept: application/vnd.github+json' -o "\${meta}" "\${api}" || die "cannot read \${api}"
    published="$(jq -r --arg f "\${url##*/}" '.assets[] | select(.name == $f) | .digest // empty' "\${meta}")"
    published="\${published#sha256:}"
    sum="$(sha256sum "\${zip}" | cut -d ' ' -f 1)"
    [[ "\${published}" =~ ^[0-9a-f]{64}$ ]] || die "GitHub publishes no SHA-256 for \${url##*/}"
    [[ "\${sum}" == "\${published}" ]] || die "SHA-256 of \${url} is \${sum}, GitHub publishes \${published}"
    if [[ -n "\${pin}" && "\${sum}" != "\${pin}" ]]; then die "SHA-256 of \${url} is \${sum}, pinned \${pin}"; fi
    install -d -m 0755 "\${dest}"
    unzip -q -o "\${zip}" -d "\${TILA_RUN_DIR}/unzipped"
    cp -a "\${TILA_RUN_DIR}/unzipped/glowroot-central/." "\${dest}/"
    rm -rf "\${zip}" "\${meta}" "\${TILA_RUN_DIR}/unzipped"
    log "installed glowroot-central \${v} (SHA-256 \${sum} verified)"
  fi
  ln -sfn "\${dest}" /opt/glowroot-central
}

secret_json() {
  aws secretsmanager get-secret-value --region "\${TILA_REGION}" --secret-id "$1" --query SecretString --output text >"$2"
}

write_glowroot_properties() {
  local base="$1" out="\${TILA_GLOWROOT_CONF}/glowroot-central.properties" user_json="\${TILA_RUN_DIR}/user.json" key_json="\${TILA_RUN_DIR}/key.json" user password key
  (umask 077 && retry 10 6 secret_json "\${TILA_USER_SECRET_ARN}" "\${user_json}") || die "cannot read the Cassandra user secret"
  (umask 077 && retry 10 6 secret_json "\${TILA_KEY_SECRET_ARN}" "\${key_json}") || die "cannot read the encryption key secret"
  user="$(jq -er '.username | strings' "\${user_json}")" || die "the Cassandra user secret has no username"
  password="$(jq -er '.password | strings' "\${user_json}")" || die "the Cassandra user secret has no password"
  key="$(jq -er '.symmetricEncryptionKey | strings' "\${key_json}")" || die "the key secret has no symmetricEncryptionKey"
  rm -f "\${user_json}" "\${key_json}"
  [[ "\${key}" =~ ^[0-9a-f]{32}$ ]] || die "symmetricEncryptionKey must be 32 hex characters (Glowroot refuses anything else)"
  [[ "\${password}" =~ ^[A-Za-z0-9_-]+$ ]] || die "the Cassandra password has characters a properties file would change"
  (
    umask 077
    cat "\${base}"
    printf 'cassandra.username=%s\ncassandra.password=%s\ncassandra.symmetricEncryptionKey=%s\n' "\${user}" "\${password}" "\${key}"
  ) >"\${out}.new"
  chown glowroot:glowroot "\${out}.new"
  chmod 0600 "\${out}.new"
  mv -f "\${out}.new" "\${out}"
}
`.trim();

/** The complete user data of one central node. Throws, naming every bad field, when `ctx` is not acceptable. */
export function renderGlowrootCentralBootstrap(ctx: GlowrootCentralContext): string {
  const issues = glowrootCentralContextIssues(ctx);
  if (issues.length > 0) throw new Error(`invalid Glowroot central context: ${issues.join("; ")}`);
  const base = `${GLOWROOT_CONF_DIR}/glowroot-central.base.properties`;
  const unit = systemdUnit({
    description: "Glowroot central collector (Tila)",
    user: "glowroot",
    execStart: `/usr/bin/java -Dglowroot.conf.dir=${GLOWROOT_CONF_DIR} -Dglowroot.log.dir=${GLOWROOT_LOG_DIR} -jar /opt/glowroot-central/glowroot-central.jar`,
  });
  const nodeExporter = systemdUnit({
    description: "Prometheus node_exporter (Tila)",
    user: "node_exporter",
    execStart: `/opt/node_exporter/node_exporter --web.listen-address=:${NODE_EXPORTER_PORT}`,
  });
  const ne = VERSIONS.nodeExporter;
  const cw = VERSIONS.cloudwatchAgent;
  return [
    "#!/bin/bash",
    `# Tila Glowroot central node ${ctx.nodeIndex} (${ctx.environment}). Generated by components/observability/apm; safe to re-run.`,
    "set -euo pipefail",
    "umask 022",
    "readonly TILA_ENGINE='glowroot-central'",
    `readonly TILA_REGION=${shellQuote(ctx.region)}`,
    `readonly TILA_LOG=${shellQuote(BOOTSTRAP_LOG)}`,
    "readonly TILA_RUN_DIR=/run/tila-bootstrap",
    `readonly TILA_WAIT_ATTEMPTS=${WAIT_ATTEMPTS}`,
    `readonly TILA_GLOWROOT_CONF=${shellQuote(GLOWROOT_CONF_DIR)}`,
    `readonly TILA_USER_SECRET_ARN=${shellQuote(ctx.userSecretArn)}`,
    `readonly TILA_KEY_SECRET_ARN=${shellQuote(ctx.keySecretArn)}`,
    'touch "${TILA_LOG}" && chmod 0600 "${TILA_LOG}"',
    'exec > >(tee -a "${TILA_LOG}" || true) 2>&1',
    'TILA_ARCH="$(uname -m)"',
    "readonly TILA_ARCH",
    'install -d -m 0700 "${TILA_RUN_DIR}"',
    "trap 'rm -rf \"${TILA_RUN_DIR}\"' EXIT",
    "",
    BASE_FUNCTIONS,
    "",
    MONITORING_FUNCTIONS,
    "",
    GLOWROOT_FUNCTIONS,
    "",
    `retry 5 10 dnf install -y jq unzip ${shellQuote(VERSIONS.javaPackage)} ${shellQuote(cw.package)} || die "dnf could not install the base packages"`,
    "# --- Monitoring: CloudWatch agent (root volume), node_exporter ---",
    writeFile(CLOUDWATCH_AGENT_CONFIG, JSON.stringify(cloudwatchAgentConfig({ mountPoint: "/" }))),
    `${cw.ctl} -a fetch-config -m ec2 -s -c ${shellQuote(`file:${CLOUDWATCH_AGENT_CONFIG}`)}`,
    `install_node_exporter ${shellQuote(ne.version)} ${shellQuote(ne.baseUrl)} ${shellQuote(ne.sha256.x86_64)} ${shellQuote(ne.sha256.aarch64)}`,
    "ensure_system_user node_exporter",
    writeFile("/etc/systemd/system/node_exporter.service", nodeExporter),
    "# --- Glowroot central ---",
    `install_glowroot_central ${shellQuote(GLOWROOT_CENTRAL.version)} ${shellQuote(GLOWROOT_CENTRAL.url)} ${shellQuote(GLOWROOT_CENTRAL.releaseApi)} ${shellQuote(GLOWROOT_CENTRAL.sha256)}`,
    "ensure_system_user glowroot",
    `install -d -m 0750 -o glowroot -g glowroot ${GLOWROOT_CONF_DIR} ${GLOWROOT_LOG_DIR}`,
    writeFile(base, glowrootProperties(ctx), "0644"),
    `write_glowroot_properties ${shellQuote(base)}`,
    writeFile("/etc/systemd/system/glowroot-central.service", unit),
    "systemctl daemon-reload",
    "systemctl enable --now node_exporter.service glowroot-central.service",
    "# Central creates or upgrades its schema in Cassandra before it listens.",
    `wait_for_tcp 127.0.0.1 ${GLOWROOT_GRPC_PORT}`,
    `log "glowroot-central listening on ${GLOWROOT_GRPC_PORT} (agents) and ${GLOWROOT_UI_PORT} (UI); metrics to ${CW_AGENT_NAMESPACE}"`,
    "",
  ].join("\n");
}
