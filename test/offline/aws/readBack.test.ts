import { expect } from "chai";
import { providerReadBackCheck as check } from "../../../offline/aws/readBack";
import type { AwsContext } from "../../../offline/aws/rules";
import { resource } from "./support";

const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const FLAGS_FALSE = { transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false };
const hubTgw = resource(TGW, "hub-tgw", { defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable" }, { id: "tgw-hub" });
const attachment = (flags: Record<string, unknown>) => resource(ATTACHMENT, "env-tgw-attachment", { transitGatewayId: "tgw-hub", vpcId: "vpc-1", ...flags });

const envCtx: AwsContext = {
  stack: "dev",
  region: "me-south-1",
  accountId: "222222222222",
  lookup: (id) => (id === "tgw-hub" ? { resource: hubTgw, accountId: "111111111111" } : undefined),
};
const hubCtx: AwsContext = { stack: "management", region: "me-south-1", accountId: "111111111111" };

describe("provider read-back check", () => {
  describe("Transit Gateway VPC attachment default-routing flags", () => {
    it("flags false on a gateway RAM-shared from another account: the provider always reads true (perpetual diff)", () => {
      const findings = check([attachment(FLAGS_FALSE)], envCtx);
      expect(findings.map((f) => [f.check, f.name])).to.deep.equal([
        ["provider-read-back", "env-tgw-attachment"],
        ["provider-read-back", "env-tgw-attachment"],
      ]);
      expect(findings[0].message).to.contain("owned by account 111111111111 and shared into 222222222222").and.contain("Leave transitGatewayDefaultRouteTableAssociation unset");
    });

    it("accepts unset flags on a shared gateway (what EnvironmentNetwork writes with a hub provider)", () => {
      expect(check([attachment({})], envCtx)).to.deep.equal([]);
    });

    it("flags unset (default true) on the owner's gateway without default tables: the provider reads false", () => {
      const findings = check([hubTgw, attachment({})], hubCtx);
      expect(findings).to.have.length(2);
      expect(findings[1].message).to.contain('defaultRouteTablePropagation "disable"').and.contain("Set transitGatewayDefaultRouteTablePropagation to false");
    });

    it("accepts false on the owner's own gateway without default tables", () => {
      expect(check([hubTgw, attachment(FLAGS_FALSE)], hubCtx)).to.deep.equal([]);
    });

    it("says nothing where the read-back is not certain: a gateway with default tables, or one the run does not know", () => {
      const withDefaults = resource(TGW, "hub-tgw", {}, { id: "tgw-hub" });
      expect(check([withDefaults, attachment(FLAGS_FALSE)], hubCtx)).to.deep.equal([]);
      expect(check([attachment(FLAGS_FALSE)], { ...envCtx, lookup: () => undefined })).to.deep.equal([]);
    });
  });
});
