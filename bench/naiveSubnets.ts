/**
 * Naive baseline 2: the cheapest way to register resources under Pulumi's mocks. 1,500
 * `aws.ec2.Subnet`s against a trivial mock, default SDK, timed from after the imports to the last
 * RPC. Prints one JSON line: { resources, ms }.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const COUNT = Number(process.env.BENCH_SUBNETS ?? 1500);

async function main(): Promise<void> {
  let resources = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources++;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "bench",
    "naive",
    false,
    "bench",
  );
  const started = performance.now();
  await pulumi.runtime.runInPulumiStack(async () => {
    for (let i = 0; i < COUNT; i++) {
      new aws.ec2.Subnet(`subnet-${i}`, { vpcId: "vpc-1", cidrBlock: `10.${Math.floor(i / 256)}.${i % 256}.0/24` });
    }
    return {};
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  process.stdout.write(JSON.stringify({ resources, ms: performance.now() - started }) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`naive subnets: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
