import { expect } from "chai";
import { glowrootAgentsIssues } from "../../components/observability/apm/GlowrootAgents";
import { glowrootCollectorEndpointIssues } from "../../components/observability/apm/GlowrootCollectorEndpoint";
import { newRelicIntegrationIssues } from "../../components/observability/apm/NewRelicIntegration";
import { newRelicLicenseIssues } from "../../components/observability/apm/NewRelicLicense";

const tags = { Environment: "prod", Owner: "platform-team", CostCenter: "tila", ManagedBy: "pulumi" };
const integration = { environment: "prod", newRelicAccountId: "4387215", newRelicRegion: "EU" as const, accountId: "444444444444", region: "me-south-1", partition: "aws", license: { secretArn: "s", keyArn: "k" }, tags };

describe("APM components refuse bad arguments, naming the field", () => {
  it("NewRelicLicense", () => {
    expect(newRelicLicenseIssues({ environment: "prod", tags })).to.deep.equal([]);
    expect(newRelicLicenseIssues({ environment: "Prod", recoveryWindowInDays: 0, tags: { ...tags, Owner: "" } })).to.deep.equal([
      "recoveryWindowInDays: must be 7 to 30 (got 0)",
      'environment: "Prod" must be a lower-case stack name',
      "tags.Owner: required tag is missing",
    ]);
  });

  it("NewRelicIntegration: a metric stream needs the license secret; ids are digits", () => {
    expect(newRelicIntegrationIssues(integration)).to.deep.equal([]);
    expect(newRelicIntegrationIssues({ ...integration, license: undefined })).to.deep.equal(["license: the metric stream authenticates with the license key secret; give it, or set metricStream: false"]);
    expect(newRelicIntegrationIssues({ ...integration, license: undefined, metricStream: false })).to.deep.equal([]);
    expect(newRelicIntegrationIssues({ ...integration, newRelicAccountId: "x1", accountId: "4444" })).to.deep.equal([
      'newRelicAccountId: "x1" must be the New Relic account id (digits)',
      'accountId: "4444" is not an AWS account id',
    ]);
  });

  it("GlowrootCollectorEndpoint: two AZs, at least one environment, never the internet", () => {
    const ok = { environment: "management", vpcId: "vpc-1", subnetIds: ["a", "b"], environments: [{ name: "prod", cidr: "10.40.0.0/16" }], tags };
    expect(glowrootCollectorEndpointIssues(ok)).to.deep.equal([]);
    expect(glowrootCollectorEndpointIssues({ ...ok, subnetIds: ["a"], environments: [] })).to.deep.equal([
      "subnetIds: the collector's load balancer spans at least 2 AZs (got 1)",
      "environments: name at least one environment whose agents report here",
    ]);
    expect(glowrootCollectorEndpointIssues({ ...ok, environments: [{ name: "x", cidr: "0.0.0.0/0" }] })).to.deep.equal(["environments.x: the collector never admits 0.0.0.0/0"]);
  });

  it("GlowrootAgents: at least one Java service, and management's CIDR only", () => {
    const ok = { environment: "prod", privateZone: { zoneId: "Z1", name: "prod.internal.tila.sa" }, collectorDnsName: "x.elb.amazonaws.com", managementCidr: "10.0.0.0/16", serviceGroups: { catalog: "sg-1" }, tags };
    expect(glowrootAgentsIssues(ok)).to.deep.equal([]);
    expect(glowrootAgentsIssues({ ...ok, serviceGroups: {}, managementCidr: "0.0.0.0/0" })).to.deep.equal([
      "serviceGroups: name at least one Java service",
      'managementCidr: "0.0.0.0/0" must be management\'s VPC CIDR',
    ]);
  });
});
