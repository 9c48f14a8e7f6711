import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { renderBootstrap, shellQuote } from "../../components/data/bootstrap";
import { COMMON_FUNCTIONS, SECRET_FUNCTIONS, SECRET_READER_FUNCTIONS, SERVICE_SECRET_FUNCTIONS } from "../../components/data/bootstrap/common";
import { ARN, bash, ctxFor, requireTool, requireToolLazy } from "./bootstrapHarness";

describe("renderBootstrap", function () {
  this.timeout(120000);

  describe("secrets", () => {
    for (const engine of ["mongodb", "couchbase", "arangodb"] as const) {
      it(`${engine}: embeds only the secret's ARN and reads the value at boot with the instance role`, () => {
        const script = renderBootstrap(ctxFor(engine, 3, 0));
        expect(script.split(ARN).length - 1).to.equal(1);
        expect(script).to.contain(`readonly TILA_ADMIN_SECRET_ARN='${ARN}'`);
        expect(script).to.contain("aws secretsmanager get-secret-value");
        expect(script).to.contain("read_admin_secret");
      });
    }

    it("engines without an admin user never read a secret, even when given an ARN", () => {
      const script = renderBootstrap(ctxFor("zookeeper", 3, 0, { adminSecretArn: ARN }));
      expect(script).to.not.contain(ARN);
      expect(script).to.not.contain("get-secret-value");
    });

    it("never prints the secret value, removes the fetched copy and derives stable per-purpose keys", () => {
      requireTool("jq");
      const dir = mkdtempSync(join(tmpdir(), "tila-secret-"));
      try {
        const password = `S3cr3t-'"$(reboot)-value`;
        writeFileSync(join(dir, "secret.json"), JSON.stringify({ username: "tila-admin", password }));
        const harness = [
          "set -euo pipefail",
          `aws() { cat ${shellQuote(join(dir, "secret.json"))}; }`,
          "TILA_ENGINE=mongodb TILA_CLUSTER=orders TILA_REGION=me-south-1",
          `TILA_ADMIN_SECRET_ARN=${shellQuote(ARN)} TILA_RUN_DIR=${shellQuote(dir)}`,
          COMMON_FUNCTIONS,
          SECRET_FUNCTIONS,
          "read_admin_secret",
          'a="$(derive_key mongodb-keyfile)"; b="$(derive_key mongodb-keyfile)"; c="$(derive_key arangodb-jwt)"',
          '[[ "${a}" == "${b}" && "${a}" != "${c}" && "${a}" =~ ^[0-9a-f]{64}$ ]] || { echo "bad keys" >&2; exit 3; }',
          `[[ "\${ADMIN_PASSWORD}" == ${shellQuote(password)} ]] || { echo "password not read" >&2; exit 4; }`,
          `[[ ! -e ${shellQuote(join(dir, "admin.json"))} ]] || { echo "secret copy left behind" >&2; exit 5; }`,
        ].join("\n");
        const r = bash(harness);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout + r.stderr).to.contain("admin secret read for user tila-admin");
        expect(r.stdout + r.stderr).to.not.contain("S3cr3t");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it("reads a service's own secret the same way, and names that secret when it is incomplete", () => {
      requireTool("jq");
      const dir = mkdtempSync(join(tmpdir(), "tila-svc-secret-"));
      try {
        const service = "arn:aws:secretsmanager:me-south-1:111111111111:secret:tila/dev/mongodb-orders-Xy12Zw";
        const run = (secret: object) => {
          writeFileSync(join(dir, "secret.json"), JSON.stringify(secret));
          return bash(
            [
              "set -euo pipefail",
              `aws() { cat ${shellQuote(join(dir, "secret.json"))}; }`,
              "sleep() { :; }",
              `TILA_ENGINE=mongodb TILA_REGION=me-south-1 TILA_RUN_DIR=${shellQuote(dir)}`,
              COMMON_FUNCTIONS,
              SECRET_READER_FUNCTIONS,
              SERVICE_SECRET_FUNCTIONS,
              `read_service_secret ${shellQuote(service)}`,
              '[[ "${SVC_USER}" == orders && "${SVC_PASSWORD}" == "Svc-p4ss" && -z "${SECRET_PASSWORD}" ]] || { echo "not read" >&2; exit 3; }',
              `[[ ! -e ${shellQuote(join(dir, "service.json"))} ]] || { echo "secret copy left behind" >&2; exit 5; }`,
            ].join("\n"),
          );
        };
        const ok = run({ username: "orders", password: "Svc-p4ss" });
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stdout + ok.stderr).to.not.contain("Svc-p4ss");
        const bad = run({ username: "orders" });
        expect(bad.status).to.not.equal(0);
        expect(bad.stdout + bad.stderr).to.contain(`the service secret ${service} has no password`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("data volume", () => {
    requireToolLazy("bash");

    /** Runs prepare_data_volume with blkid/mkfs/mount replaced by recorders; returns the record. */
    function prepare(blkidProbeExit: number, fsType: string, runs = 1): { status: number; calls: string; fstab: string; output: string } {
      const dir = mkdtempSync(join(tmpdir(), "tila-volume-"));
      try {
        writeFileSync(join(dir, "fstab"), "UUID=root-uuid / xfs defaults 0 0\n");
        const state = join(dir, "formatted");
        const harness = [
          "set -euo pipefail",
          `TILA_ENGINE=test TILA_FSTAB=${shellQuote(join(dir, "fstab"))} TILA_MOUNT_POINT=${shellQuote(join(dir, "data"))}`,
          COMMON_FUNCTIONS,
          `calls=${shellQuote(join(dir, "calls"))}`,
          "blkid() {",
          `  if [[ "$1" == "-p" && "$#" -eq 2 ]]; then [[ -e ${shellQuote(state)} ]] && return 0; return ${blkidProbeExit}; fi`,
          `  case "$*" in *TYPE*) echo ${shellQuote(fsType)} ;; *UUID*) echo 1111-2222 ;; esac`,
          "}",
          `mkfs.xfs() { echo "mkfs $*" >>"\${calls}"; touch ${shellQuote(state)}; }`,
          "mountpoint() { return 1; }",
          'mount() { echo "mount $*" >>"${calls}"; }',
          ...Array.from({ length: runs }, () => 'prepare_data_volume /dev/nvme1n1'),
        ].join("\n");
        const r = bash(harness);
        const read = (f: string) => {
          try {
            return readFileSync(join(dir, f), "utf8");
          } catch {
            return "";
          }
        };
        return { status: r.status, calls: read("calls"), fstab: read("fstab"), output: r.stdout + r.stderr };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it("formats a blank volume with XFS and mounts it by UUID with nofail", () => {
      const r = prepare(2, "xfs");
      expect(r.status, r.output).to.equal(0);
      expect(r.calls).to.contain("mkfs -L tila-data /dev/nvme1n1");
      expect(r.fstab).to.match(/^UUID=1111-2222 \S+\/data xfs defaults,noatime,nofail,/m);
      expect(r.calls).to.match(/^mount \S+\/data$/m);
    });

    it("never reformats a volume that already has XFS, and adds its fstab line only once across re-runs", () => {
      const r = prepare(0, "xfs", 2);
      expect(r.status, r.output).to.equal(0);
      expect(r.calls).to.not.contain("mkfs");
      expect(r.fstab.match(/UUID=1111-2222/g)).to.have.length(1);
    });

    it("refuses a volume holding another filesystem instead of formatting it", () => {
      const r = prepare(0, "ext4");
      expect(r.status).to.not.equal(0);
      expect(r.output).to.contain("not XFS; refusing");
      expect(r.calls).to.not.contain("mkfs");
    });

    it("refuses to format when blkid cannot probe the device", () => {
      const r = prepare(4, "");
      expect(r.status).to.not.equal(0);
      expect(r.output).to.contain("refusing to format");
      expect(r.calls).to.not.contain("mkfs");
    });
  });
});
