import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { elasticacheAuthRequired as rule } from "../../../../policy/rules/data/elasticache-auth-required";
import { REPLICATION_GROUP, replicationGroup } from "./elasticache-fixtures";

describe("elasticache-auth-required", () => {
  it("accepts an AUTH token, a write-only token or RBAC user groups", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev"))).to.deep.equal([]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { authToken: undefined, authTokenWo: "token" }))).to.deep.equal([]);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { authToken: undefined, userGroupIds: ["app-users"] }))).to.deep.equal([]);
  });

  it("rejects a group that accepts unauthenticated clients", () => {
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { authToken: undefined }), { name: "redis" })[0]).to.match(/^replication group redis accepts unauthenticated clients/);
    expect(checkResource(rule, REPLICATION_GROUP, replicationGroup("dev", { authToken: "" }))).to.have.length(1);
  });

  it("counts a token generated in the same update (unknown at preview) as set", () => {
    const out = checkResourceDetailed(rule, REPLICATION_GROUP, replicationGroup("prod", { authToken: UNKNOWN }));
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.deep.equal([]);
  });
});
