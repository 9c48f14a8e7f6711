import { expect } from "chai";
import { environmentIsolation } from "../../../../policy/rules/isolation/environment-isolation";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { PROPAGATION, environmentStack, managementStack, route, tableId } from "./hubFixture";

describe("environment-isolation", () => {
  it("accepts the hub TransitHub builds: blackholes only, management and offices propagating", () => {
    expect(checkStack(environmentIsolation, managementStack())).to.deep.equal([]);
  });

  it("accepts an environment that propagates into the management and office tables", () => {
    expect(checkStack(environmentIsolation, environmentStack("dev", ["management", "offices-riyadh"]))).to.deep.equal([]);
  });

  it("blocks a static route from dev's table to prod's CIDR", () => {
    const out = checkStack(environmentIsolation, [...managementStack(), route("dev-to-prod", "dev", "10.40.0.0/16", { transitGatewayAttachmentId: "tgw-attach-x" })]);
    expect(out).to.have.length(1);
    expect(out[0].message).to.match(/dev-to-prod in the dev table sends 10\.40\.0\.0\/16.*prod \(10\.40\.0\.0\/16\)/);
    expect(out[0].urn).to.contain("::dev-to-prod");
  });

  it("blocks a more specific route that would win over another environment's blackhole", () => {
    const out = checkStack(environmentIsolation, [...managementStack(), route("dev-to-prod-subnet", "dev", "10.40.8.0/24", { transitGatewayAttachmentId: "tgw-attach-x" })]);
    expect(out.map((v) => v.message)).to.have.length(1);
    expect(out[0].message).to.contain("prod (10.40.0.0/16)");
  });

  it("blocks a route inside a range its own table blackholes, even one no environment claims", () => {
    const stack = [...managementStack(), route("dev-bh-legacy", "dev", "10.99.0.0/16", { blackhole: true }), route("dev-leak", "dev", "10.99.1.0/24", { transitGatewayAttachmentId: "tgw-attach-x" })];
    expect(checkStack(environmentIsolation, stack).map((v) => v.message)).to.deep.equal([
      "route dev-leak in the dev table sends 10.99.1.0/24 to an attachment, overlapping the blackholed 10.99.0.0/16; only a blackhole may cover another environment",
    ]);
  });

  it("recognises another environment's CIDR from blackholes that do not follow the naming convention", () => {
    const stack = [...managementStack({ anonymousBlackholes: true }), route("dev-to-stage", "dev", "10.20.0.0/16", { transitGatewayAttachmentId: "tgw-attach-x" })];
    expect(checkStack(environmentIsolation, stack).map((v) => v.message)).to.deep.equal([
      "route dev-to-stage in the dev table sends 10.20.0.0/16 to an attachment, overlapping stage (10.20.0.0/16); only a blackhole may cover another environment",
    ]);
  });

  it("allows routes to management and offices in an environment table", () => {
    expect(checkStack(environmentIsolation, [...managementStack(), route("dev-to-riyadh", "dev", "172.16.0.0/16", { transitGatewayAttachmentId: "tgw-attach-vpn" })])).to.deep.equal([]);
  });

  it("blocks dev's attachment propagating into prod's table (environment stack, tables from the StackReference)", () => {
    const out = checkStack(environmentIsolation, environmentStack("dev", ["management", "prod"]));
    expect(out).to.have.length(1);
    expect(out[0].message).to.contain("puts the dev attachment's routes into the prod table");
  });

  it("blocks another environment's attachment propagating into a table in the management stack", () => {
    const stack = [
      ...managementStack(),
      { type: "aws:ec2transitgateway/vpcAttachment:VpcAttachment", name: "stage-att", props: { arn: "arn:aws:ec2:r:1:vpc-attachment/tgw-attach-stage", tags: { Environment: "stage" } } },
      { type: PROPAGATION, name: "stage-into-prod", props: { transitGatewayAttachmentId: "tgw-attach-stage", transitGatewayRouteTableId: tableId("prod") } },
    ];
    expect(checkStack(environmentIsolation, stack).map((v) => v.urn)).to.deep.equal(["urn:pulumi:test::tila-platform::aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation::stage-into-prod"]);
  });

  it("does not report values unknown during preview", () => {
    const stack = [
      ...managementStack(),
      route("unknown-destination", "dev", UNKNOWN),
      route("unknown-blackhole", "dev", "10.40.0.0/16", { blackhole: UNKNOWN }),
      { type: PROPAGATION, name: "unknown-attachment", props: { transitGatewayAttachmentId: UNKNOWN, transitGatewayRouteTableId: tableId("prod") } },
    ];
    expect(checkStack(environmentIsolation, stack)).to.deep.equal([]);
  });
});
