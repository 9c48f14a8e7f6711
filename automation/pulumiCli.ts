/**
 * Is the `pulumi` binary there? The Automation API execs it for every operation and, without it,
 * fails each stack with a raw spawn ENOENT; `npm run deploy` asks once, before any stack, and
 * says what to install instead.
 */
import { spawnSync } from "child_process";

/** The SDK this project pins; the CLI that matches it is the same version. */
export const PULUMI_SDK_VERSION: string = (require("@pulumi/pulumi/package.json") as { version: string }).version;

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

export type PulumiLookupResult = { found: true; path: string } | { found: false; detail: string };

/** How the deploy CLI looks for the binary; tests inject one (this machine has no pulumi). */
export type PulumiLookup = () => PulumiLookupResult;

/** Runs `pulumi version` the way the Automation API would find it (PATH), keeping the raw error. */
export const findPulumiOnPath: PulumiLookup = () => {
  const r = spawnSync("pulumi", ["version"], { encoding: "utf8", timeout: 30_000 });
  if (r.error) return { found: false, detail: r.error.message };
  if (r.status !== 0) return { found: false, detail: `pulumi version exited ${r.status}: ${`${r.stdout}${r.stderr}`.trim()}` };
  return { found: true, path: "pulumi" };
};

/** What to tell a person who has no pulumi CLI: the problem, then how to get the pinned version. */
export function missingPulumiMessage(version: string = PULUMI_SDK_VERSION): string[] {
  return [
    "the pulumi CLI is not on PATH; npm run deploy drives it through the Automation API, so nothing was run.",
    `Install Pulumi CLI ${version} (the version of @pulumi/pulumi here): curl -fsSL https://get.pulumi.com | sh -s -- --version ${version}`,
    `Other ways to install: ${PULUMI_INSTALL_URL}`,
  ];
}
