/**
 * Management's delivery policies, evaluated with the pack's IAM evaluator: each pipeline role
 * assumes only its own service's deploy roles, Jenkins only publishes, the key and artefact store
 * admit the environments' deploy roles by aws:PrincipalArn, and EventBridge only for the failure rule.
 */
import { expect } from "chai";
import { evaluate } from "../../policy/rules/iam/evaluate";
import {
  DeliveryScope,
  approversTopicPolicy,
  artifactBucketPolicy,
  deliveryKeyPolicy,
  failureEventPattern,
  failureRuleArn,
  jenkinsPolicy,
  jenkinsTrustPolicy,
  pipelineRolePolicy,
  pipelineTrustPolicy,
} from "../../components/delivery/deliveryPolicies";

const S: DeliveryScope = { partition: "aws", region: "me-south-1", accountId: "111111111111" };
const SOURCE = "arn:aws:s3:::tila-delivery-source-111111111111-me-south-1";
const ARTIFACTS = "arn:aws:s3:::tila-delivery-artifacts-111111111111-me-south-1";
const KEY = "arn:aws:kms:me-south-1:111111111111:key/k1";
const role = (account: string, env: string, svc: string): string => `arn:aws:iam::${account}:role/tila-deploy-${env}-${svc}`;
const CHECKOUT = [role("222222222222", "dev", "checkout"), role("444444444444", "prod", "checkout")];
const s3 = { "kms:ViaService": "s3.me-south-1.amazonaws.com" };

describe("deliveryPolicies", () => {
  describe("pipeline service role", () => {
    const policy = pipelineRolePolicy({ scope: S, service: "checkout", sourceBucketArn: SOURCE, artifactBucketArn: ARTIFACTS, keyArn: KEY, deployRoleArns: CHECKOUT });
    const decide = (action: string, resource: string, context = {}) => evaluate([policy], { action, resources: [resource], context });

    it("assumes its own service's deploy roles and no other service's or environment's", () => {
      for (const arn of CHECKOUT) expect(decide("sts:AssumeRole", arn), arn).to.equal("allow");
      expect(decide("sts:AssumeRole", role("444444444444", "prod", "payments"))).to.equal("implicit-deny");
      expect(decide("sts:AssumeRole", role("333333333333", "preprod", "checkout")), "an environment that does not run it").to.equal("implicit-deny");
      expect(decide("sts:AssumeRole", "arn:aws:iam::444444444444:role/tila-platform-deploy-prod")).to.equal("implicit-deny");
    });

    it("reads only its own source object, writes artefacts, uses the key only through S3 or SNS, and notifies the approvers", () => {
      expect(decide("s3:GetObjectVersion", `${SOURCE}/checkout/imagedefinitions.zip`)).to.equal("allow");
      expect(decide("s3:GetObject", `${SOURCE}/payments/imagedefinitions.zip`)).to.equal("implicit-deny");
      expect(decide("s3:PutObject", `${SOURCE}/checkout/imagedefinitions.zip`), "the source is Jenkins' to write").to.equal("implicit-deny");
      expect(decide("s3:PutObject", `${ARTIFACTS}/tila-checkout/image/abc`)).to.equal("allow");
      expect(decide("kms:GenerateDataKey", KEY, s3)).to.equal("allow");
      expect(decide("kms:Decrypt", KEY, { "kms:ViaService": "sns.me-south-1.amazonaws.com" })).to.equal("allow");
      expect(decide("kms:Decrypt", KEY), "directly, outside S3 and SNS").to.equal("implicit-deny");
      expect(decide("sns:Publish", "arn:aws:sns:me-south-1:111111111111:tila-delivery-approvers")).to.equal("allow");
      expect(decide("sns:Publish", "arn:aws:sns:me-south-1:111111111111:tila-management-alerts-critical")).to.equal("implicit-deny");
    });

    it("is trusted by CodePipeline for this account only", () => {
      const trust = pipelineTrustPolicy(S);
      expect(trust.Statement).to.deep.equal([{ Effect: "Allow", Principal: { Service: "codepipeline.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }]);
    });

    it("refuses to build a role with nothing to assume", () => {
      expect(() => pipelineRolePolicy({ scope: S, service: "x", sourceBucketArn: SOURCE, artifactBucketArn: ARTIFACTS, keyArn: KEY, deployRoleArns: [] })).to.throw(/x has no deploy role/);
    });
  });

  describe("Jenkins", () => {
    const policy = jenkinsPolicy({ scope: S, services: ["checkout", "cart"], sourceBucketArn: SOURCE, keyArn: KEY });
    const decide = (action: string, resource: string, context = {}) => evaluate([policy], { action, resources: [resource], context });

    it("pushes to the services' repositories, writes their source objects and starts and follows their pipelines", () => {
      expect(decide("ecr:GetAuthorizationToken", "*")).to.equal("allow");
      expect(decide("ecr:PutImage", "arn:aws:ecr:me-south-1:111111111111:repository/tila/cart")).to.equal("allow");
      expect(decide("s3:PutObject", `${SOURCE}/checkout/imagedefinitions.zip`)).to.equal("allow");
      expect(decide("kms:GenerateDataKey", KEY, s3)).to.equal("allow");
      expect(decide("codepipeline:StartPipelineExecution", "arn:aws:codepipeline:me-south-1:111111111111:tila-checkout")).to.equal("allow");
      expect(decide("codepipeline:GetPipelineExecution", "arn:aws:codepipeline:me-south-1:111111111111:tila-cart")).to.equal("allow");
    });

    it("cannot approve, deploy, delete images or touch anything beyond its services", () => {
      expect(decide("codepipeline:PutApprovalResult", "arn:aws:codepipeline:me-south-1:111111111111:tila-checkout/Approve-prod/Approve")).to.equal("implicit-deny");
      expect(decide("ecr:BatchDeleteImage", "arn:aws:ecr:me-south-1:111111111111:repository/tila/cart")).to.equal("implicit-deny");
      expect(decide("ecr:PutImage", "arn:aws:ecr:me-south-1:111111111111:repository/tila/payments")).to.equal("implicit-deny");
      expect(decide("s3:PutObject", `${SOURCE}/payments/imagedefinitions.zip`)).to.equal("implicit-deny");
      expect(decide("s3:PutObject", `${ARTIFACTS}/tila-checkout/image/abc`), "the artefact store is the pipelines'").to.equal("implicit-deny");
      expect(decide("codepipeline:UpdatePipeline", "arn:aws:codepipeline:me-south-1:111111111111:tila-checkout")).to.equal("implicit-deny");
      expect(decide("sts:AssumeRole", CHECKOUT[1]!)).to.equal("implicit-deny");
    });

    it("is trusted only for the configured audience and job subjects of its issuer", () => {
      const provider = "arn:aws:iam::111111111111:oidc-provider/jenkins.tila.sa/oidc";
      const trust = jenkinsTrustPolicy({ providerArn: provider, issuerUrl: "https://jenkins.tila.sa/oidc", audience: "sts.amazonaws.com", subjects: ["https://jenkins.tila.sa/job/services/job/*"] });
      // The pack's evaluator models AWS principals only, so the web-identity statement is read as written.
      expect(trust.Statement).to.deep.equal([{
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "jenkins.tila.sa/oidc:aud": "sts.amazonaws.com" }, StringLike: { "jenkins.tila.sa/oidc:sub": ["https://jenkins.tila.sa/job/services/job/*"] } },
      }]);
      expect(() => jenkinsTrustPolicy({ providerArn: provider, issuerUrl: "https://jenkins.tila.sa/oidc", audience: "a", subjects: [] })).to.throw(/at least one subject/);
    });
  });

  describe("key, artefact store and topic", () => {
    const deployRoles = [{ accountId: "222222222222", roleArn: CHECKOUT[0]! }, { accountId: "444444444444", roleArn: CHECKOUT[1]! }, { accountId: "444444444444", roleArn: role("444444444444", "prod", "cart") }];

    it("lets each environment account decrypt only as its deploy roles and only through S3, naming the account (the roles need not exist yet)", () => {
      const key = deliveryKeyPolicy(S, deployRoles);
      const grants = key.Statement.filter((s) => String(s.Sid).startsWith("EnvironmentDeployRolesDecrypt"));
      expect(grants.map((g) => g.Principal)).to.deep.equal([{ AWS: "arn:aws:iam::222222222222:root" }, { AWS: "arn:aws:iam::444444444444:root" }]);
      expect(grants[1]!.Condition).to.deep.equal({
        ArnEquals: { "aws:PrincipalArn": [role("444444444444", "prod", "cart"), CHECKOUT[1]!] },
        StringEquals: { "kms:ViaService": "s3.me-south-1.amazonaws.com" },
      });
      const eventBridge = key.Statement.find((s) => s.Sid === "EventBridgePublishes")!;
      expect(eventBridge.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": "111111111111" }, ArnEquals: { "aws:SourceArn": failureRuleArn(S) } });
    });

    it("lets deploy roles read artefacts, refuses uploads not encrypted with KMS, and denies every request without TLS", () => {
      const policy = artifactBucketPolicy(S, ARTIFACTS, deployRoles);
      const read = (arn: string, account: string) =>
        evaluate([policy], { action: "s3:GetObject", resources: [`${ARTIFACTS}/tila-checkout/image/x`], principal: { arn, account }, context: { "aws:PrincipalArn": arn, "aws:SecureTransport": "true" } });
      expect(read(CHECKOUT[1]!, "444444444444")).to.equal("allow");
      expect(read("arn:aws:iam::444444444444:role/someone-else", "444444444444")).to.not.equal("allow");
      const put = (encryption?: string) =>
        evaluate([policy], { action: "s3:PutObject", resources: [`${ARTIFACTS}/x`], principal: { arn: "arn:aws:iam::111111111111:role/tila-pipeline-checkout", account: "111111111111" }, context: { "aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": encryption } });
      expect(put("AES256"), "an upload not under KMS").to.equal("explicit-deny");
      expect(put(undefined), "an upload without encryption").to.equal("explicit-deny");
      expect(put("aws:kms"), "CodePipeline's SSE-KMS upload (allowed by the pipeline role's own policy)").to.equal("implicit-deny");
      const deny = policy.Statement.find((s) => s.Sid === "DenyInsecureTransport")!;
      expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [ARTIFACTS, `${ARTIFACTS}/*`] });
    });

    it("lets EventBridge publish to the approvers' topic for the failure rule only, and nothing publish without TLS", () => {
      const topic = approversTopicPolicy(S);
      const publish = topic.Statement.filter((s) => s.Effect === "Allow" && (Array.isArray(s.Action) ? s.Action : [s.Action]).includes("sns:Publish"));
      expect(publish.map((s) => s.Principal)).to.deep.equal([{ Service: "events.amazonaws.com" }]);
      expect(topic.Statement.find((s) => s.Sid === "TlsOnly")).to.deep.include({ Effect: "Deny", Action: "sns:Publish" });
    });

    it("forwards failed source and deploy actions of the named pipelines, not rejected approvals", () => {
      expect(failureEventPattern(["checkout", "cart"])).to.deep.equal({
        source: ["aws.codepipeline"],
        "detail-type": ["CodePipeline Action Execution State Change"],
        detail: { state: ["FAILED"], pipeline: ["tila-cart", "tila-checkout"], type: { category: ["Source", "Deploy"] } },
      });
    });
  });
});
