import { expect } from "chai";
import fc from "fast-check";
import { FARGATE_TASK_SIZES, fargateMemoryOptions, fargateSizeIssues, isFargateSize } from "../../components/compute/fargateSizes";

describe("fargateSizes", () => {
  it("offers the seven Fargate CPU sizes with AWS's memory ranges and steps", () => {
    expect(Object.keys(FARGATE_TASK_SIZES).map(Number)).to.deep.equal([256, 512, 1024, 2048, 4096, 8192, 16384]);
    expect(fargateMemoryOptions(256)).to.deep.equal([512, 1024, 2048]);
    expect(fargateMemoryOptions(512)).to.deep.equal([1024, 2048, 3072, 4096]);
    expect(fargateMemoryOptions(1024)).to.deep.equal([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(fargateMemoryOptions(2048)).to.have.length(13);
    expect(fargateMemoryOptions(4096)).to.have.length(23);
    expect(fargateMemoryOptions(8192)).to.deep.equal([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
    expect(fargateMemoryOptions(16384)[0]).to.equal(32768);
    expect(fargateMemoryOptions(16384).at(-1)).to.equal(122880);
  });

  it("accepts the edges of each range and refuses what falls between steps or outside", () => {
    for (const [cpu, memory] of [[256, 512], [256, 2048], [4096, 30720], [8192, 16384], [16384, 122880]]) expect(isFargateSize(cpu, memory), `${cpu}/${memory}`).to.equal(true);
    for (const [cpu, memory] of [[256, 1536], [256, 4096], [512, 512], [1024, 9216], [4096, 31744], [8192, 17408], [16384, 36864], [3000, 6144]]) {
      expect(isFargateSize(cpu, memory), `${cpu}/${memory}`).to.equal(false);
    }
  });

  it("names cpu when the CPU value does not exist, and memory when the pair does not fit", () => {
    expect(fargateSizeIssues(3000, 6144)).to.have.length(1);
    expect(fargateSizeIssues(3000, 6144)[0]).to.match(/^cpu: 3000 is not a Fargate task size/);
    expect(fargateSizeIssues(512, 8192)[0]).to.equal("memory: 8192 MiB is not valid with cpu 512 on Fargate; use 1024, 2048, 3072, 4096");
    expect(fargateSizeIssues(1024, 2048)).to.deep.equal([]);
  });

  it("accepts exactly the listed memory values for every CPU size (property)", () => {
    const cpus = Object.keys(FARGATE_TASK_SIZES).map(Number);
    fc.assert(fc.property(fc.constantFrom(...cpus), fc.integer({ min: 0, max: 130_000 }), (cpu, memory) => {
      expect(isFargateSize(cpu, memory)).to.equal(fargateMemoryOptions(cpu).includes(memory));
      expect(fargateSizeIssues(cpu, memory).length === 0).to.equal(isFargateSize(cpu, memory));
    }));
  });
});
