/**
 * The deploy policy's pure parts (components/security/baseline/deployPolicy.ts): the table from
 * Pulumi type token to IAM service prefix, and the refusals of bad input.
 */
import { expect } from "chai";
import { deployPermissionPolicy, servicePrefixOf, servicePrefixesOf } from "../../components/security/baseline/deployPolicy";

const input = { stack: "dev", accountId: "222222222222", region: "me-south-1", resourceTypes: ["aws:ec2/vpc:Vpc"], passedToServices: ["lambda.amazonaws.com"], hubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-dev" };

describe("deploy policy", () => {
  it("maps type tokens to IAM prefixes, by resource where a module spans services", () => {
    expect(servicePrefixOf("aws:cloudwatch/logGroup:LogGroup")).to.equal("logs");
    expect(servicePrefixOf("aws:cloudwatch/eventRule:EventRule")).to.equal("events");
    expect(servicePrefixOf("aws:cloudwatch/metricAlarm:MetricAlarm")).to.equal("cloudwatch");
    expect(servicePrefixOf("aws:opensearch/domain:Domain")).to.equal("es");
    expect(servicePrefixOf("aws:lb/loadBalancer:LoadBalancer")).to.equal("elasticloadbalancing");
    expect(servicePrefixOf("aws:ec2transitgateway/vpcAttachment:VpcAttachment")).to.equal("ec2");
    expect(servicePrefixOf("aws:cloudwatch/dashboard:Dashboard")).to.equal("cloudwatch");
    expect(servicePrefixOf("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")).to.equal("logs");
    expect(servicePrefixOf("aws:cloudwatch/logMetricFilter:LogMetricFilter")).to.equal(undefined);
    expect(servicePrefixOf("tila:network:EnvironmentNetwork")).to.equal(undefined);
  });

  it("refuses a type the table does not know, naming it", () => {
    expect(() => servicePrefixesOf(["aws:ec2/vpc:Vpc", "aws:appsync/graphQLApi:GraphQLApi"])).to.throw(/aws:appsync\/graphQLApi:GraphQLApi/);
    expect(() => deployPermissionPolicy({ ...input, resourceTypes: ["aws:appsync/graphQLApi:GraphQLApi"] })).to.throw(/SERVICE_PREFIXES/);
  });

  it("refuses another environment's hub role, a bad account and an empty service list", () => {
    expect(() => deployPermissionPolicy({ ...input, hubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-prod" })).to.throw(/not dev's hub role/);
    expect(() => deployPermissionPolicy({ ...input, accountId: "22" })).to.throw(/accountId/);
    expect(() => deployPermissionPolicy({ ...input, passedToServices: [] })).to.throw(/passed to/);
  });

  it("grants no sts:AssumeRole without a hub role (management) and pins regional services to the region", () => {
    const doc = deployPermissionPolicy({ ...input, stack: "management", hubRoleArn: undefined, resourceTypes: ["aws:ec2/vpc:Vpc", "aws:iam/role:Role"] });
    expect(JSON.stringify(doc)).to.not.include("sts:AssumeRole");
    const regional = doc.Statement.find((s) => s.Sid === "ManageStackServicesInRegion")!;
    expect(regional.Action).to.deep.equal(["ec2:*"]);
    expect(regional.Condition).to.deep.equal({ StringEquals: { "aws:RequestedRegion": "me-south-1" } });
    expect(doc.Statement.find((s) => s.Sid === "ManageGlobalServices")!.Action).to.deep.equal(["iam:*"]);
  });
});
