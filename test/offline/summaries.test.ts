import { expect } from "chai";
import { summarizeDataTier } from "../../offline/dataSummary";
import { summarizeServices } from "../../offline/serviceSummary";
import { realStacks } from "../support/realStacks";

describe("plan summaries", () => {
  it("summarises prod's services from the graph: exposure, task range and size", async () => {
    const lines = summarizeServices((await realStacks()).prod!.resources);
    expect(lines).to.have.length(10);
    expect(lines.filter((l) => l.exposure === "internal").map((l) => l.name)).to.deep.equal(["prod-payments", "prod-notifications", "prod-recommendations"]);
    expect(lines.find((l) => l.name === "prod-checkout")).to.deep.equal({ name: "prod-checkout", exposure: "public", minTasks: 6, maxTasks: 60, cpu: "1024", memory: "2048" });
  });

  it("summarises prod's data tier: node counts and AZ spread per cluster, managed HA settings", async () => {
    const lines = summarizeDataTier((await realStacks()).prod!.resources);
    const zk = lines.find((l) => l.name === "prod-zookeeper")!;
    expect(zk.summary).to.equal("5 x m7g.large, 50 GiB data each, AZs a:2 b:2 c:1, protected");
    expect(lines.find((l) => l.kind === "mysql")!.summary).to.match(/^db\.r7g\.xlarge, Multi-AZ, backups 30 d, deletion protection on$/);
    expect(lines.find((l) => l.kind === "redis")!.summary).to.include("failover on, multi-AZ on, TLS required");
  });

  it("has nothing to summarise in the management stack", async () => {
    const mgmt = (await realStacks()).management!.resources;
    expect(summarizeServices(mgmt)).to.deep.equal([]);
    expect(summarizeDataTier(mgmt)).to.deep.equal([]);
  });
});
