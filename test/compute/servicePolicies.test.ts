import { expect } from "chai";
import fc from "fast-check";
import { ECR_PULL_ACTIONS, arnLocation, ecsTasksTrustPolicy, executionRolePolicy, grants } from "../../components/compute/servicePolicies";

const WHERE = { partition: "aws", region: "me-south-1", accountId: "444444444444" };
const LOG_GROUP = "arn:aws:logs:me-south-1:444444444444:log-group:/tila/prod/checkout";
const REPO = "arn:aws:ecr:me-south-1:111111111111:repository/tila/checkout";
const SECRET_A = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/checkout/mysql-AbCdEf";
const SECRET_B = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/checkout/psp-GhIjKl";
const KEY = "arn:aws:kms:me-south-1:444444444444:key/11111111-2222-4333-a444-555555555555";

describe("servicePolicies", () => {
  describe("executionRolePolicy", () => {
    const full = executionRolePolicy({ where: WHERE, ecrRepositoryArn: REPO, logGroupArn: LOG_GROUP, secretArns: [SECRET_B, SECRET_A, SECRET_A], kmsKeyArns: [KEY] });

    it("uses * as a resource only for ecr:GetAuthorizationToken, which has no resource to scope to", () => {
      expect(grants(full).filter((g) => g.resource === "*")).to.deep.equal([{ action: "ecr:GetAuthorizationToken", resource: "*" }]);
      // The only other wildcard is the streams of the service's own log group.
      const partial = grants(full).filter((g) => g.resource !== "*" && g.resource.includes("*"));
      expect([...new Set(partial.map((g) => g.resource))]).to.deep.equal([`${LOG_GROUP}:*`]);
    });

    it("never uses a wildcard action", () => {
      for (const g of grants(full)) expect(g.action, g.action).not.to.include("*");
    });

    it("pulls only from the image's own repository", () => {
      expect(grants(full).filter((g) => g.action.startsWith("ecr:") && g.resource !== "*")).to.deep.equal(ECR_PULL_ACTIONS.map((action) => ({ action, resource: REPO })));
    });

    it("writes only to streams of the service's log group", () => {
      expect(grants(full).filter((g) => g.action.startsWith("logs:"))).to.deep.equal([
        { action: "logs:CreateLogStream", resource: `${LOG_GROUP}:*` },
        { action: "logs:PutLogEvents", resource: `${LOG_GROUP}:*` },
      ]);
    });

    it("reads exactly the given secrets, each once, and decrypts with exactly the given keys through Secrets Manager", () => {
      expect(grants(full).filter((g) => g.action.startsWith("secretsmanager:"))).to.deep.equal([
        { action: "secretsmanager:GetSecretValue", resource: SECRET_A },
        { action: "secretsmanager:GetSecretValue", resource: SECRET_B },
      ]);
      const kms = full.Statement.filter((s) => s.Action.includes("kms:Decrypt"));
      expect(kms).to.have.length(1);
      expect(kms[0].Resource).to.deep.equal([KEY]);
      expect(kms[0].Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "secretsmanager.me-south-1.amazonaws.com" } });
    });

    it("has no ECR, secret or key statements when the image is not on ECR and nothing is injected", () => {
      const bare = executionRolePolicy({ where: WHERE, logGroupArn: LOG_GROUP, secretArns: [], kmsKeyArns: [] });
      expect(bare.Statement.map((s) => s.Sid)).to.deep.equal(["WriteServiceLogs"]);
    });

    it("grants secrets and keys exactly as given, whatever they are (property)", () => {
      const arn = fc.stringMatching(/^[a-z0-9/-]{1,20}$/).map((s) => `arn:aws:secretsmanager:me-south-1:444444444444:secret:${s}`);
      fc.assert(fc.property(fc.array(arn, { maxLength: 6 }), fc.array(arn.map((s) => s.replace("secretsmanager", "kms")), { maxLength: 3 }), (secrets, keys) => {
        const doc = executionRolePolicy({ where: WHERE, logGroupArn: LOG_GROUP, secretArns: secrets, kmsKeyArns: keys });
        const got = (prefix: string): string[] => grants(doc).filter((g) => g.action.startsWith(prefix)).map((g) => g.resource);
        expect(got("secretsmanager:")).to.deep.equal([...new Set(secrets)].sort());
        expect(got("kms:")).to.deep.equal([...new Set(keys)].sort());
        expect(grants(doc).some((g) => g.resource === "*")).to.equal(false);
      }));
    });

    it("uses the partition's DNS suffix in kms:ViaService", () => {
      const cn = executionRolePolicy({ where: { partition: "aws-cn", region: "cn-north-1", accountId: "444444444444" }, logGroupArn: LOG_GROUP, secretArns: [SECRET_A], kmsKeyArns: [KEY] });
      expect(cn.Statement.at(-1)!.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "secretsmanager.cn-north-1.amazonaws.com.cn" } });
    });
  });

  describe("ecsTasksTrustPolicy", () => {
    it("lets only ECS tasks of this account assume the execution role", () => {
      expect(ecsTasksTrustPolicy(WHERE, "execution").Statement).to.deep.equal([{
        Sid: "EcsTasksOfThisAccount", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "444444444444" } },
      }]);
    });

    it("also pins the task role to this account's ECS resources in this region", () => {
      expect(ecsTasksTrustPolicy(WHERE, "task").Statement[0].Condition).to.deep.equal({
        StringEquals: { "aws:SourceAccount": "444444444444" },
        ArnLike: { "aws:SourceArn": "arn:aws:ecs:me-south-1:444444444444:*" },
      });
    });
  });

  describe("arnLocation", () => {
    it("reads partition, region and account from a regional ARN and refuses a global one", () => {
      expect(arnLocation(LOG_GROUP)).to.deep.equal(WHERE);
      expect(arnLocation("arn:aws-cn:logs:cn-north-1:444444444444:log-group:x")).to.deep.equal({ partition: "aws-cn", region: "cn-north-1", accountId: "444444444444" });
      expect(() => arnLocation("arn:aws:iam::444444444444:role/x")).to.throw(/not a regional ARN/);
    });
  });
});
