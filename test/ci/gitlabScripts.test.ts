import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { SHELLCHECK_ARGS, ShellcheckResult, shellcheckAll } from "../data/shellcheck";
import { stackRole } from "../../scripts/ciRole";
import { Job, ROOT, loadCi, scriptLines } from "./gitlabPipeline";

const SCRIPTS_DIR = path.join(ROOT, "pipelines/gitlab");
const scriptFiles = fs.readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith(".sh")).sort();

/**
 * Variables a job receives from GitLab at run time rather than from the file: predefined ones,
 * the project's CI/CD variables (docs/delivery.md), the values given to a manual job, and each
 * job's id_tokens. The harness declares exactly these (`: "${NAME?}"`), so a misspelt name in a
 * script line is still an undeclared variable to shellcheck.
 */
const RUNTIME_VARIABLES = ["CI_PROJECT_DIR", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "TILA_MR_NOTE_TOKEN", "HOTFIX_STACK", "HOTFIX_SERVICE"];

/**
 * A job as the runner executes it: one bash script with `set -eo pipefail`, the file's and the
 * job's variables assigned, the run-time ones declared, then every line in order. aws-oidc.sh is
 * linted on its own below, so its `source` is not followed here.
 */
export function jobAsBash(job: Job, globals: Readonly<Record<string, string>>): string {
  // GitLab expands `$NAME` in a variable's value; the harness writes that as bash expands it.
  const value = (v: string): string =>
    /\$/.test(v) ? `"${v.replace(/["`\\]/g, "\\$&").replace(/\$(\w+)/g, "${$1}")}"` : `'${v.replace(/'/g, `'\\''`)}'`;
  const vars = { ...globals, ...(job.variables ?? {}) };
  return [
    "#!/usr/bin/env bash",
    `# job ${job.name}`,
    "set -eo pipefail",
    ...[...RUNTIME_VARIABLES, ...Object.keys(job.id_tokens ?? {})].map((v) => `: "\${${v}?}"`),
    ...Object.entries(vars).map(([k, v]) => `export ${k}=${value(String(v))}`),
    ...scriptLines(job).flatMap((l) => (l.startsWith("source ") ? ["# shellcheck source=/dev/null", l] : [l])),
    "",
  ].join("\n");
}

/** Runs a script with bash in `cwd`, with exactly `env` (plus PATH). */
function bash(args: string[], env: Record<string, string>, cwd: string = ROOT): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("bash", args, { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function tmpdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A fake `curl` first on PATH: appends its arguments (one per line, then a blank line) to
 * $FAKE_CURL_LOG, copies any `--header @file` it is given to $FAKE_CURL_LOG.headers, and answers
 * from $FAKE_CURL_DIR: `list.json` for a GET, `write.json` for a POST or PUT, `download.zip` for
 * `--output`; `status` holds the HTTP code it reports (default 200; >= 400 fails like --fail-with-body).
 */
function fakeCurl(dir: string): void {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const js = `
const fs = require("fs");
const args = process.argv.slice(2);
const d = process.env.FAKE_CURL_DIR;
fs.appendFileSync(process.env.FAKE_CURL_LOG, args.join("\\n") + "\\n\\n");
args.forEach((a, i) => { if (a === "--header" && args[i + 1].startsWith("@")) fs.appendFileSync(process.env.FAKE_CURL_LOG + ".headers", fs.readFileSync(args[i + 1].slice(1), "utf8")); });
const status = fs.existsSync(d + "/status") ? fs.readFileSync(d + "/status", "utf8").trim() : "200";
const out = args.indexOf("--output");
if (out >= 0) {
  if (status === "200") fs.copyFileSync(d + "/download.zip", args[out + 1]);
  process.stdout.write(status);
  process.exit(0);
}
const method = args.includes("--request") ? args[args.indexOf("--request") + 1] : "GET";
process.stdout.write(fs.readFileSync(d + (method === "GET" ? "/list.json" : "/write.json"), "utf8"));
process.exit(Number(status) >= 400 ? 22 : 0);
`;
  fs.writeFileSync(path.join(bin, "fake-curl.js"), js);
  fs.writeFileSync(path.join(bin, "curl"), `#!/usr/bin/env bash\nexec node "$(dirname "$0")/fake-curl.js" "$@"\n`, { mode: 0o755 });
}

/** A zip of stored (uncompressed) files, enough for unzip: local headers, data, central directory. */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBuf = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe("GitLab CI scripts", function () {
  this.timeout(120000);

  describe("shellcheck", () => {
    const ci = loadCi();
    const jobs = [...ci.jobs.values()];
    const BAD_JOB: Job = { name: "bad", script: ["rm -rf $CI_PROJECT_DIR/out"] };
    const inputs = [...scriptFiles.map((f) => fs.readFileSync(path.join(SCRIPTS_DIR, f), "utf8")), ...jobs.map((j) => jobAsBash(j, ci.variables)), jobAsBash(BAD_JOB, {})];
    let results: ShellcheckResult[];
    before(async () => {
      results = await shellcheckAll(inputs);
    });

    scriptFiles.forEach((f, i) => {
      it(`passes for pipelines/gitlab/${f}`, () => {
        expect(results[i]!.output, `shellcheck ${SHELLCHECK_ARGS.join(" ")}:\n${results[i]!.output}`).to.equal("");
        expect(results[i]!.status).to.equal(0);
      });
    });

    it("passes for every line of every job, run as the runner runs them", () => {
      const failed = jobs.flatMap((j, i) => (results[scriptFiles.length + i]!.status !== 0 ? [`${j.name}:\n${results[scriptFiles.length + i]!.output}`] : []));
      expect(failed, failed.join("\n")).to.deep.equal([]);
      expect(jobs.length).to.be.greaterThan(20);
    });

    it("fails a job line with an unquoted variable (the check can fail)", () => {
      const bad = results[results.length - 1]!;
      expect(bad.status).to.not.equal(0);
      expect(bad.output).to.contain("SC2086");
    });

    it("every script says its job in a comment first and stops on the first error", () => {
      for (const f of scriptFiles) {
        const lines = fs.readFileSync(path.join(SCRIPTS_DIR, f), "utf8").split("\n");
        const first = lines.find((l) => !l.startsWith("#!") && !l.startsWith("# shellcheck"));
        expect(first, f).to.match(/^# \S/);
        expect(lines.some((l) => /^\s*set -euo pipefail$/.test(l)), f).to.equal(true);
      }
    });
  });

  describe("require-vars.sh", () => {
    const script = path.join(SCRIPTS_DIR, "require-vars.sh");

    it("fails with exit 2 and one line naming every missing variable, and prints no value", () => {
      const r = bash([script, "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "HOTFIX_SERVICE", "HOTFIX_STACK"], { PULUMI_CONFIG_PASSPHRASE: "s3cr3t-passphrase", HOTFIX_STACK: "" });
      expect(r.status).to.equal(2);
      expect(r.stdout).to.equal("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^missing CI variable\(s\): PULUMI_BACKEND_URL, HOTFIX_SERVICE, HOTFIX_STACK \(set them in GitLab: Settings > CI\/CD > Variables/);
      expect(r.stderr).to.not.contain("s3cr3t");
    });

    it("passes silently when every variable is set", () => {
      const r = bash([script, "A_VAR", "B_VAR"], { A_VAR: "x", B_VAR: "y" });
      expect([r.status, r.stdout, r.stderr]).to.deep.equal([0, "", ""]);
    });

    it("refuses a call without names, or with something that is not a name", () => {
      expect(bash([script], {}).status).to.equal(2);
      const r = bash([script, "A_VAR", "$(id)"], { A_VAR: "x" });
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('"$(id)" is not a variable name');
    });
  });

  describe("aws-oidc.sh", () => {
    const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6dGlsYS90aWxhLXBsYXRmb3JtIn0.c2lnbmF0dXJl";
    let tmp: string;
    beforeEach(() => {
      tmp = tmpdir("aws-oidc-");
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("writes the token to a file only its owner can read, exports the web identity of the stack's role, and never prints the token", () => {
      const probe = 'umask 022; source pipelines/gitlab/aws-oidc.sh preprod deploy; printf "%s\\n" "$AWS_ROLE_ARN" "$AWS_WEB_IDENTITY_TOKEN_FILE" "$AWS_ROLE_SESSION_NAME" "$AWS_REGION" "$(umask)" "$-" >"$PROBE"';
      const r = bash(["-c", probe], { AWS_ID_TOKEN: TOKEN, CI_PIPELINE_ID: "9001", CI_JOB_ID: "42", TMPDIR: tmp, PROBE: path.join(tmp, "probe") });
      expect(r.status, r.stderr).to.equal(0);
      const [arn, file, session, region, umask, flagsAfter] = fs.readFileSync(path.join(tmp, "probe"), "utf8").split("\n");
      expect(arn).to.equal(stackRole("preprod", "deploy", ROOT).arn);
      expect(arn).to.equal("arn:aws:iam::333333333333:role/tila-platform-deploy-preprod");
      expect(session).to.equal("gitlab-9001-42");
      expect(region).to.equal("me-south-1");
      expect(path.dirname(file!)).to.equal(tmp);
      expect(fs.statSync(file!).mode & 0o777).to.equal(0o600);
      expect(fs.readFileSync(file!, "utf8")).to.equal(TOKEN);
      expect(`${r.stdout}${r.stderr}`).to.not.contain(TOKEN.slice(0, 20));
      expect(r.stdout).to.contain("tila-platform-deploy-preprod");
      expect(umask, "the job's umask is left as it was").to.equal("0022");
      expect(flagsAfter, "the job's shell options are left as they were").to.not.match(/u/);
    });

    it("assumes the preview role for previews", () => {
      const r = bash(["-c", 'source pipelines/gitlab/aws-oidc.sh prod preview && printf "%s" "$AWS_ROLE_ARN" >"$PROBE"'], { AWS_ID_TOKEN: TOKEN, CI_PIPELINE_ID: "1", CI_JOB_ID: "2", TMPDIR: tmp, PROBE: path.join(tmp, "probe") });
      expect(r.status, r.stderr).to.equal(0);
      expect(fs.readFileSync(path.join(tmp, "probe"), "utf8")).to.equal("arn:aws:iam::444444444444:role/tila-platform-preview-prod");
    });

    it("fails naming the missing ID token when the job has no id_tokens, and writes no file", () => {
      const r = bash(["-c", "set -e; source pipelines/gitlab/aws-oidc.sh dev deploy; echo reached"], { CI_PIPELINE_ID: "1", CI_JOB_ID: "2", TMPDIR: tmp });
      expect(r.status).to.equal(2);
      expect(r.stdout).to.not.contain("reached");
      expect(r.stderr).to.contain("missing CI variable(s): AWS_ID_TOKEN");
      expect(fs.readdirSync(tmp)).to.deep.equal([]);
    });

    it("fails on an unknown stack, and when run instead of sourced", () => {
      const r = bash(["-c", "set -e; source pipelines/gitlab/aws-oidc.sh qa deploy; echo reached"], { AWS_ID_TOKEN: TOKEN, CI_PIPELINE_ID: "1", CI_JOB_ID: "2", TMPDIR: tmp });
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('unknown stack "qa"');
      const run = bash([path.join(SCRIPTS_DIR, "aws-oidc.sh"), "dev", "deploy"], { AWS_ID_TOKEN: TOKEN });
      expect(run.status).to.equal(2);
      expect(run.stderr).to.contain("source it");
    });
  });

  describe("post-mr-note.sh", () => {
    const SECRET = "glpat-NOTE-TOKEN-value-1234";
    let tmp: string;
    let env: Record<string, string>;
    beforeEach(() => {
      tmp = tmpdir("mr-note-");
      fakeCurl(tmp);
      fs.writeFileSync(path.join(tmp, "report.md"), "## Plan\n\n| stack | + | ~ | - |\n");
      fs.writeFileSync(path.join(tmp, "write.json"), '{"id": 5}');
      env = {
        PATH: `${path.join(tmp, "bin")}:${process.env.PATH ?? ""}`,
        FAKE_CURL_DIR: tmp,
        FAKE_CURL_LOG: path.join(tmp, "curl.log"),
        CI_API_V4_URL: "https://gitlab.example.com/api/v4",
        CI_PROJECT_ID: "77",
        CI_MERGE_REQUEST_IID: "12",
        TILA_MR_NOTE_TOKEN: SECRET,
        TMPDIR: tmp,
      };
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const calls = (): string[][] =>
      fs
        .readFileSync(path.join(tmp, "curl.log"), "utf8")
        .split("\n\n")
        .filter((c) => c !== "")
        .map((c) => c.split("\n"));

    it("posts the report with its marker when no earlier report is on the merge request", () => {
      fs.writeFileSync(path.join(tmp, "list.json"), JSON.stringify([{ id: 3, system: false, body: "LGTM" }]));
      const r = bash([path.join(SCRIPTS_DIR, "post-mr-note.sh"), path.join(tmp, "report.md")], env);
      expect(r.status, r.stderr).to.equal(0);
      const [list, post] = calls();
      expect(list!.at(-1)).to.equal("https://gitlab.example.com/api/v4/projects/77/merge_requests/12/notes?sort=desc&order_by=updated_at&per_page=100");
      expect(post).to.include.members(["--request", "POST", "https://gitlab.example.com/api/v4/projects/77/merge_requests/12/notes"]);
      expect(r.stdout).to.contain("posted the plan report on merge request !12");
    });

    it("updates its earlier report instead of adding another", () => {
      fs.writeFileSync(path.join(tmp, "list.json"), JSON.stringify([{ id: 3, system: false, body: "LGTM" }, { id: 9, system: false, body: "<!-- tila-platform:plan-report -->\nold" }]));
      const r = bash([path.join(SCRIPTS_DIR, "post-mr-note.sh"), path.join(tmp, "report.md")], env);
      expect(r.status, r.stderr).to.equal(0);
      const put = calls()[1]!;
      expect(put).to.include.members(["--request", "PUT", "https://gitlab.example.com/api/v4/projects/77/merge_requests/12/notes/9"]);
      expect(r.stdout).to.contain("updated the plan report (note 9)");
    });

    it("sends the token only in a header file: never on a command line, never printed", () => {
      fs.writeFileSync(path.join(tmp, "list.json"), "[]");
      const r = bash([path.join(SCRIPTS_DIR, "post-mr-note.sh"), path.join(tmp, "report.md")], env);
      expect(r.status, r.stderr).to.equal(0);
      expect(fs.readFileSync(path.join(tmp, "curl.log"), "utf8")).to.not.contain(SECRET);
      expect(fs.readFileSync(path.join(tmp, "curl.log.headers"), "utf8")).to.contain(`PRIVATE-TOKEN: ${SECRET}`);
      expect(`${r.stdout}${r.stderr}`).to.not.contain(SECRET);
      expect(fs.readdirSync(tmp).filter((f) => f.startsWith("mr-note.")), "its private files are removed").to.deep.equal([]);
    });

    it("fails clearly naming a missing token, before calling GitLab", () => {
      const { TILA_MR_NOTE_TOKEN: _unset, ...without } = env;
      const r = bash([path.join(SCRIPTS_DIR, "post-mr-note.sh"), path.join(tmp, "report.md")], without);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain("missing CI variable(s): TILA_MR_NOTE_TOKEN");
      expect(fs.existsSync(path.join(tmp, "curl.log"))).to.equal(false);
    });

    it("fails with GitLab's answer when the token may not list notes", () => {
      fs.writeFileSync(path.join(tmp, "list.json"), '{"message":"403 Forbidden"}');
      fs.writeFileSync(path.join(tmp, "status"), "403");
      const r = bash([path.join(SCRIPTS_DIR, "post-mr-note.sh"), path.join(tmp, "report.md")], env);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("could not list the notes of merge request !12");
      expect(r.stderr).to.contain("403 Forbidden");
    });
  });

  describe("plan.sh in a merge request", () => {
    let tmp: string;
    let env: Record<string, string>;
    beforeEach(() => {
      tmp = tmpdir("plan-mr-");
      fakeCurl(tmp);
      // A fake npm: records its arguments and writes the report npm run plan would write.
      fs.writeFileSync(
        path.join(tmp, "bin", "npm"),
        '#!/usr/bin/env bash\nprintf "%s\\n" "$@" >"$FAKE_CURL_DIR/npm.args"\nprintf "# Plan report\\n" >out/report.md\necho "{}"\nexit "${FAKE_NPM_EXIT:-0}"\n',
        { mode: 0o755 },
      );
      env = {
        PATH: `${path.join(tmp, "bin")}:${process.env.PATH ?? ""}`,
        FAKE_CURL_DIR: tmp,
        FAKE_CURL_LOG: path.join(tmp, "curl.log"),
        CI_API_V4_URL: "https://gitlab.example.com/api/v4",
        CI_PROJECT_ID: "77",
        CI_MERGE_REQUEST_IID: "12",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
        CI_JOB_TOKEN: "job-token-secret-5678",
        TMPDIR: tmp,
      };
      fs.mkdirSync(path.join(tmp, "work"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const npmArgs = (): string[] => fs.readFileSync(path.join(tmp, "npm.args"), "utf8").trimEnd().split("\n");

    it("plans against the target branch's plan artefact when there is one", () => {
      fs.writeFileSync(path.join(tmp, "download.zip"), storedZip({ "out/plan/index.json": "{}", "out/plan/.tila-plan": "plan\n" }));
      const r = bash([path.join(SCRIPTS_DIR, "plan.sh")], env, path.join(tmp, "work"));
      expect(r.status, r.stderr).to.equal(0);
      expect(calls(tmp)[0]!.at(-1)).to.equal("https://gitlab.example.com/api/v4/projects/77/jobs/artifacts/main/download?job=plan&search_recent_successful_pipelines=true");
      expect(npmArgs()).to.deep.equal(["run", "-s", "plan", "--", "--json", "--out", "out/plan", "--report", "out/report.md", "--diff", "out/plan-base"]);
      expect(fs.readFileSync(path.join(tmp, "work/out/plan-base/index.json"), "utf8")).to.equal("{}");
      expect(fs.readFileSync(path.join(tmp, "work/out/report.md"), "utf8")).to.equal("# Plan report\n");
      expect(fs.readFileSync(path.join(tmp, "curl.log"), "utf8")).to.not.contain("job-token-secret");
      expect(fs.readFileSync(path.join(tmp, "curl.log.headers"), "utf8")).to.contain("JOB-TOKEN: job-token-secret-5678");
    });

    it("without one, plans the whole branch and says so at the top of the report, keeping the plan's exit status", () => {
      fs.writeFileSync(path.join(tmp, "status"), "404");
      const r = bash([path.join(SCRIPTS_DIR, "plan.sh")], { ...env, FAKE_NPM_EXIT: "1" }, path.join(tmp, "work"));
      expect(r.status, "a mandatory policy violation still fails the job").to.equal(1);
      expect(npmArgs()).to.not.include("--diff");
      const report = fs.readFileSync(path.join(tmp, "work/out/report.md"), "utf8");
      expect(report).to.match(/^> \*\*No plan of <code>main<\/code> to compare with\*\*: no plan artefact of main could be downloaded \(HTTP 404/);
      expect(report).to.contain("\n\n# Plan report\n");
      expect(r.stderr).to.contain("planning without --diff");
    });

    it("treats an artefact without a plan as no base plan", () => {
      fs.writeFileSync(path.join(tmp, "download.zip"), storedZip({ "out/other.txt": "x" }));
      const r = bash([path.join(SCRIPTS_DIR, "plan.sh")], env, path.join(tmp, "work"));
      expect(r.status, r.stderr).to.equal(0);
      expect(npmArgs()).to.not.include("--diff");
      expect(fs.readFileSync(path.join(tmp, "work/out/report.md"), "utf8")).to.contain("holds no out/plan/index.json");
    });
  });
});

function calls(tmp: string): string[][] {
  return fs
    .readFileSync(path.join(tmp, "curl.log"), "utf8")
    .split("\n\n")
    .filter((c) => c !== "")
    .map((c) => c.split("\n"));
}
