/**
 * Aerospike Community node: mesh heartbeat seeded with every peer's DNS name (a node listed in its
 * own seed list ignores itself), rack-id from the AZ so replicas land in different AZs, and
 * replication-factor 2. Data lives in a file on the XFS data volume.
 */
import { aerospikeExporterSection } from "./exporters";
import { shellQuote, writeFile } from "./shell";
import { BootstrapContext, EngineLogs } from "./types";
import { azIndexOf } from "./validate";
import { VERSIONS } from "./versions";

export const AEROSPIKE_NAMESPACE = "tila";
export const AEROSPIKE_REPLICATION_FACTOR = 2;
const FILESIZE_PLACEHOLDER = "@TILA_FILESIZE@";
export const AEROSPIKE_LOG = "/var/log/aerospike/aerospike.log";
/** asd writes to the file of its `logging` stanza only (no console sink is configured). */
export const AEROSPIKE_LOGS: EngineLogs = { files: [AEROSPIKE_LOG], javaStackTraces: false, consoleRepeatsFiles: [] };

/**
 * rack-id = AZ letter index + 1 ("a" -> 1). Rack 0 is Aerospike's default for nodes without a
 * rack; keeping it unused makes a node that lost its rack-id stand out.
 */
export function aerospikeRackId(ctx: BootstrapContext): number {
  return (azIndexOf(ctx.az, ctx.region) as number) + 1;
}

export function aerospikeConf(ctx: BootstrapContext): string {
  const dataFile = `${ctx.mountPoint}/aerospike/${AEROSPIKE_NAMESPACE}.dat`;
  return [
    "# Managed by the Tila bootstrap; rewritten on every run.",
    "service {",
    `    cluster-name ${ctx.clusterName}`,
    "    proto-fd-max 15000",
    "}",
    "logging {",
    `    file ${AEROSPIKE_LOG} {`,
    "        context any info",
    "    }",
    "}",
    "network {",
    "    service {",
    "        address any",
    "        port 3000",
    "    }",
    "    heartbeat {",
    "        mode mesh",
    "        port 3002",
    ...ctx.peerDnsNames.map((peer) => `        mesh-seed-address-port ${peer} 3002`),
    // Aerospike's recommendation for cloud networks.
    "        interval 150",
    "        timeout 20",
    "    }",
    "    fabric {",
    "        port 3001",
    "    }",
    "}",
    `namespace ${AEROSPIKE_NAMESPACE} {`,
    `    replication-factor ${AEROSPIKE_REPLICATION_FACTOR}`,
    `    rack-id ${aerospikeRackId(ctx)}`,
    "    default-ttl 0",
    "    storage-engine device {",
    `        file ${dataFile}`,
    `        filesize ${FILESIZE_PLACEHOLDER}`,
    "    }",
    "}",
    "",
  ].join("\n");
}

export function aerospikeSection(ctx: BootstrapContext): string {
  const v = VERSIONS.aerospike;
  const dir = `${ctx.mountPoint}/aerospike`;
  return [
    "# --- Aerospike ---",
    `readonly AEROSPIKE_VERSION=${shellQuote(v.version)}`,
    "# The bundle is per architecture: aarch64 on Graviton, x86_64 elsewhere.",
    `readonly AEROSPIKE_BUNDLE="aerospike-server-community_\${AEROSPIKE_VERSION}_tools-${v.toolsVersion}_${v.distro}_\${TILA_ARCH}"`,
    `readonly AEROSPIKE_URL="${v.baseUrl}/\${AEROSPIKE_VERSION}/\${AEROSPIKE_BUNDLE}.tgz"`,
    'if ! rpm -q "aerospike-server-community-${AEROSPIKE_VERSION}" >/dev/null 2>&1; then',
    '  retry 5 10 curl -fsSL -o "${TILA_RUN_DIR}/aerospike.tgz" "${AEROSPIKE_URL}" ||',
    '    die "no Aerospike ${AEROSPIKE_VERSION} bundle for ${TILA_ARCH} at ${AEROSPIKE_URL}"',
    '  retry 5 10 curl -fsSL -o "${TILA_RUN_DIR}/aerospike.tgz.sha256" "${AEROSPIKE_URL}.sha256" || die "cannot download ${AEROSPIKE_URL}.sha256"',
    '  expected="$(grep -oE \'[0-9a-f]{64}\' "${TILA_RUN_DIR}/aerospike.tgz.sha256" | head -n 1 || true)"',
    '  actual="$(sha256sum "${TILA_RUN_DIR}/aerospike.tgz" | cut -d \' \' -f 1)"',
    '  [[ -n "${expected}" && "${actual}" == "${expected}" ]] || die "SHA-256 of ${AEROSPIKE_URL} is ${actual}, Aerospike publishes ${expected}"',
    '  install -d "${TILA_RUN_DIR}/aerospike"',
    '  tar -xzf "${TILA_RUN_DIR}/aerospike.tgz" -C "${TILA_RUN_DIR}/aerospike" --strip-components=1',
    '  (cd "${TILA_RUN_DIR}/aerospike" && ./asinstall) || die "asinstall failed"',
    "fi",
    `install -d -m 0750 ${shellQuote(dir)} /var/log/aerospike`,
    "if id -u aerospike >/dev/null 2>&1; then",
    `  chown aerospike:aerospike ${shellQuote(dir)} /var/log/aerospike`,
    "fi",
    "# The data file's size is fixed on first boot (80% of the volume): Aerospike cannot shrink it later.",
    `if [[ ! -f ${shellQuote(`${dir}/filesize`)} ]]; then`,
    `  volume_gb="$(df --output=size -BG ${shellQuote(ctx.mountPoint)} | tail -n 1 | tr -dc '0-9')"`,
    `  echo "$((volume_gb * 8 / 10))G" >${shellQuote(`${dir}/filesize`)}`,
    "fi",
    `filesize="$(cat ${shellQuote(`${dir}/filesize`)})"`,
    writeFile("/etc/aerospike/aerospike.conf", aerospikeConf(ctx)),
    `sed -i "s/${FILESIZE_PLACEHOLDER}/\${filesize}/" /etc/aerospike/aerospike.conf`,
    "systemctl daemon-reload",
    "systemctl enable --now aerospike.service",
    "wait_for_tcp 127.0.0.1 3000",
    `log "aerospike node up in rack ${aerospikeRackId(ctx)}, meshing with \${#TILA_PEERS[@]} seeds"`,
    aerospikeExporterSection(),
  ].join("\n");
}
