/**
 * Shared steps for the Apache services (ZooKeeper, Kafka, Solr): Java from the AL2023 repos and
 * release tarballs from archive.apache.org, verified against SHA-512 before anything is unpacked.
 */
import { sh, shellQuote } from "./shell";
import { BootstrapContext } from "./types";
import { parseZookeeperConnect } from "./validate";
import { VERSIONS } from "./versions";

export const APACHE_FUNCTIONS = sh`
install_java() {
  retry 5 10 dnf install -y "$1" || die "dnf could not install $1"
}

# Prints the SHA-512 in an Apache .sha512 file, whichever of its two layouts it uses
# ("<hash>  <file>" or gpg's "<file>: <HASH IN GROUPS>" over several lines).
published_sha512() {
  tr -d '[:space:]' <"$1" | sed 's/^[^:]*://' | tr 'A-F' 'a-f' | grep -oE '[0-9a-f]{128}' | head -n 1
}

# apache_install NAME VERSION URL PINNED_SHA512: unpacks a verified release into /opt/NAME-VERSION
# and points /opt/NAME at it. Skipped when that version is already unpacked.
apache_install() {
  local name="$1" version="$2" url="$3" pinned="$4"
  local dest="/opt/\${name}-\${version}" archive="\${TILA_RUN_DIR}/\${url##*/}" published actual
  if [[ ! -d "\${dest}" ]]; then
    retry 5 10 curl -fsSL -o "\${archive}" "\${url}" || die "cannot download \${url}"
    retry 5 10 curl -fsSL -o "\${archive}.sha512" "\${url}.sha512" || die "cannot download \${url}.sha512"
    published="$(published_sha512 "\${archive}.sha512" || true)"
    actual="$(sha512sum "\${archive}" | cut -d ' ' -f 1)"
    [[ -n "\${published}" ]] || die "no SHA-512 found in \${url}.sha512"
    [[ "\${actual}" == "\${published}" ]] || die "SHA-512 of \${url} is \${actual}, Apache publishes \${published}"
    if [[ -n "\${pinned}" && "\${actual}" != "\${pinned}" ]]; then
      die "SHA-512 of \${url} is \${actual}, pinned \${pinned}"
    fi
    install -d -m 0755 "\${dest}"
    tar -xzf "\${archive}" -C "\${dest}" --strip-components=1
    rm -f "\${archive}" "\${archive}.sha512"
    log "installed \${name} \${version} from \${url} (SHA-512 verified)"
  fi
  ln -sfn "\${dest}" "/opt/\${name}"
}
`.trim();

/** The install lines for one Apache product, from the pins in versions.ts. */
export function apacheInstall(name: "zookeeper" | "kafka" | "solr"): string {
  const v = VERSIONS[name];
  return [
    `install_java ${shellQuote(VERSIONS.javaPackage)}`,
    `apache_install ${name} ${shellQuote(v.version)} ${shellQuote(v.url)} ${shellQuote(v.sha512)}`,
  ].join("\n");
}

/**
 * The ZooKeeper connect string with a chroot: the given one, or /<clusterName> when it has none,
 * so clusters sharing an ensemble never see each other's znodes.
 */
export function zookeeperConnectWithChroot(ctx: BootstrapContext): string {
  const zk = ctx.zookeeperConnect as string;
  return parseZookeeperConnect(zk)?.chroot ? zk : `${zk}/${ctx.clusterName}`;
}
