/**
 * The only code that touches `LocalWorkspace`. It execs the Pulumi CLI for every call (the
 * Automation API has no offline path), so it is NOT unit-tested: it stays a direct mapping of
 * `RunOptions` onto the SDK's options, and every decision lives in `pipeline.ts`, which is tested
 * against a fake runner. Needs the `pulumi` CLI on PATH, a logged-in backend and cloud credentials.
 */
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, LocalWorkspace, OutputMap, PreviewOptions, Stack, UpOptions } from "@pulumi/pulumi/automation";
import { PreviewOutcome, ResourceStep, RunOptions, StackName, StackOutputs, StackRunner, UpOutcome, hasChanges } from "./runner";

export interface LocalWorkspaceRunnerArgs {
  /** Pulumi organisation of the stacks (`<org>/tila-platform/<stack>`). */
  readonly org: string;
  /** The repository root: holds `Pulumi.yaml` and the `Pulumi.<stack>.yaml` files. */
  readonly workDir: string;
  /** @default "tila-platform" */
  readonly project?: string;
}

/** The SDK's options for preview and up, from ours (the two take the same subset). */
function sdkOptions(opts: RunOptions): PreviewOptions & UpOptions {
  return {
    policyPacks: opts.policyPack !== undefined ? [opts.policyPack] : undefined,
    policyPackConfigs: opts.policyPackConfig !== undefined ? [opts.policyPackConfig] : undefined,
    plan: opts.plan,
    target: opts.target !== undefined ? [...opts.target] : undefined,
    targetDependents: opts.targetDependents,
    expectNoChanges: opts.expectNoChanges,
    refresh: opts.refresh,
    message: opts.message,
    onOutput: opts.onOutput,
  };
}

/** Plain output values; a secret is reported as such, never in clear. */
function plainOutputs(outputs: OutputMap): StackOutputs {
  return Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.secret ? "[secret]" : o.value]));
}

export class LocalWorkspaceRunner implements StackRunner {
  private readonly stacks = new Map<StackName, Promise<Stack>>();

  constructor(private readonly args: LocalWorkspaceRunnerArgs) {}

  private select(stack: StackName): Promise<Stack> {
    let selected = this.stacks.get(stack);
    if (selected === undefined) {
      const stackName = `${this.args.org}/${this.args.project ?? "tila-platform"}/${stack}`;
      selected = LocalWorkspace.selectStack({ stackName, workDir: this.args.workDir });
      this.stacks.set(stack, selected);
    }
    return selected;
  }

  async preview(stack: StackName, opts: RunOptions): Promise<PreviewOutcome> {
    // The CLI writes the plan file but not its directory.
    if (opts.plan !== undefined) fs.mkdirSync(path.dirname(opts.plan), { recursive: true });
    const steps: ResourceStep[] = [];
    const onEvent = (e: EngineEvent): void => {
      const m = e.resourcePreEvent?.metadata;
      if (m !== undefined) steps.push({ urn: m.urn, type: m.type, op: m.op });
    };
    const result = await (await this.select(stack)).preview({ ...sdkOptions(opts), onEvent });
    const changes = { ...result.changeSummary } as Record<string, number>;
    return { changes, steps, wouldChange: hasChanges(changes) };
  }

  async up(stack: StackName, opts: RunOptions): Promise<UpOutcome> {
    const result = await (await this.select(stack)).up(sdkOptions(opts));
    return { changes: { ...(result.summary.resourceChanges ?? {}) } as Record<string, number> };
  }

  async destroy(stack: StackName, opts: Pick<RunOptions, "message" | "onOutput"> = {}): Promise<UpOutcome> {
    const result = await (await this.select(stack)).destroy({ message: opts.message, onOutput: opts.onOutput });
    return { changes: { ...(result.summary.resourceChanges ?? {}) } as Record<string, number> };
  }

  async outputs(stack: StackName): Promise<StackOutputs> {
    return plainOutputs(await (await this.select(stack)).outputs());
  }
}
