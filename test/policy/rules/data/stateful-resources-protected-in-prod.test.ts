import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { statefulResourcesProtectedInProd as rule } from "../../../../policy/rules/data/stateful-resources-protected-in-prod";

const prod = { tags: { Environment: "prod" } };
const protect = { opts: { protect: true } };
const STATEFUL = [
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:opensearch/domain:Domain",
  "aws:elasticsearch/domain:Domain",
  "aws:ebs/volume:Volume",
  "aws:kms/key:Key",
];
const INSTANCE = "aws:ec2/instance:Instance";

describe("stateful-resources-protected-in-prod", () => {
  it("accepts protected stateful resources and cluster nodes in prod", () => {
    for (const type of STATEFUL) expect(checkResource(rule, type, prod, protect), type).to.deep.equal([]);
    expect(checkResource(rule, INSTANCE, { tags: { Environment: "prod", Cluster: "prod-kafka" } }, protect)).to.deep.equal([]);
  });

  it("rejects each unprotected stateful resource in prod", () => {
    for (const type of STATEFUL) expect(checkResource(rule, type, prod), type).to.have.length(1);
    expect(checkResource(rule, "aws:rds/instance:Instance", prod, { name: "db" })).to.deep.equal(["Instance db (prod) is not protected: pass { protect: true }"]);
  });

  it("rejects an unprotected cluster node, not other instances", () => {
    expect(checkResource(rule, INSTANCE, { tags: { Environment: "prod", Cluster: "prod-kafka" } })).to.have.length(1);
    expect(checkResource(rule, INSTANCE, prod)).to.deep.equal([]);
  });

  it("leaves other environments and other types alone", () => {
    expect(checkResource(rule, "aws:rds/instance:Instance", { tags: { Environment: "preprod" } })).to.deep.equal([]);
    expect(checkResource(rule, "aws:s3/bucket:Bucket", prod)).to.deep.equal([]);
  });

  it("does not report a resource whose environment is unknown during preview", () => {
    expect(checkResourceDetailed(rule, "aws:ebs/volume:Volume", { tags: { Environment: UNKNOWN } }).violations).to.deep.equal([]);
  });
});
