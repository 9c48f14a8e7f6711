/** The delivery components refuse bad arguments whole, each problem naming its field. */
import { expect } from "chai";
import { deliveryArtifactsIssues, DeliveryArtifactsArgs } from "../../components/delivery/DeliveryArtifacts";
import { jenkinsPublisherIssues, JenkinsPublisherArgs } from "../../components/delivery/JenkinsPublisher";

const TAGS = { Environment: "management", Owner: "platform", CostCenter: "it", ManagedBy: "pulumi" };
const SCOPE = { partition: "aws", region: "me-south-1", accountId: "111111111111" };

describe("delivery components", () => {
  const artifacts: DeliveryArtifactsArgs = { scope: SCOPE, deployRoles: [], approvers: ["a@tila.sa"], retentionDays: 90, tags: TAGS };
  const jenkins: JenkinsPublisherArgs = {
    scope: SCOPE, issuerUrl: "https://jenkins.tila.sa/oidc", audience: "sts.amazonaws.com", subjects: ["https://jenkins.tila.sa/job/services/job/*"],
    services: ["checkout"], sourceBucketArn: "arn:aws:s3:::b", keyArn: "arn:aws:kms:me-south-1:111111111111:key/k", tags: TAGS,
  };

  it("accept good arguments", () => {
    expect(deliveryArtifactsIssues(artifacts)).to.deep.equal([]);
    expect(jenkinsPublisherIssues(jenkins)).to.deep.equal([]);
  });

  it("DeliveryArtifacts names every bad field at once: no approver, a malformed address, a retention under 30 days, a missing tag", () => {
    const issues = deliveryArtifactsIssues({ ...artifacts, approvers: [], retentionDays: 7, tags: { ...TAGS, Owner: "" } });
    expect(issues).to.deep.equal([
      "tags.Owner: required tag is missing",
      "approvers: name at least one approver; the approvals before preprod and prod would notify nobody",
      "retentionDays: 7 must be a whole number of days, at least 30",
    ]);
    expect(deliveryArtifactsIssues({ ...artifacts, approvers: ["not-an-address"] })).to.deep.equal(['approvers[0]: "not-an-address" is not an e-mail address']);
  });

  it("JenkinsPublisher refuses a non-https issuer, no subject, a subject of every job and no service", () => {
    expect(jenkinsPublisherIssues({ ...jenkins, issuerUrl: "http://jenkins/oidc", subjects: [], services: [] })).to.deep.equal([
      'issuerUrl: "http://jenkins/oidc" must be an https URL (IAM accepts only https OIDC issuers)',
      "subjects: name at least one Jenkins job; the role would trust nobody",
      "services: no service to publish",
    ]);
    expect(jenkinsPublisherIssues({ ...jenkins, subjects: ["*"] })).to.deep.equal(['subjects[0]: "*" would let every job of this Jenkins publish; name the jobs']);
  });
});
