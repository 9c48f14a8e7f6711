import { expect } from "chai";
import { summarizeDataTier } from "../../offline/dataSummary";
import { imageLabel, summarizeImages, summarizeServices } from "../../offline/serviceSummary";
import { realStacks } from "../support/realStacks";

describe("plan summaries", () => {
  it("summarises prod's services from the graph: exposure, task range, size and image tag", async () => {
    const lines = summarizeServices((await realStacks()).prod!.resources);
    expect(lines).to.have.length(10);
    expect(lines.filter((l) => l.exposure === "internal").map((l) => l.name)).to.deep.equal(["prod-payments", "prod-notifications", "prod-recommendations"]);
    expect(lines.find((l) => l.name === "prod-checkout")).to.deep.equal({ name: "prod-checkout", exposure: "public", minTasks: 6, maxTasks: 60, cpu: "1024", memory: "2048", image: "1.7.5" });
  });

  it("summarises prod's data tier: node counts and AZ spread per cluster, managed HA settings", async () => {
    const lines = summarizeDataTier((await realStacks()).prod!.resources);
    const zk = lines.find((l) => l.name === "prod-zookeeper")!;
    expect(zk.summary).to.equal("5 x m7g.large, 50 GiB data each, AZs a:2 b:2 c:1, protected");
    expect(lines.find((l) => l.kind === "mysql")!.summary).to.match(/^db\.r7g\.xlarge, Multi-AZ, backups 30 d, deletion protection on$/);
    expect(lines.find((l) => l.kind === "redis")!.summary).to.include("failover on, multi-AZ on, TLS required");
  });

  it("has no services and only Glowroot's Cassandra and Graylog's MongoDB and OpenSearch in the management stack's data tier, but its image repositories with the tag each environment runs", async () => {
    const stacks = await realStacks();
    const mgmt = stacks.management!.resources;
    expect(summarizeServices(mgmt)).to.deep.equal([]);
    expect(summarizeDataTier(mgmt)).to.deep.equal([
      { kind: "cluster", name: "management-glowroot", summary: "3 x r7g.large, 200 GiB data each, AZs a:1 b:1 c:1, protected" },
      { kind: "cluster", name: "management-graylog-mongodb", summary: "3 x r7g.xlarge, 50 GiB data each, AZs a:1 b:1 c:1, protected" },
      { kind: "opensearch", name: "management-graylog-search-domain", summary: "3 x r6g.large.search over 3 AZ(s), 3 masters" },
    ]);
    const images = summarizeImages(mgmt);
    expect(images.map((i) => i.repository)).to.have.length(10);
    const checkout = images.find((i) => i.repository === "tila/checkout")!;
    expect(Object.keys(checkout.tags)).to.deep.equal(["dev", "stage", "preprod", "prod"]);
    for (const env of ["dev", "stage", "preprod", "prod"]) {
      expect(checkout.tags[env], env).to.equal(summarizeServices(stacks[env]!.resources).find((s) => s.name === `${env}-checkout`)!.image);
    }
    expect(summarizeImages(stacks.prod!.resources)).to.deep.equal([]);
  });

  it("shows an image by its tag, and the start of its digest when pinned by one", () => {
    expect(imageLabel("111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/checkout:1.7.5")).to.equal("1.7.5");
    expect(imageLabel(`r/tila/checkout:1.7.5@sha256:${"0123456789ab".repeat(5)}abcd`)).to.equal("1.7.5@sha256:0123456789ab");
    expect(imageLabel("not an image")).to.equal("?");
  });
});
