/**
 * npm's `pretest`: makes sure the host tools the tests shell out to (shellcheck, jq) are on PATH.
 * As root on a Debian-like machine it installs what is missing with apt-get; anywhere else it
 * stops with the exact command to run, so a fresh clone fails once, clearly, instead of in 23
 * scattered bootstrap tests.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface TestTool {
  /** The command the tests run. */
  command: string;
  /** The Debian package that provides it. */
  aptPackage: string;
}

/** The bootstrap tests lint every generated user-data script with shellcheck and run parts with jq. */
export const TEST_TOOLS: readonly TestTool[] = [
  { command: "shellcheck", aptPackage: "shellcheck" },
  { command: "jq", aptPackage: "jq" },
];

/** What the check needs from the machine; tests pass a fake. */
export interface ToolHost {
  has(command: string): boolean;
  readonly isRoot: boolean;
  readonly hasAptGet: boolean;
  /** apt has package lists to install from (a fresh container often has none). */
  aptListsPresent(): boolean;
  run(command: string, args: readonly string[]): { status: number; output: string };
  log(line: string): void;
}

const WHY = "the bootstrap tests lint and run the generated user-data scripts";
const INSTALL_ARGS = ["install", "-y", "-qq", "--no-install-recommends"];

function and(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** The command a person runs to install `packages` (with sudo unless already root). */
export function installCommand(packages: readonly string[], root: boolean): string {
  const sudo = root ? "" : "sudo ";
  return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${packages.join(" ")}`;
}

/** Resolves to the exit code: 0 when every tool is (now) on PATH, 1 with one message otherwise. */
export function ensureTestTools(host: ToolHost, tools: readonly TestTool[] = TEST_TOOLS): number {
  const missing = tools.filter((t) => !host.has(t.command));
  if (missing.length === 0) return 0;
  const names = and(missing.map((t) => t.command));
  const packages = missing.map((t) => t.aptPackage);
  const verb = missing.length === 1 ? "it is" : "they are";

  if (!host.hasAptGet) {
    host.log(
      `npm test needs ${names} (${WHY}), and ${verb} not on PATH.\n` +
        `Install ${missing.length === 1 ? "it" : "them"}, then run npm test again: Debian/Ubuntu: ${installCommand(packages, false)}; macOS: brew install ${packages.join(" ")}`,
    );
    return 1;
  }
  if (!host.isRoot) {
    host.log(`npm test needs ${names} (${WHY}), and ${verb} not on PATH.\nInstall ${missing.length === 1 ? "it" : "them"}, then run npm test again:\n  ${installCommand(packages, false)}`);
    return 1;
  }

  host.log(`pretest: installing ${names} with apt-get (${WHY})`);
  if (!host.aptListsPresent()) host.run("apt-get", ["update", "-qq"]);
  let result = host.run("apt-get", [...INSTALL_ARGS, ...packages]);
  if (result.status !== 0) {
    // Stale lists name package versions the mirror no longer has: refresh once and retry.
    host.run("apt-get", ["update", "-qq"]);
    result = host.run("apt-get", [...INSTALL_ARGS, ...packages]);
  }
  const still = missing.filter((t) => !host.has(t.command));
  if (result.status !== 0 || still.length > 0) {
    host.log(`${result.output.trim()}\npretest: apt-get could not install ${names}; run this, then npm test again:\n  ${installCommand(packages, true)}`);
    return 1;
  }
  return 0;
}

/** The real machine: PATH lookup without a shell, apt-get quiet and non-interactive. */
export function systemHost(): ToolHost {
  const has = (command: string): boolean =>
    (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
      if (dir === "") return false;
      try {
        fs.accessSync(path.join(dir, command), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return {
    has,
    isRoot: process.getuid?.() === 0,
    hasAptGet: has("apt-get"),
    aptListsPresent: () => {
      try {
        return fs.readdirSync("/var/lib/apt/lists").some((f) => f.includes("_Packages"));
      } catch {
        return false;
      }
    },
    run: (command, args) => {
      const r = spawnSync(command, [...args], { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      return { status: r.status ?? 1, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}` };
    },
    log: (line) => process.stderr.write(line + "\n"),
  };
}

/**
 * The tools named on the command line (package.json's pretest names them, so the manifest says
 * which host tools the tests need), or why the names are not usable.
 */
export function toolsNamed(args: readonly string[]): readonly TestTool[] | string {
  if (args.length === 0) return TEST_TOOLS;
  const unknown = args.filter((a) => !TEST_TOOLS.some((t) => t.command === a));
  if (unknown.length > 0) return `unknown tool ${unknown.join(", ")}; this script installs ${TEST_TOOLS.map((t) => t.command).join(", ")}`;
  return TEST_TOOLS.filter((t) => args.includes(t.command));
}

if (require.main === module) {
  const tools = toolsNamed(process.argv.slice(2));
  if (typeof tools === "string") {
    process.stderr.write(`pretest: ${tools}\n`);
    process.exitCode = 2;
  } else {
    process.exitCode = ensureTestTools(systemHost(), tools);
  }
}
