import { expect } from "chai";
import {
  DEFAULT_CENTRAL_ENDPOINT_SERVICES,
  EndpointNameError,
  KNOWN_ENDPOINT_SERVICES,
  endpointDnsName,
  endpointServiceIssues,
  planEndpointDns,
  regionProblem,
  serviceSlug,
} from "../../components/network/endpointNames";

const REGION = "me-south-1";

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    expect(e).to.be.instanceOf(EndpointNameError);
    return (e as EndpointNameError).issues;
  }
  expect.fail("expected an EndpointNameError");
}

describe("endpointNames", () => {
  it("centralises exactly the ten services of DESIGN.md by default", () => {
    expect([...DEFAULT_CENTRAL_ENDPOINT_SERVICES].sort()).to.deep.equal(
      ["ec2messages", "ecr.api", "ecr.dkr", "kms", "logs", "monitoring", "secretsmanager", "ssm", "ssmmessages", "sts"],
    );
  });

  it("names ECR zones with their labels reversed", () => {
    expect(endpointDnsName("ecr.api", REGION).zoneName).to.equal("api.ecr.me-south-1.amazonaws.com");
    expect(endpointDnsName("ecr.dkr", REGION).zoneName).to.equal("dkr.ecr.me-south-1.amazonaws.com");
  });

  it("names Kinesis and Firehose zones after their hosts, not their endpoint service names", () => {
    expect(endpointDnsName("kinesis-streams", REGION)).to.include({ zoneName: "kinesis.me-south-1.amazonaws.com", serviceName: "com.amazonaws.me-south-1.kinesis-streams" });
    expect(endpointDnsName("kinesis-firehose", REGION).zoneName).to.equal("firehose.me-south-1.amazonaws.com");
  });

  it("names the other default services <service>.<region>.amazonaws.com", () => {
    for (const service of ["logs", "monitoring", "ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "sts"]) {
      expect(endpointDnsName(service, REGION).zoneName, service).to.equal(`${service}.me-south-1.amazonaws.com`);
    }
  });

  it("gives every endpoint the com.amazonaws.<region>.<service> endpoint service name", () => {
    for (const plan of planEndpointDns(DEFAULT_CENTRAL_ENDPOINT_SERVICES, REGION)) {
      expect(plan.serviceName).to.equal(`com.amazonaws.me-south-1.${plan.service}`);
    }
  });

  it("asks for a wildcard record only where clients call subdomains (ecr.dkr, execute-api)", () => {
    const wildcard = KNOWN_ENDPOINT_SERVICES.filter((s) => endpointDnsName(s, REGION).wildcard);
    expect(wildcard).to.deep.equal(["ecr.dkr", "execute-api"]);
  });

  it("keeps the order of the services it was given", () => {
    expect(planEndpointDns(["sts", "ecr.dkr", "kms"], REGION).map((p) => p.service)).to.deep.equal(["sts", "ecr.dkr", "kms"]);
  });

  it("rejects an unknown service, naming its position and value", () => {
    expect(issuesOf(() => planEndpointDns(["logs", "ecr-dkr"], REGION))).to.deep.equal([
      `services[1]: "ecr-dkr" is not a known interface endpoint service (known: ${KNOWN_ENDPOINT_SERVICES.join(", ")})`,
    ]);
  });

  it("rejects global services and S3/DynamoDB with the reason", () => {
    const issues = endpointServiceIssues(["iam", "s3", "dynamodb"]);
    expect(issues).to.have.length(3);
    expect(issues[0]).to.match(/^services\[0\]: "iam" cannot be a central endpoint: it is a global service/);
    expect(issues[1]).to.match(/^services\[1\]: "s3" cannot be a central endpoint: .*gateway endpoint/);
    expect(issues[2]).to.match(/^services\[2\]: "dynamodb" cannot be a central endpoint: .*gateway endpoint/);
  });

  it("rejects a service listed twice, pointing at the first listing", () => {
    expect(endpointServiceIssues(["kms", "sts", "kms"])).to.deep.equal(['services[2]: "kms" is already listed at services[0]']);
  });

  it("rejects an empty service list", () => {
    expect(endpointServiceIssues([], "endpoints.services")).to.deep.equal(["endpoints.services: must list at least one service"]);
  });

  it("does not mistake object prototype keys for services", () => {
    expect(endpointServiceIssues(["constructor", "toString"])).to.have.length(2);
  });

  it("reports every problem at once, the region included", () => {
    const issues = issuesOf(() => planEndpointDns(["nope", "iam"], "Middle-East"));
    expect(issues).to.have.length(3);
    expect(issues[0]).to.match(/^region: "Middle-East" is not an AWS region/);
  });

  it("accepts commercial and GovCloud regions and rejects the China partition", () => {
    expect(regionProblem("me-south-1")).to.equal(undefined);
    expect(regionProblem("ap-southeast-3")).to.equal(undefined);
    expect(regionProblem("us-gov-west-1")).to.equal(undefined);
    expect(regionProblem("cn-north-1")).to.match(/^region: "cn-north-1"/);
    expect(regionProblem("me-south")).to.match(/^region:/);
  });

  it("rejects an unknown service when naming a single one", () => {
    expect(issuesOf(() => endpointDnsName("sagemaker.api", REGION))).to.deep.equal([
      `service: "sagemaker.api" is not a known interface endpoint service (known: ${KNOWN_ENDPOINT_SERVICES.join(", ")})`,
    ]);
  });

  it("derives a logical-name slug from the service alone", () => {
    expect(serviceSlug("ecr.dkr")).to.equal("ecr-dkr");
    expect(serviceSlug("kinesis-streams")).to.equal("kinesis-streams");
    const slugs = KNOWN_ENDPOINT_SERVICES.map(serviceSlug);
    expect(new Set(slugs).size).to.equal(slugs.length);
  });
});
