/**
 * Naive baseline 1: the five stack programs run the way a team without the offline engine would
 * run them: `pulumi.runtime.setMocks` with the project's own mock values, the default SDK, the
 * program required afresh per stack, the management outputs handed to the environments'
 * StackReferences. No capture, no policy, no reachability. Prints one JSON line: { resources, ms }.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { computedOutputs, invokeResult, mockArn, mockId } from "../offline/mockValues";
import { STACK_ORDER, loadProject, loadStackConfig } from "../offline/stackConfig";

const PROJECT_DIR = path.resolve(__dirname, "..");

function forgetProgram(): void {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(PROJECT_DIR + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(__dirname)) {
      delete require.cache[file];
    }
  }
}

async function runOne(stack: string, program: string, management: Record<string, unknown>): Promise<{ outputs: Record<string, unknown>; resources: number }> {
  const cfg = loadStackConfig(stack, { projectDir: PROJECT_DIR });
  const acct = { stack, region: cfg.region, accountId: cfg.accountId };
  let resources = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources++;
        if (args.type === "pulumi:pulumi:StackReference") {
          return { id: args.name, state: { name: args.name, outputs: management, secretOutputNames: [] } };
        }
        if (!args.custom) return { id: undefined, state: args.inputs };
        const id = mockId(acct, args.type, args.name);
        return { id, state: { ...args.inputs, arn: mockArn(acct, args.type, id, args.name), ...computedOutputs(acct, args.type, args.name, id, args.inputs) } };
      },
      call: (args) => invokeResult(acct, args.token, args.inputs),
    },
    cfg.project,
    stack,
    false,
    cfg.organization,
  );
  pulumi.runtime.setAllConfig(cfg.config, cfg.secretKeys);
  forgetProgram();
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => require(program) as Record<string, unknown>)) ?? {};
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const resolved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) resolved[k] = pulumi.Output.isInstance(v) ? await (v as unknown as { promise(): Promise<unknown> }).promise() : v;
  return { outputs: resolved, resources };
}

async function main(): Promise<void> {
  const program = path.resolve(PROJECT_DIR, loadProject(PROJECT_DIR).main);
  const started = performance.now();
  let resources = 0;
  let management: Record<string, unknown> = {};
  for (const stack of STACK_ORDER) {
    const run = await runOne(stack, program, management);
    if (stack === "management") management = run.outputs;
    resources += run.resources;
  }
  process.stdout.write(JSON.stringify({ resources, ms: performance.now() - started }) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`naive programs: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
