import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { readStackFiles } from "../../config/load";
import type { RawConfig } from "../../config/validate";
import { validateStackConfig } from "../../config/validate";
import type { StackName } from "../../config/schema";
import { CliIo, main } from "../../offline/cli";
import { DigestMemo, canonicalJson, policySourcesDigest, programSourcesDigest, programSourcesStamp, programSourcesState, siblingViews } from "../../offline/cacheKey";

const REPO = path.resolve(__dirname, "../..");

describe("the plan cache's key", () => {
  describe("program and policy sources", () => {
    let root: string;
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };

    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "tila-cachekey-"));
      for (const rel of [
        "index.ts",
        "Pulumi.yaml",
        "Pulumi.prod.yaml",
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "config/load.ts",
        "components/aws/regions/me-south-1.ec2.json",
        "stacks/index.ts",
        "offline/engine.ts",
        "node_modules/x/index.js",
        "out/plan/.cache/prod.json",
        "policy/rules/x.ts",
        "policy/package-lock.json",
        "policy/config/prod.json",
        "policy/node_modules/y/index.js",
      ]) {
        write(rel, `// ${rel}\n`);
      }
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    const program = (): string => programSourcesDigest(root, path.join(root, "index.ts"));

    for (const rel of ["index.ts", "Pulumi.yaml", "package-lock.json", "package.json", "tsconfig.json", "config/load.ts", "components/aws/regions/me-south-1.ec2.json", "stacks/index.ts", "offline/engine.ts"]) {
      it(`changes with ${rel}`, () => {
        const before = program();
        write(rel, "changed\n");
        expect(program()).to.not.equal(before);
      });
    }

    it("changes when a source file is added", () => {
      const before = program();
      write("components/new.ts", "export {};\n");
      expect(program()).to.not.equal(before);
    });

    it("stamps the sources' stats in the same walk as the digest, and the stamp moves with any write, addition or removal", () => {
      const state = programSourcesState(root, path.join(root, "index.ts"));
      expect(state.digest).to.equal(program());
      expect(programSourcesStamp(root, path.join(root, "index.ts"))).to.equal(state.stamp);
      const stamp = (): string => programSourcesStamp(root, path.join(root, "index.ts"));
      const changes: [string, () => void][] = [
        ["same-size edit", () => write("config/load.ts", "// config/LOAD.ts\n")],
        ["touch", () => fs.utimesSync(path.join(root, "stacks/index.ts"), new Date(), new Date(Date.now() + 5000))],
        ["new file", () => write("components/new.ts", "export {};\n")],
        ["removed file", () => fs.rmSync(path.join(root, "offline/engine.ts"))],
      ];
      for (const [what, change] of changes) {
        const before = stamp();
        change();
        expect(stamp(), what).to.not.equal(before);
      }
      const settled = stamp();
      write("node_modules/x/index.js", "changed\n");
      write("Pulumi.prod.yaml", "changed\n");
      expect(stamp(), "installed packages and stack files are not program sources").to.equal(settled);
    });

    for (const rel of ["Pulumi.prod.yaml", "node_modules/x/index.js", "out/plan/.cache/prod.json", "policy/rules/x.ts"]) {
      it(`is not the program's to change with ${rel} (config, installed packages, outputs, the policy pack)`, () => {
        const before = program();
        write(rel, "changed\n");
        expect(program()).to.equal(before);
      });
    }

    it("includes a fixture program's own folder", () => {
      write("test/fixtures/p/index.ts", "a");
      const digest = (): string => programSourcesDigest(root, path.join(root, "test/fixtures/p/index.ts"));
      const before = digest();
      write("test/fixtures/p/network.ts", "b");
      expect(digest()).to.not.equal(before);
    });

    for (const rel of ["policy/rules/x.ts", "policy/package-lock.json"]) {
      it(`the policy pack's changes with ${rel}`, () => {
        const before = policySourcesDigest(root);
        write(rel, "changed\n");
        expect(policySourcesDigest(root)).to.not.equal(before);
      });
    }

    it("the policy pack's leaves the per-stack config files to each stack's key", () => {
      const before = policySourcesDigest(root);
      write("policy/config/prod.json", "{}");
      write("policy/node_modules/y/index.js", "changed");
      expect(policySourcesDigest(root)).to.equal(before);
    });

    describe("digests kept across processes by the files' stats (DigestMemo)", () => {
      const memoFile = (): string => path.join(root, "memo", "sources.json");
      // Files written by the test are fresh: racyMs 0 lets them be stored, as files two seconds old are.
      const memo = (opts: ConstructorParameters<typeof DigestMemo>[1] = {}): DigestMemo => new DigestMemo(memoFile(), { racyMs: 0, ...opts });
      const state = (m?: DigestMemo): string => programSourcesState(root, path.join(root, "index.ts"), m).digest;
      type Stored = { writtenBy: string; entries: { label: string; digest: string }[] };
      const stored = (): Stored => JSON.parse(fs.readFileSync(memoFile(), "utf8")) as Stored;
      /** Replaces every stored digest: a later answer of "forged" came from the memo, not from the files. */
      const forge = (): void => {
        const doc = stored();
        fs.writeFileSync(memoFile(), JSON.stringify({ ...doc, entries: doc.entries.map((e) => ({ ...e, digest: "forged" })) }));
      };

      it("stores the digest the files give, and answers it for the same stats without reading a file", () => {
        expect(state(memo())).to.equal(program());
        expect(stored().entries.map((e) => e.label)).to.deep.equal([`program ${root} ${path.join(root, "index.ts")}`]);
        forge();
        expect(state(memo())).to.equal("forged");
        expect(policySourcesDigest(root, memo())).to.equal(policySourcesDigest(root));
        forge();
        expect(policySourcesDigest(root, memo())).to.equal("forged");
      });

      const changes: [string, () => void][] = [
        ["a same-size edit with its modification time set back", () => {
          const file = path.join(root, "config/load.ts");
          const { atime, mtime } = fs.statSync(file);
          fs.writeFileSync(file, "// config/LOAD.ts\n");
          fs.utimesSync(file, atime, mtime);
        }],
        ["a file added", () => write("components/new.ts", "export {};\n")],
        ["a file removed", () => fs.rmSync(path.join(root, "offline/engine.ts"))],
        ["a file renamed", () => fs.renameSync(path.join(root, "stacks/index.ts"), path.join(root, "stacks/main.ts"))],
      ];
      for (const [what, change] of changes) {
        it(`hashes the files again after ${what}`, () => {
          state(memo());
          forge();
          change();
          expect(state(memo())).to.equal(program()).and.not.equal("forged");
        });
      }

      it("stores nothing while a file's times are within racyMs of now (the same tick could hold another write)", () => {
        expect(state(new DigestMemo(memoFile()))).to.equal(program());
        expect(fs.existsSync(memoFile())).to.equal(false);
        const later = Date.now() + 2_000;
        expect(state(new DigestMemo(memoFile(), { now: () => later }))).to.equal(program());
        expect(stored().entries).to.have.length(1);
      });

      it("with read: false (--no-cache) hashes the files, and stores what it found", () => {
        state(memo());
        forge();
        expect(state(memo({ read: false }))).to.equal(program());
        expect(state(memo())).to.equal(program());
      });

      it("reads a damaged or foreign memo as empty, and replaces it", () => {
        for (const text of ["", "{", '{"writtenBy":"someone else","entries":[]}', '{"writtenBy":"npm run plan (source digests)","entries":[{"label":1}]}']) {
          fs.mkdirSync(path.dirname(memoFile()), { recursive: true });
          fs.writeFileSync(memoFile(), text);
          expect(state(memo()), JSON.stringify(text)).to.equal(program());
          expect(stored().entries, JSON.stringify(text)).to.have.length(1);
        }
      });

      it("keeps at most `entries` digests, the most recent first", () => {
        const m = memo({ entries: 2 });
        write("test/fixtures/a/index.ts", "a");
        write("test/fixtures/b/index.ts", "b");
        for (const p of ["index.ts", "test/fixtures/a/index.ts", "test/fixtures/b/index.ts"]) programSourcesState(root, path.join(root, p), m);
        expect(stored().entries.map((e) => e.label.split(" ")[2])).to.deep.equal([path.join(root, "test/fixtures/b/index.ts"), path.join(root, "test/fixtures/a/index.ts")]);
      });

      it("still answers when the memo cannot be written", () => {
        fs.writeFileSync(path.join(root, "memo"), "a file where the folder would be");
        expect(state(memo())).to.equal(program());
      });
    });
  });

  it("hashes objects whatever the order of their keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).to.equal(canonicalJson({ a: { c: 3, d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });

  describe("what config validation reads of the other stack files", () => {
    const files = readStackFiles(REPO).raw;
    const prodRaw = files.prod as RawConfig;
    const validate = (others: Partial<Record<StackName, RawConfig>>): unknown => validateStackConfig("prod", "me-south-1", prodRaw, others);

    it("of an environment, nothing but its network CIDR and account (the key's assumption, checked against validate.ts)", () => {
      const dev = files.dev as RawConfig;
      const network = dev.network as Record<string, unknown>;
      const stripped: RawConfig = { network: { cidr: network.cidr }, accountId: dev.accountId, services: "garbage", data: 42, region: "nowhere" };
      expect(validate({ ...files, dev: stripped })).to.deep.equal(validate(files));
      expect(validate({ ...files, dev: { ...dev, network: { ...network, cidr: network.cidr === "10.40.0.0/16" ? "10.41.0.0/16" : prodNetworkCidr() } } })).to.not.deep.equal(validate(files));
    });

    it("of an environment, for management, also its services' names and images (the repositories keep the deployed tags)", () => {
      const dev = files.dev as RawConfig;
      const services = dev.services as { catalog: { name: string; image: string }[] };
      const mgmt = (others: Partial<Record<StackName, RawConfig>>): unknown => validateStackConfig("management", "me-south-1", files.management as RawConfig, others);
      // Of the services, only their names and images; nothing of the data tier.
      const stripped: RawConfig = { ...dev, services: { catalog: services.catalog.map((s) => ({ name: s.name, image: s.image })) }, data: 42 };
      expect(mgmt({ ...files, dev: stripped })).to.deep.equal(mgmt(files));
      const retagged = { ...dev, services: { ...services, catalog: services.catalog.map((s, i) => (i === 0 ? { ...s, image: s.image.replace(/:[^:]+$/, ":9.9.9") } : s)) } };
      expect(mgmt({ ...files, dev: retagged })).to.not.deep.equal(mgmt(files));
    });

    it("the management key sees a sibling's service images; an environment's key does not", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-images-"));
      try {
        for (const s of ["management", "dev", "stage", "preprod", "prod"]) fs.copyFileSync(path.join(REPO, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const view = (stack: string): string => canonicalJson(siblingViews(stack, "tila-platform", { dirs: [dir], projectDir: dir, stacks: [] }));
        const before = { management: view("management"), dev: view("dev") };
        const text = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), text.replace("tila/checkout:1.7.5", "tila/checkout:1.7.6"));
        expect(view("management"), "management keeps the new tag: it must re-run").to.not.equal(before.management);
        expect(view("dev")).to.equal(before.dev);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    function prodNetworkCidr(): string {
      return String((prodRaw.network as Record<string, unknown>).cidr);
    }

    it("the key sees a sibling's CIDR and account but not its services", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-siblings-"));
      try {
        for (const s of ["management", "dev", "stage", "preprod", "prod"]) fs.copyFileSync(path.join(REPO, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const view = (stack: string): string => canonicalJson(siblingViews(stack, "tila-platform", { dirs: [dir], projectDir: dir, stacks: [] }));
        const prodView = view("dev");
        const devView = view("prod");
        const text = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), text.replace("tila/checkout:1.7.5", "tila/checkout:1.7.6"));
        expect(view("dev"), "a prod image is not read by dev's validation").to.equal(prodView);
        const cidr = String((parse(text) as { config: Record<string, { cidr: string }> }).config["tila-platform:network"].cidr);
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), text.replace(cidr, "10.99.0.0/16"));
        expect(view("dev")).to.not.equal(prodView);
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), text);
        const mgmt = fs.readFileSync(path.join(dir, "Pulumi.management.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.management.yaml"), mgmt + "\n  tila-platform:extra: 1\n");
        expect(view("prod"), "management is read whole").to.not.equal(devView);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe("a hot-fix re-plan of the real prod", function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tila-hotfix-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function plan(argv: string[], out: string): Promise<{ code: number; stderr: string }> {
    let stderr = "";
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, cwd: tmp };
    return { code: await main(["--out", out, ...argv], io), stderr };
  }

  it("reuses management, runs prod with the new image, and serves prod the same StackReference outputs as a fresh management", async () => {
    const out = path.join(tmp, "plan");
    const hotfix = path.join(tmp, "Pulumi.prod.yaml");
    const text = fs.readFileSync(path.join(REPO, "Pulumi.prod.yaml"), "utf8");
    fs.writeFileSync(hotfix, text.replace("tila/checkout:1.7.5", "tila/checkout:1.7.6"));
    // The hot fix planned from nothing: management and prod both run.
    const fresh = await plan(["--stack", "prod", "--config", hotfix, "--no-cache"], out);
    expect(fresh.code, fresh.stderr).to.equal(0);
    const resources = fs.readFileSync(path.join(out, "prod", "resources.json"), "utf8");
    expect(resources).to.contain("tila/checkout:1.7.6").and.not.contain("tila/checkout:1.7.5");
    const count = /prod \.\.\. (\d+) resources in /.exec(fresh.stderr)?.[1];
    expect(count, fresh.stderr).to.be.a("string");
    // prod as committed (1.7.5), then the hot fix again: management is taken from the cache both times.
    const management = path.join(out, ".cache", "management.json");
    fs.utimesSync(management, new Date(0), new Date(0));
    const committed = await plan(["--stack", "prod"], out);
    expect(committed.code, committed.stderr).to.equal(0);
    expect(fs.readFileSync(path.join(out, "prod", "resources.json"), "utf8")).to.contain("tila/checkout:1.7.5");
    const second = await plan(["--stack", "prod", "--config", hotfix], out);
    expect(fs.statSync(management).mtimeMs, "management was reused, not run and stored again").to.equal(0);
    expect(second.code, second.stderr).to.equal(0);
    // The same prod as the fresh run (the count is whatever prod has today): the cached management served the same outputs.
    expect(second.stderr).to.match(new RegExp(`^\\[1/1\\] prod \\.\\.\\. ${count} resources in `, "m"));
    expect(fs.readFileSync(path.join(out, "prod", "resources.json"), "utf8")).to.equal(resources);
    const third = await plan(["--stack", "prod", "--config", hotfix], out);
    expect(third.stderr).to.match(new RegExp(`^\\[1/1\\] prod \\.\\.\\. reused \\(unchanged\\), ${count} resources$`, "m"));
  });
});
