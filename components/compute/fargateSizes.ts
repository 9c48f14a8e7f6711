/**
 * The task sizes Fargate accepts (ECS Developer Guide, "Task CPU and memory"): RegisterTaskDefinition
 * refuses anything else with "No Fargate configuration exists for given values", which would
 * otherwise surface only at `pulumi up`. 8 and 16 vCPU need Linux platform 1.4.0, which LATEST is.
 */

/** Memory values (MiB) from `min` to `max` in steps of `step`. */
function range(min: number, max: number, step: number): readonly number[] {
  const out: number[] = [];
  for (let m = min; m <= max; m += step) out.push(m);
  return Object.freeze(out);
}

/** CPU units (1024 = 1 vCPU) -> the memory values (MiB) Fargate accepts with it. 0.25 vCPU skips 1.5 GB. */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = Object.freeze({
  256: Object.freeze([512, 1024, 2048]),
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
});

/** Memory values Fargate accepts with `cpu`, ascending; empty for a CPU value Fargate does not offer. */
export function fargateMemoryOptions(cpu: number): number[] {
  return [...(FARGATE_TASK_SIZES[cpu] ?? [])];
}

export function isFargateSize(cpu: number, memory: number): boolean {
  return fargateMemoryOptions(cpu).includes(memory);
}

export function fargateSizeIssues(cpu: number, memory: number): string[] {
  const cpus = Object.keys(FARGATE_TASK_SIZES).map(Number);
  if (!cpus.includes(cpu)) return [`cpu: ${cpu} is not a Fargate task size; use one of ${cpus.join(", ")}`];
  if (isFargateSize(cpu, memory)) return [];
  const options = FARGATE_TASK_SIZES[cpu];
  const hint = options.length <= 4 ? options.join(", ") : `${options[0]} to ${options[options.length - 1]} in steps of ${options[1] - options[0]}`;
  return [`memory: ${memory} MiB is not valid with cpu ${cpu} on Fargate; use ${hint}`];
}
