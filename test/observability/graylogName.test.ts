import { expect } from "chai";
import { graylogNameIssues } from "../../components/observability/logging/GraylogName";
import { realStack } from "../support/realStacks";

const tags = { Environment: "dev", Owner: "platform-team", CostCenter: "tila", ManagedBy: "pulumi" };

describe("GraylogName: each environment's name for management's Graylog", () => {
  it("refuses a zone that is not a DNS name and missing tags, naming the field", () => {
    const ok = { environment: "dev", privateZone: { zoneId: "Z1", name: "dev.internal.tila.sa" }, loadBalancerDnsName: "lb", tags };
    expect(graylogNameIssues(ok)).to.deep.equal([]);
    expect(graylogNameIssues({ ...ok, privateZone: { zoneId: "Z1", name: "Dev Zone" }, tags: { ...tags, Owner: "" } })).to.deep.equal([
      'privateZone.name: "Dev Zone" is not a DNS zone name',
      "tags.Owner: required tag is missing",
    ]);
  });

  it("on the real dev stack: one CNAME graylog.dev.internal.<domain> to management's load balancer, in dev's private zone", async () => {
    const dev = await realStack("dev");
    const management = await realStack("management");
    const component = dev.resources.filter((r) => r.type === "tila:observability:GraylogName");
    expect(component).to.have.length(1);
    const records = dev.resources.filter((r) => r.parent === component[0]!.urn);
    expect(records.map((r) => r.type)).to.deep.equal(["aws:route53/record:Record"]);
    const record = records[0]!.inputs as { name: string; type: string; records: string[]; zoneId: string };
    expect(record.name).to.equal("graylog.dev.internal.tila.sa");
    expect(record.type).to.equal("CNAME");
    expect(record.records).to.deep.equal([management.outputs.graylogLoadBalancerDnsName]);
    const zone = dev.resources.find((r) => r.type === "aws:route53/zone:Zone" && (r.inputs as { name?: string }).name === "dev.internal.tila.sa");
    expect(zone, "dev's private zone").to.not.equal(undefined);
    expect(record.zoneId).to.equal(zone!.id);
  });
});
