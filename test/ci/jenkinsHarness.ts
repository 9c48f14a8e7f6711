/**
 * Runs the Jenkins stage scripts (pipelines/jenkins/*.sh) for real, in bash, with fake `docker`,
 * `crane`, `trivy` and `aws` first on PATH: each fake records its arguments, the AWS variables it
 * was run with and what it read on stdin (one JSON line per call), and answers from a small
 * registry kept in files, so a push is seen by a later digest and a copy by a later check.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const SCRIPTS = path.resolve(__dirname, "../../pipelines/jenkins");

/** What one fake saw. */
export interface FakeCall {
  readonly tool: string;
  readonly args: readonly string[];
  readonly stdin: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly tokenFile: string;
  readonly accessKey: string;
  readonly region: string;
}

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: readonly FakeCall[];
}

const DIGEST_A = `sha256:${"a".repeat(64)}`;

/**
 * The fakes. The registry is a folder: `digest REF` answers the file named after REF, or fails as
 * an unknown manifest; `docker push` and `crane copy` write it. FAKE_* variables steer answers.
 */
const FAKES: Record<string, string> = {
  docker: `
case "$1" in
  --version) echo "Docker version 27.5.1, build fake" ;;
  push) printf '%s' "\${FAKE_PUSH_DIGEST:-${DIGEST_A}}" >"$(ref_file "$2")" ;;
  image) if [[ "$2" == inspect ]]; then ref="\${*: -1}"; printf '%s@%s\\n' "\${FAKE_INSPECT_REPO:-\${ref%:*}}" "\${FAKE_PUSH_DIGEST:-${DIGEST_A}}"; fi ;;
  create) echo "c0ffee" ;;
  cp) [[ -z "\${FAKE_NO_REPORTS:-}" ]] || exit 1; mkdir -p "$3"; echo '<testsuite/>' >"$3/unit.xml" ;;
esac`,
  crane: `
case "$1" in
  version) echo "\${FAKE_CRANE_VERSION:-v0.22.0}" ;;
  digest) f="$(ref_file "$2")"; if [[ -f "$f" ]]; then cat "$f"; echo; else echo "MANIFEST_UNKNOWN: $2" >&2; exit 1; fi ;;
  copy) printf '%s' "\${FAKE_COPY_DIGEST:-\${2##*@}}" >"$(ref_file "$3")" ;;
esac`,
  trivy: `
case "$1" in
  --version) echo "Version: \${FAKE_TRIVY_VERSION:-0.74.0}"; echo "Vulnerability DB: fake" ;;
  image) exit "\${FAKE_TRIVY_EXIT:-0}" ;;
esac`,
  aws: `
case "$1 \${2:-}" in
  "--version "*) echo "aws-cli/2.27.31 Python/3.13.3 Linux/6 exe/x86_64" ;;
  "ecr get-login-password") echo "ecr-registry-token" ;;
  "s3api put-object") echo "\${FAKE_VERSION_ID-3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH}" ;;
  "codepipeline start-pipeline-execution") echo "\${FAKE_EXECUTION_ID:-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}" ;;
  "codepipeline get-pipeline-execution") echo "InProgress" ;;
esac`,
};

const PRELUDE = (tool: string): string => `#!/usr/bin/env bash
set -euo pipefail
ref_file() { printf '%s/registry/%s' "$FAKE_STATE" "\${1//[^A-Za-z0-9._-]/_}"; }
call="$FAKE_STATE/calls/\${EPOCHREALTIME/./}-$$"
printf '%s' "${tool}" >"$call.tool"
printf '%s\\0' "$@" >"$call.args"
case "$*" in *--password-stdin*) cat >"$call.stdin" ;; esac
printf '%s\\0' "\${AWS_ROLE_ARN:-}" "\${AWS_ROLE_SESSION_NAME:-}" "\${AWS_WEB_IDENTITY_TOKEN_FILE:-}" "\${AWS_ACCESS_KEY_ID:-}" "\${AWS_REGION:-}" >"$call.env"
`;

/** A folder of fakes (all four, less `omit`) to put first on PATH. */
export function fakeBin(dir: string, omit: readonly string[] = []): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const [tool, body] of Object.entries(FAKES)) {
    if (omit.includes(tool)) continue;
    fs.writeFileSync(path.join(bin, tool), PRELUDE(tool) + body + "\n", { mode: 0o755 });
  }
  return bin;
}

/** Marks `ref` as present in the fake registry with `digest`. */
export function seedRegistry(dir: string, ref: string, digest: string): void {
  const registry = path.join(dir, "state", "registry");
  fs.mkdirSync(registry, { recursive: true });
  fs.writeFileSync(path.join(registry, ref.replace(/[^A-Za-z0-9._-]/g, "_")), digest);
}

/** A build's variables as Jenkins sets them (global variables, parameters, bindings), in `dir`. */
export function buildEnv(dir: string): Record<string, string> {
  const token = path.join(dir, "id_token");
  fs.writeFileSync(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2IifQ.c2ln");
  return {
    TILA_MANAGEMENT_ACCOUNT_ID: "111111111111",
    TILA_AWS_REGION: "me-south-1",
    ARTIFACTORY_REGISTRY: "tila.jfrog.io",
    ARTIFACTORY_DOCKER_REPO: "tila-docker-local",
    TILA_SERVICES_GIT: "git@gitlab.tila.sa:services",
    SERVICE: "catalog",
    JOB_BASE_NAME: "catalog",
    GIT_REF: "main",
    BUILD_NUMBER: "42",
    IMAGE_TAG: "0123456789ab-b42",
    DOCKER_CONFIG: path.join(dir, "docker-config"),
    ARTIFACTORY_USER: "svc-publisher",
    ARTIFACTORY_PASSWORD: "cmVmdGtuOjAxOjE3OTk5OTk5OTk6c2VjcmV0",
    AWS_WEB_IDENTITY_TOKEN_FILE: token,
    OUT_DIR: path.join(dir, "out"),
    SERVICE_DIR: path.join(dir, "service"),
  };
}

/**
 * Runs `script` in `dir` with exactly `env` (nothing of the caller's environment but a PATH of the
 * fakes and the system's own folders, so an installed aws or crane is never the one that answers).
 */
export function runScript(dir: string, script: string, env: Record<string, string | undefined>, args: readonly string[] = [], omit: readonly string[] = []): Run {
  const { command, options, calls } = prepare(dir, script, env, omit);
  const r = spawnSync(command, args, { ...options, encoding: "utf8" });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, calls: readCalls(calls) };
}

/** runScript without blocking, for the loops that run one script many times (each in its own `dir`). */
export function runScriptAsync(dir: string, script: string, env: Record<string, string | undefined>, args: readonly string[] = []): Promise<Run> {
  const { command, options, calls } = prepare(dir, script, env, []);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr, calls: readCalls(calls) }));
  });
}

function prepare(dir: string, script: string, env: Record<string, string | undefined>, omit: readonly string[]) {
  const state = path.join(dir, "state");
  const calls = path.join(state, "calls");
  fs.rmSync(calls, { recursive: true, force: true });
  fs.mkdirSync(calls, { recursive: true });
  fs.mkdirSync(path.join(state, "registry"), { recursive: true });
  const bin = fakeBin(dir, omit);
  const clean = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const options = {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"],
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, LANG: "C.UTF-8", FAKE_STATE: state, ...clean },
  };
  return { command: path.join(SCRIPTS, script), options, calls };
}

function readCalls(folder: string): FakeCall[] {
  const read = (call: string, ext: string): string => {
    const f = path.join(folder, `${call}.${ext}`);
    return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "";
  };
  const fields = (text: string): string[] => (text === "" ? [] : text.slice(0, -1).split("\0"));
  const ids = [...new Set(fs.readdirSync(folder).map((f) => f.slice(0, f.lastIndexOf("."))))];
  // Named <microseconds>-<pid>: the order the fakes ran in.
  return ids.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).map((call) => {
    const [roleArn = "", sessionName = "", tokenFile = "", accessKey = "", region = ""] = fields(read(call, "env"));
    return { tool: read(call, "tool"), args: fields(read(call, "args")), stdin: read(call, "stdin"), roleArn, sessionName, tokenFile, accessKey, region };
  });
}

/** The calls to one tool whose first arguments are `prefix`. */
export function callsOf(run: Run, tool: string, ...prefix: string[]): FakeCall[] {
  return run.calls.filter((c) => c.tool === tool && prefix.every((p, i) => c.args[i] === p));
}

/** The value after `flag` in a call's arguments. */
export function flag(call: FakeCall, name: string): string | undefined {
  const i = call.args.indexOf(name);
  return i < 0 ? undefined : call.args[i + 1];
}

/** A Git repository with one commit in `dir` (the service checkout), and its full commit id. */
export function gitRepo(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch AS build\nFROM build AS test\nFROM build\n");
  const git = (...args: string[]): string => {
    const r = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { PATH: "/usr/bin:/bin", HOME: dir, GIT_CONFIG_NOSYSTEM: "1" } });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git("init", "--quiet");
  git("-c", "user.name=Dev", "-c", "user.email=dev@tila.sa", "add", "Dockerfile");
  git("-c", "user.name=Dev", "-c", "user.email=dev@tila.sa", "commit", "--quiet", "-m", "Fix the cart total");
  return git("rev-parse", "HEAD");
}

export { DIGEST_A };
