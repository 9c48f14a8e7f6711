import { expect } from "chai";
import { ecsServicesNoPublicIp as rule } from "../../../../policy/rules/compute/noPublicIp";
import { checkResource } from "../../../../policy/testing";
import { SERVICE, service } from "./fixtures";

describe("ecs-services-no-public-ip", () => {
  it("accepts services and task sets without public IPs (false or unset)", () => {
    expect(checkResource(rule, SERVICE, service())).to.deep.equal([]);
    expect(checkResource(rule, "aws:ecs/taskSet:TaskSet", { networkConfiguration: { subnets: ["subnet-1"] } })).to.deep.equal([]);
  });

  it("rejects assignPublicIp on a service or a task set", () => {
    const publicIp = { networkConfiguration: { assignPublicIp: true, subnets: ["subnet-1"] } };
    expect(checkResource(rule, SERVICE, service(publicIp))).to.deep.equal(["networkConfiguration.assignPublicIp is true"]);
    expect(checkResource(rule, "aws:ecs/taskSet:TaskSet", publicIp)).to.have.length(1);
  });
});
