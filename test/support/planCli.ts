/** Runs `npm run plan`'s main() in-process with its output captured, for the CLI tests. */
import { CliIo, main } from "../../offline/cli";

/** What one run of the plan CLI did. */
export interface PlanCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `main(argv)` with stdout and stderr collected; `io` sets the project, cwd and policy. */
export async function runPlanCli(argv: readonly string[], io: Omit<CliIo, "stdout" | "stderr">): Promise<PlanCliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main([...argv], {
    ...io,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}
