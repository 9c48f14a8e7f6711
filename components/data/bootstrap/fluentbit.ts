/**
 * Fluent Bit on a data node (docs/observability-logging.md#data-nodes-fluent-bit): the bootstrap
 * step that installs the pinned package from its publisher's repository (the signing key trusted only
 * at its documented fingerprint) and ships the system journal, the bootstrap log and the engine's own
 * log files (declared beside each engine as its EngineLogs) to Graylog as GELF over TLS, the
 * certificate verified against the name it is reached by. Records are buffered on disk, so Graylog
 * being away loses nothing until the buffer's bound. Rendered only for a context with `logShipping`.
 */
import { LOG_FIELDS, LogShippingTarget } from "../../observability/logging/graylogPlan";
import { AEROSPIKE_LOGS } from "./aerospike";
import { arangodbLogs } from "./arangodb";
import { CASSANDRA_LOGS } from "./cassandra";
import { BOOTSTRAP_LOG } from "./common";
import { COUCHBASE_LOGS } from "./couchbase";
import { KAFKA_LOGS } from "./kafka";
import { MONGODB_LOGS } from "./mongodb";
import { sh, shellQuote, writeFile } from "./shell";
import { SOLR_LOGS } from "./solr";
import { BootstrapContext, EngineLogs } from "./types";
import { VERSIONS } from "./versions";
import { ZOOKEEPER_LOGS } from "./zookeeper";

/** The `log_kind` of everything a data node ships. */
export const DATA_NODE_LOG_KIND = "data-node";

/** Each engine's own logs, as its bootstrap writes them. */
export const ENGINE_LOGS: Readonly<Record<BootstrapContext["engine"], (ctx: BootstrapContext) => EngineLogs>> = {
  arangodb: arangodbLogs,
  mongodb: () => MONGODB_LOGS,
  aerospike: () => AEROSPIKE_LOGS,
  couchbase: () => COUCHBASE_LOGS,
  solr: () => SOLR_LOGS,
  kafka: () => KAFKA_LOGS,
  zookeeper: () => ZOOKEEPER_LOGS,
  cassandra: () => CASSANDRA_LOGS,
};

/** Where the step puts things; the tests run it under bash against a temporary tree. */
export interface FluentBitPaths {
  /** The package's configuration directory; its unit runs `fluent-bit -c <confDir>/fluent-bit.conf`. */
  readonly confDir: string;
  /** Read positions (journal cursor, file offsets) and the filesystem buffer. */
  readonly stateDir: string;
  readonly repoFile: string;
  /** Where the verified repository key is kept; the repository names it by file:// URL. */
  readonly keyFile: string;
  readonly binary: string;
  /** The system CA bundle: the load balancer's ACM certificate chains to Amazon Trust Services. */
  readonly caFile: string;
}

export const FLUENT_BIT_PATHS: FluentBitPaths = Object.freeze({
  confDir: "/etc/fluent-bit",
  stateDir: "/var/lib/fluent-bit",
  repoFile: "/etc/yum.repos.d/fluent-bit.repo",
  keyFile: "/etc/pki/rpm-gpg/RPM-GPG-KEY-fluent-bit",
  binary: "/opt/fluent-bit/bin/fluent-bit",
  caFile: "/etc/pki/tls/certs/ca-bundle.crt",
});

/** How much the output may hold on disk while Graylog is away (oldest chunks are dropped beyond it); the root volume is 30 GiB. */
export const FLUENT_BIT_BUFFER_LIMIT = "2G";
/** How much each input may hold in memory before new records go to the disk buffer only. */
export const FLUENT_BIT_MEMORY_LIMIT = "16M";

/** One classic-mode section: `[NAME]` and its `Key Value` lines, aligned. */
function section(name: string, entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)} ${v}`)].join("\n");
}

/** The regular expression a grep filter excludes these systemd units by. */
export function unitPattern(units: readonly string[]): string {
  return `^(${units.map((u) => u.replace(/[.]/g, "\\.")).join("|")})$`;
}

/**
 * fluent-bit.conf for `ctx` shipping to `target`: the journal (unit names as `systemd_unit`, the
 * message as `message`, its syslog priority as GELF's level), the bootstrap log and the engine's
 * files (each record's file as `file`), every record tagged with the LOG_FIELDS of a data node, out
 * through one GELF output over TLS with the certificate and its host name verified. Pure.
 */
export function fluentBitConfig(ctx: BootstrapContext, target: LogShippingTarget, paths: FluentBitPaths = FLUENT_BIT_PATHS): string {
  const logs = ENGINE_LOGS[ctx.engine](ctx);
  const state = paths.stateDir;
  const buffered: [string, string][] = [["storage.type", "filesystem"], ["Mem_Buf_Limit", FLUENT_BIT_MEMORY_LIMIT]];
  const tail = (tag: string, files: readonly string[], db: string, java: boolean): string => section("INPUT", [
    ["Name", "tail"],
    ["Tag", tag],
    ["Path", files.join(",")],
    ["Path_Key", "file"],
    ["DB", `${state}/${db}`],
    // Positions live in the DB: a restart resumes where it stopped, a new file is read from its first line.
    ["Read_from_Head", "On"],
    ["Refresh_Interval", "10"],
    ["Skip_Long_Lines", "On"],
    ["Buffer_Max_Size", "1M"],
    ...(java ? [["multiline.parser", "java"] as [string, string]] : []),
    ...buffered,
  ]);
  const parts = [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    section("SERVICE", [
      ["Flush", "5"],
      ["Daemon", "Off"],
      ["Log_Level", "info"],
      ["HTTP_Server", "Off"],
      ["storage.path", `${state}/buffer/`],
      ["storage.sync", "normal"],
      ["storage.checksum", "On"],
      ["storage.max_chunks_up", "64"],
      ["storage.backlog.mem_limit", FLUENT_BIT_MEMORY_LIMIT],
    ]),
    section("INPUT", [
      ["Name", "systemd"],
      ["Tag", "journal"],
      ["DB", `${state}/journal.db`],
      // With the cursor in the DB, only the very first start reads the journal from its beginning (this boot).
      ["Read_From_Tail", "Off"],
      ["Lowercase", "On"],
      ["Strip_Underscores", "On"],
      ...buffered,
    ]),
    tail("file.bootstrap", [BOOTSTRAP_LOG], "bootstrap.db", false),
  ];
  if (logs.files.length > 0) parts.push(tail(`file.${ctx.engine}`, logs.files, "engine.db", logs.javaStackTraces));
  if (logs.consoleRepeatsFiles.length > 0) {
    parts.push(section("FILTER", [["Name", "grep"], ["Match", "journal"], ["Exclude", `systemd_unit ${unitPattern(logs.consoleRepeatsFiles)}`]]));
  }
  parts.push(
    section("FILTER", [["Name", "modify"], ["Match", "file.*"], ["Rename", "log message"]]),
    section("FILTER", [
      ["Name", "modify"],
      ["Match", "*"],
      ["Set", `${LOG_FIELDS.environment} ${ctx.environment}`],
      ["Set", `${LOG_FIELDS.kind} ${DATA_NODE_LOG_KIND}`],
      ["Set", `${LOG_FIELDS.cluster} ${ctx.clusterName}`],
      ["Set", `${LOG_FIELDS.node} ${ctx.selfDnsName}`],
      ["Set", `host ${ctx.selfDnsName}`],
    ]),
    section("OUTPUT", [
      ["Name", "gelf"],
      ["Match", "*"],
      ["Host", target.host],
      ["Port", String(target.port)],
      ["Mode", "tls"],
      ["tls", "On"],
      ["tls.verify", "On"],
      ["tls.verify_hostname", "On"],
      ["tls.vhost", target.host],
      ["tls.ca_file", paths.caFile],
      ["Gelf_Short_Message_Key", "message"],
      ["Gelf_Host_Key", "host"],
      ["Gelf_Level_Key", "priority"],
      // Retried until delivered; the disk buffer, not a retry count, bounds what an outage can cost.
      ["Retry_Limit", "no_limits"],
      ["storage.total_limit_size", FLUENT_BIT_BUFFER_LIMIT],
    ]),
  );
  return `${parts.join("\n\n")}\n`;
}

/** The yum repository, its metadata and packages checked against the verified key only. */
export function fluentBitRepo(paths: FluentBitPaths = FLUENT_BIT_PATHS): string {
  const v = VERSIONS.fluentBit;
  return [
    "[fluent-bit]",
    "name=Fluent Bit",
    `baseurl=${v.repoBaseUrl}`,
    "gpgcheck=1",
    "repo_gpgcheck=1",
    `gpgkey=file://${paths.keyFile}`,
    "enabled=1",
    "",
  ].join("\n");
}

/**
 * key_fingerprint FILE: the fingerprint of the one primary key in FILE; fails when it holds none or
 * several. install_fluent_bit VERSION KEY_URL FINGERPRINT KEY_FILE: unless that version is installed,
 * downloads the repository key, keeps it only at the pinned fingerprint, imports it and installs the
 * package (dnf checks its signature and the repository's against that key).
 */
export const FLUENT_BIT_FUNCTIONS = sh`
key_fingerprint() {
  local home="\${TILA_RUN_DIR}/gnupg" fprs
  install -d -m 0700 "\${home}"
  fprs="$(GNUPGHOME="\${home}" gpg --batch --with-colons --show-keys "$1" | awk -F: '$1 == "pub" { p = 1; next } $1 == "fpr" && p { print $10; p = 0 }')" || return 1
  [[ -n "\${fprs}" && "\${fprs}" != *$'\n'* ]] || return 1
  printf '%s\n' "\${fprs}"
}

install_fluent_bit() {
  local v="$1" key_url="$2" want="$3" key="$4" got installed
  if ! rpm -q "fluent-bit-\${v}" >/dev/null 2>&1; then
    retry 5 10 curl -fsSL -o "\${TILA_RUN_DIR}/fluentbit.key" "\${key_url}" || die "cannot download \${key_url}"
    got="$(key_fingerprint "\${TILA_RUN_DIR}/fluentbit.key")" || die "\${key_url} does not hold exactly one public key"
    [[ "\${got}" == "\${want}" ]] || die "the key at \${key_url} has fingerprint \${got}, pinned \${want}"
    install -D -m 0644 "\${TILA_RUN_DIR}/fluentbit.key" "\${key}"
    rpm --import "\${key}" || die "rpm could not import \${key}"
    retry 5 10 dnf install -y "fluent-bit-\${v}" || die "cannot install fluent-bit \${v} from packages.fluentbit.io"
  fi
  installed="$(rpm -q "fluent-bit-\${v}")" || die "fluent-bit \${v} is not installed"
  log "installed \${installed}"
}
`.trim();

/**
 * The step every shipping node runs after its monitoring and before its engine, so the engine's
 * first lines are shipped too. Empty without `logShipping`.
 */
export function fluentBitSection(ctx: BootstrapContext, paths: FluentBitPaths = FLUENT_BIT_PATHS): string {
  const target = ctx.logShipping;
  if (!target) return "";
  const v = VERSIONS.fluentBit;
  const conf = `${paths.confDir}/fluent-bit.conf`;
  return [
    FLUENT_BIT_FUNCTIONS,
    "",
    `# --- Logs: Fluent Bit to Graylog at ${target.host}:${target.port} ---`,
    writeFile(paths.repoFile, fluentBitRepo(paths)),
    `install_fluent_bit ${shellQuote(v.version)} ${shellQuote(v.gpgKeyUrl)} ${shellQuote(v.gpgFingerprint)} ${shellQuote(paths.keyFile)}`,
    `install -d -m 0700 ${shellQuote(paths.stateDir)} ${shellQuote(`${paths.stateDir}/buffer`)}`,
    writeFile(conf, fluentBitConfig(ctx, target, paths)),
    `${shellQuote(paths.binary)} --dry-run -c ${shellQuote(conf)} >/dev/null || die "fluent-bit refuses ${conf}"`,
    "systemctl enable fluent-bit.service",
    "# A re-run may have rewritten the configuration: restart rather than start.",
    "systemctl restart fluent-bit.service",
    `log "fluent-bit ships the journal and the ${ctx.engine} logs to ${target.host}:${target.port} over TLS"`,
  ].join("\n");
}
