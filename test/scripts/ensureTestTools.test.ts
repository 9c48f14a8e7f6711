import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TEST_TOOLS, ToolHost, ensureTestTools, installCommand, toolsNamed } from "../../scripts/ensureTestTools";

const ROOT = path.resolve(__dirname, "../..");

/** A machine with the given tools on PATH; apt-get "installs" by adding them. */
class FakeHost implements ToolHost {
  readonly lines: string[] = [];
  readonly commands: string[] = [];
  aptLists = true;
  /** Number of install attempts that fail before one succeeds. */
  failingInstalls = 0;

  constructor(
    readonly present: Set<string>,
    readonly isRoot: boolean,
    readonly hasAptGet = true,
  ) {}

  has(tool: string): boolean {
    return this.present.has(tool);
  }

  aptListsPresent(): boolean {
    return this.aptLists;
  }

  run(command: string, args: readonly string[]): { status: number; output: string } {
    this.commands.push([command, ...args].join(" "));
    if (args[0] === "update") {
      this.aptLists = true;
      return { status: 0, output: "" };
    }
    if (this.failingInstalls > 0 || !this.aptLists) {
      this.failingInstalls--;
      return { status: 100, output: "E: Unable to locate package shellcheck" };
    }
    for (const pkg of args.filter((a) => !a.startsWith("-") && a !== "install")) this.present.add(pkg);
    return { status: 0, output: "" };
  }

  log(line: string): void {
    this.lines.push(line);
  }
}

describe("pretest: the system tools npm test needs", () => {
  it("is wired as npm's pretest script", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).to.equal("node -r ./scripts/register-ts.cjs scripts/ensureTestTools.ts shellcheck jq");
    expect(TEST_TOOLS.map((t) => t.command)).to.deep.equal(["shellcheck", "jq"]);
  });

  it("takes the tools package.json names, and refuses a name it cannot install", () => {
    expect(toolsNamed(["shellcheck", "jq"])).to.deep.equal(TEST_TOOLS);
    expect(toolsNamed(["jq"])).to.deep.equal([TEST_TOOLS[1]]);
    expect(toolsNamed([])).to.deep.equal(TEST_TOOLS);
    expect(toolsNamed(["jq", "shelcheck"])).to.equal("unknown tool shelcheck; this script installs shellcheck, jq");
  });

  it("does nothing when shellcheck and jq are on PATH", () => {
    const host = new FakeHost(new Set(["shellcheck", "jq"]), true);
    expect(ensureTestTools(host)).to.equal(0);
    expect(host.commands).to.deep.equal([]);
    expect(host.lines).to.deep.equal([]);
  });

  it("installs only the missing tool with apt-get when it runs as root", () => {
    const host = new FakeHost(new Set(["jq"]), true);
    expect(ensureTestTools(host)).to.equal(0);
    expect(host.commands).to.deep.equal(["apt-get install -y -qq --no-install-recommends shellcheck"]);
    expect(host.lines.join("\n")).to.match(/installing shellcheck with apt-get/);
  });

  it("runs apt-get update first when the package lists are empty", () => {
    const host = new FakeHost(new Set(), true);
    host.aptLists = false;
    expect(ensureTestTools(host)).to.equal(0);
    expect(host.commands).to.deep.equal(["apt-get update -qq", "apt-get install -y -qq --no-install-recommends shellcheck jq"]);
  });

  it("refreshes stale package lists and retries once when the install fails", () => {
    const host = new FakeHost(new Set(["jq"]), true);
    host.failingInstalls = 1;
    expect(ensureTestTools(host)).to.equal(0);
    expect(host.commands).to.deep.equal([
      "apt-get install -y -qq --no-install-recommends shellcheck",
      "apt-get update -qq",
      "apt-get install -y -qq --no-install-recommends shellcheck",
    ]);
  });

  it("stops with the exact command when apt-get cannot install", () => {
    const host = new FakeHost(new Set(["jq"]), true);
    host.failingInstalls = 2;
    expect(ensureTestTools(host)).to.equal(1);
    const text = host.lines.join("\n");
    expect(text).to.include("E: Unable to locate package shellcheck");
    expect(text).to.include("apt-get update && apt-get install -y --no-install-recommends shellcheck");
  });

  it("stops with one clear message and the sudo command when not root", () => {
    const host = new FakeHost(new Set(["jq"]), false);
    expect(ensureTestTools(host)).to.equal(1);
    expect(host.commands).to.deep.equal([]);
    expect(host.lines).to.deep.equal([
      "npm test needs shellcheck (the bootstrap tests lint and run the generated user-data scripts), and it is not on PATH.\n" +
        "Install it, then run npm test again:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends shellcheck",
    ]);
  });

  it("names both tools and a command for other systems when there is no apt-get", () => {
    const host = new FakeHost(new Set(), true, false);
    expect(ensureTestTools(host)).to.equal(1);
    expect(host.lines.join("\n")).to.match(/needs shellcheck and jq/).and.include("brew install shellcheck jq");
  });

  it("builds the install command for one or several packages", () => {
    expect(installCommand(["shellcheck", "jq"], true)).to.equal("apt-get update && apt-get install -y --no-install-recommends shellcheck jq");
    expect(installCommand(["jq"], false)).to.equal("sudo apt-get update && sudo apt-get install -y --no-install-recommends jq");
  });

  it("installs the tools on a bare machine through the real script (fake apt-get on PATH)", function () {
    if (process.getuid?.() !== 0) this.skip(); // the root path needs root; the others are covered above
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tila-tools-"));
    try {
      const log = path.join(bin, "apt.log");
      // Only shell builtins and absolute paths: PATH holds nothing but this folder.
      const fake = [
        "#!/bin/bash",
        `printf '%s\\n' "$*" >> ${log}`,
        'if [ "$1" = install ]; then for p in "$@"; do case "$p" in -*|install) ;; *)',
        `  printf '#!/bin/bash\\nexit 0\\n' > ${bin}/"$p"; /bin/chmod +x ${bin}/"$p";; esac; done; fi`,
      ].join("\n");
      fs.writeFileSync(path.join(bin, "apt-get"), fake + "\n", { mode: 0o755 });
      const r = spawnSync(process.execPath, ["--require", path.join(ROOT, "scripts/register-ts.cjs"), path.join(ROOT, "scripts/ensureTestTools.ts")], {
        cwd: ROOT,
        env: { PATH: bin, HOME: os.tmpdir() },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).to.equal(0);
      expect(fs.readFileSync(log, "utf8")).to.match(/install -y -qq --no-install-recommends shellcheck jq\n$/);
      expect(fs.existsSync(path.join(bin, "shellcheck"))).to.equal(true);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
