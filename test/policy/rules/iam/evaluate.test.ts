import { expect } from "chai";
import { IamRequest, UnsupportedPolicyError, evaluate } from "../../../../policy/rules/iam/evaluate";

const doc = (...Statement: unknown[]): string => JSON.stringify({ Version: "2012-10-17", Statement });
const req = (action: string, resources: string[], context?: IamRequest["context"]): IamRequest => ({ action, resources, context });

describe("IAM evaluator", () => {
  describe("actions and resources", () => {
    const p = doc({ Effect: "Allow", Action: ["ec2:Get*", "route53:GetChange"], Resource: ["arn:aws:ec2:me-south-1:1:transit-gateway-route-table/tgw-rtb-a", "arn:aws:route53:::change/*"] });

    it("matches actions case-insensitively with wildcards, resources case-sensitively", () => {
      expect(evaluate([p], req("EC2:GetTransitGatewayRouteTableAssociations", ["arn:aws:ec2:me-south-1:1:transit-gateway-route-table/tgw-rtb-a"]))).to.equal("allow");
      expect(evaluate([p], req("route53:GetChange", ["arn:aws:route53:::change/C123"]))).to.equal("allow");
      expect(evaluate([p], req("route53:GetChange", ["arn:aws:route53:::CHANGE/C123"]))).to.equal("implicit-deny");
      expect(evaluate([p], req("ec2:DescribeVpcs", ["*"]))).to.equal("implicit-deny");
    });

    it("needs every resource of a request allowed", () => {
      const both = ["arn:aws:ec2:me-south-1:1:transit-gateway-route-table/tgw-rtb-a", "arn:aws:ec2:me-south-1:1:transit-gateway-route-table/tgw-rtb-b"];
      expect(evaluate([p], req("ec2:GetX", both))).to.equal("implicit-deny");
      expect(evaluate([p], req("ec2:GetX", both.slice(0, 1)))).to.equal("allow");
    });

    it("lets only Resource \"*\" match an action that has no resource type", () => {
      expect(evaluate([p], req("ec2:GetX", ["*"]))).to.equal("implicit-deny");
      expect(evaluate([doc({ Effect: "Allow", Action: "ec2:GetX", Resource: "*" })], req("ec2:GetX", ["*"]))).to.equal("allow");
    });

    it("applies NotAction and NotResource as complements, and an explicit Deny over any Allow", () => {
      const q = doc(
        { Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::secret/*" },
        { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
      );
      expect(evaluate([q], req("s3:GetObject", ["arn:aws:s3:::open/x"]))).to.equal("allow");
      expect(evaluate([q], req("s3:GetObject", ["arn:aws:s3:::secret/x"]))).to.equal("implicit-deny");
      expect(evaluate([q], req("iam:PassRole", ["arn:aws:iam::1:role/x"]))).to.equal("implicit-deny");
      expect(evaluate([q], req("s3:DeleteObject", ["arn:aws:s3:::open/x"]))).to.equal("explicit-deny");
    });
  });

  describe("conditions", () => {
    const names = doc({
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: "arn:aws:route53:::hostedzone/Z1",
      Condition: {
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["dev.tila.sa", "_*.dev.internal.tila.sa"] },
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["NS", "CNAME"] },
        Null: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": "false" },
      },
    });
    const change = (n: string | string[] | undefined, t: string | string[] = "NS"): IamRequest =>
      req("route53:ChangeResourceRecordSets", ["arn:aws:route53:::hostedzone/Z1"], {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": n,
        "route53:ChangeResourceRecordSetsRecordTypes": t,
      });

    it("ForAllValues: every value must match one of the patterns", () => {
      expect(evaluate([names], change(["dev.tila.sa", "_abc.dev.internal.tila.sa"], ["NS", "CNAME"]))).to.equal("allow");
      expect(evaluate([names], change(["dev.tila.sa", "api.tila.sa"]))).to.equal("implicit-deny");
      expect(evaluate([names], change("dev.tila.sa", "A"))).to.equal("implicit-deny");
      expect(evaluate([names], change("_x.prod.internal.tila.sa", "CNAME"))).to.equal("implicit-deny");
    });

    it("ForAllValues holds for a missing key, which is why the Null guard is there", () => {
      const noGuard = doc({ Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: "*", Condition: { "ForAllValues:StringLike": { k: "dev.*" } } });
      expect(evaluate([noGuard], req("route53:ChangeResourceRecordSets", ["*"]))).to.equal("allow");
      expect(evaluate([names], change(undefined))).to.equal("implicit-deny");
      expect(evaluate([names], change([]))).to.equal("implicit-deny");
    });

    it("ForAnyValue needs one match and fails on a missing key", () => {
      const any = doc({ Effect: "Allow", Action: "a:b", Resource: "*", Condition: { "ForAnyValue:StringEquals": { k: ["x", "y"] } } });
      expect(evaluate([any], req("a:b", ["*"], { k: ["z", "y"] }))).to.equal("allow");
      expect(evaluate([any], req("a:b", ["*"], { k: ["z"] }))).to.equal("implicit-deny");
      expect(evaluate([any], req("a:b", ["*"]))).to.equal("implicit-deny");
    });

    it("ORs a key's values, ANDs keys and operators; negated operators hold on a missing key", () => {
      const p = doc({
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": ["me-south-1", "me-central-1"], "sts:RoleSessionName": "s" }, StringNotEquals: { x: "bad" } },
      });
      expect(evaluate([p], req("sts:AssumeRole", ["*"], { "aws:RequestedRegion": "me-central-1", "sts:RoleSessionName": "s" }))).to.equal("allow");
      expect(evaluate([p], req("sts:AssumeRole", ["*"], { "aws:RequestedRegion": "me-central-1", "sts:RoleSessionName": "t" }))).to.equal("implicit-deny");
      expect(evaluate([p], req("sts:AssumeRole", ["*"], { "aws:RequestedRegion": "me-south-1", "sts:RoleSessionName": "s", x: "bad" }))).to.equal("implicit-deny");
      expect(evaluate([p], req("sts:AssumeRole", ["*"], { "sts:RoleSessionName": "s" }))).to.equal("implicit-deny");
    });

    it("IfExists holds on a missing key; Bool and ArnLike compare as IAM does", () => {
      const p = doc({ Effect: "Allow", Action: "a:b", Resource: "*", Condition: { StringEqualsIfExists: { k: "v" }, Bool: { "aws:SecureTransport": "true" }, ArnLike: { "aws:PrincipalArn": "arn:aws:iam::1:role/deploy-*" } } });
      const ctx = { "aws:SecureTransport": "true", "aws:PrincipalArn": "arn:aws:iam::1:role/deploy-dev" };
      expect(evaluate([p], req("a:b", ["*"], ctx))).to.equal("allow");
      expect(evaluate([p], req("a:b", ["*"], { ...ctx, k: "w" }))).to.equal("implicit-deny");
      expect(evaluate([p], req("a:b", ["*"], { ...ctx, "aws:SecureTransport": "false" }))).to.equal("implicit-deny");
      expect(evaluate([p], req("a:b", ["*"], { ...ctx, "aws:PrincipalArn": "arn:aws:iam::1:role/other" }))).to.equal("implicit-deny");
    });
  });

  describe("trust policies", () => {
    const trust = doc({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: "sts:AssumeRole",
      Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/deploy" } },
    });
    const assume = (arn: string, account: string): IamRequest => ({
      action: "sts:AssumeRole",
      resources: ["arn:aws:iam::111111111111:role/hub"],
      principal: { arn, account },
      context: { "aws:PrincipalArn": arn },
    });

    it("admits the named role of the named account only", () => {
      expect(evaluate([trust], assume("arn:aws:iam::222222222222:role/deploy", "222222222222"))).to.equal("allow");
      expect(evaluate([trust], assume("arn:aws:iam::222222222222:role/other", "222222222222"))).to.equal("implicit-deny");
      expect(evaluate([trust], assume("arn:aws:iam::444444444444:role/deploy", "444444444444"))).to.equal("implicit-deny");
    });
  });

  it("refuses what it does not model instead of guessing", () => {
    const bad = (c: unknown): (() => unknown) => () => evaluate([doc({ Effect: "Allow", Action: "a:b", Resource: "*", Condition: c })], req("a:b", ["*"], { k: ["1", "2"] }));
    expect(bad({ NumericLessThan: { k: "3" } })).to.throw(UnsupportedPolicyError, /NumericLessThan/);
    expect(bad({ StringEquals: { k: "1" } })).to.throw(UnsupportedPolicyError, /multi-valued/);
    expect(() => evaluate([doc({ Effect: "Allow", Action: "a:b", Resource: "arn:aws:s3:::${aws:username}/*" })], req("a:b", ["x"]))).to.throw(UnsupportedPolicyError, /variables/);
    expect(() => evaluate([doc({ Effect: "Allow", NotPrincipal: { AWS: "x" }, Action: "sts:AssumeRole" })], { action: "sts:AssumeRole", resources: ["r"], principal: { arn: "a", account: "1" } })).to.throw(UnsupportedPolicyError);
    expect(() => evaluate(["{not json"], req("a:b", ["*"]))).to.throw(UnsupportedPolicyError);
  });
});
