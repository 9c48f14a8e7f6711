/**
 * The Graylog server release every node installs, pinned in one place: the package version, the
 * repository it comes from and the key dnf checks each package's signature against
 * (docs/observability-logging.md#graylog-node-bootstrap). Pure data.
 *
 * Sources, checked when pinned:
 * - 6.3.15 is the newest 6.x release tag of Graylog2/graylog2-server (5 Aug 2026, beside 7.0.12 and
 *   7.1.7); its sample graylog.conf and Configuration.java give the server.conf keys used here.
 * - The repository is the one Graylog's repository package writes (Graylog2/fpm-recipes,
 *   recipes/graylog-repository/recipe.rb: baseurl `https://downloads.graylog.org/repo/el/stable/<major.minor>/$basearch/`,
 *   gpgcheck=1, repo_gpgcheck=0, key /etc/pki/rpm-gpg/RPM-GPG-KEY-graylog), and that Graylog's
 *   Puppet module (Graylog2/puppet-graylog, manifests/repository.pp) configures for RedHat.
 * - The key is Graylog's packaging key as both of those repositories ship it, byte for byte
 *   (files/rpm/RPM-GPG-KEY-graylog, SHA-256 below; fingerprint 28AB 6EB5 7277 9C2A D196 BE22
 *   D44C 1D8D B160 6F22). Since 5.0 the packages are signed with it over SHA-256, which RHEL 9
 *   family systems accept (Graylog2/graylog2-server#13993).
 * - The package `graylog-server` bundles its JVM (OpenJDK 17) in /usr/share/graylog-server/jvm,
 *   which its start script uses when JAVA is unset (fpm-recipes, recipes/graylog-server), so no
 *   Java package is installed.
 *
 * Upgrading: change `series` and `version` together (and the key only if Graylog publishes a new
 * one), then replace the nodes one at a time (docs/observability-logging.md).
 */

export const GRAYLOG_SERVER = {
  /** The repository's major.minor directory. */
  series: "6.3",
  /** The exact package version dnf installs and the script checks (`rpm -q --qf %{VERSION}`). */
  version: "6.3.15",
  package: "graylog-server",
  repoBaseUrl: "https://downloads.graylog.org/repo/el/stable/6.3/$basearch/",
  /** rpm names an imported key `gpg-pubkey-<last 8 hex digits of its key id>`. */
  gpgKeyId: "b1606f22",
  gpgKeyFingerprint: "28AB6EB572779C2AD196BE22D44C1D8DB1606F22",
  /** SHA-256 of `gpgKey` plus its final newline, as Graylog's repositories ship the file. */
  gpgKeySha256: "da505fa3d650b6983bd829572673c80e91dfa3c738534ebdde41f882433fcde0",
  gpgKey: [
    "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    "Version: GnuPG v1",
    "",
    "mQENBFOPNl0BCADchW1E+WBds4CV+PMowuPn6yWdVIStj3+JcNxML8Bo8J1NtbLw",
    "GI4iPHNP9KiPROFfLRmARLF7d3/AtGoXh8BaTKjkJCBtBq/uQbmvcJojASpMg+/P",
    "7Ot2f+V8KGiTiOCsLcWKvxa6AIwHWatqclBZhmUgPzAGKQfXBd/7v0w+H07nMAzb",
    "RlJbJ/v8LYQloXaqaGXJduYBrzJ0l7g+lKJXs4A9TEMazO7dwlxE0v0YSL+fsKRx",
    "axo/Vyu1okkw0njR2wnB4xUtnPeJmdfumm5+4eMIV0pgBUYRCIbbiybjF88HLH3c",
    "KdOHi7LXkhvqP+niwn5N/wvtWNEJpZ4wbhYhABEBAAG0HlRPUkNIIEdtYkggPHBh",
    "Y2thZ2VzQHRvcmNoLnNoPokBOAQTAQIAIgUCU482XQIbAwYLCQgHAwIGFQgCCQoL",
    "BBYCAwECHgECF4AACgkQ1EwdjbFgbyILuwf/TyqXT/hahK1z/M/LPwmHoLxi8OTA",
    "fvk907WSQJ71GM9H0HsJRUtsNVGDu/tmRdIDl04vWDZS0Y39SF6aopOtYc1py3lS",
    "CcPrPLYtmCiRRMXuENp2K9Uo9RlDnM18M0WpZp7UYhYEX7JjM4IXm396+rPEM+Ia",
    "voJ3VHEq1er6eDhA7sLiRPHKOn92XYfnLRcY7Q+KsOAtzunpGEsycwu39yXeEFR1",
    "DnCw6Ym13dvtfbR138fbIfoQ+RxwexcJ4Fo6SyKdYMlMgjGYmyJcLRWvdNkDIP9p",
    "B0pRn/8zEuxqCN77Pbx7rlLTqXa1XAPsBI6NbA/kvdWl0MDZ+mzSYKFlZQ==",
    "=+gAB",
    "-----END PGP PUBLIC KEY BLOCK-----",
  ].join("\n"),
} as const;

/** Where the key and the repository definition go on the node. */
export const GRAYLOG_GPG_KEY_PATH = "/etc/pki/rpm-gpg/RPM-GPG-KEY-graylog";
export const GRAYLOG_REPO_PATH = "/etc/yum.repos.d/graylog.repo";

/** The .repo file: package signatures checked against the key above; Graylog does not sign its repository metadata. */
export function graylogRepoFile(): string {
  return [
    "[graylog]",
    `name=Graylog ${GRAYLOG_SERVER.series}`,
    `baseurl=${GRAYLOG_SERVER.repoBaseUrl}`,
    "enabled=1",
    "gpgcheck=1",
    "repo_gpgcheck=0",
    `gpgkey=file://${GRAYLOG_GPG_KEY_PATH}`,
    "",
  ].join("\n");
}
