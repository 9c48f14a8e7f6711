/**
 * What the managed data service tests share: type tokens, common tags and the checks every
 * component must pass (parenting, one-port security groups, no credential in any output). Capture
 * settings and graph lookups come from `test/support/graph.ts`.
 */
import { expect } from "chai";
import { CaptureResult } from "../../offline/types";
import { customResources, expectRequiredTags, ofType, one, only, tagsOf } from "../support/graph";

export { captureError, ofType, one, only, run } from "../support/graph";

export const T = {
  RANDOM: "random:index/randomPassword:RandomPassword",
  SECRET: "aws:secretsmanager/secret:Secret",
  SECRET_VERSION: "aws:secretsmanager/secretVersion:SecretVersion",
  KMS: "aws:kms/key:Key",
  SG: "aws:ec2/securityGroup:SecurityGroup",
  INGRESS: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  EGRESS: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  LOG_GROUP: "aws:cloudwatch/logGroup:LogGroup",
  CREDENTIAL: "tila:data:ManagedCredential",
} as const;

export function tagsFor(environment: string): Record<string, string> {
  return { Environment: environment, Owner: "platform", CostCenter: "cc-200", ManagedBy: "pulumi" };
}

/** The single generated password of the capture (each component has exactly one credential). */
export function randomResult(result: CaptureResult): string {
  const value = only(result, T.RANDOM).outputs.result;
  expect(value).to.be.a("string").with.length.greaterThan(15);
  return value as string;
}

/** The secret document the credential stored, parsed. */
export function secretDocument(result: CaptureResult): Record<string, unknown> {
  const version = only(result, T.SECRET_VERSION);
  expect(version.secretInputs).to.include("secretString");
  return JSON.parse(version.inputs.secretString as string) as Record<string, unknown>;
}

/** Every custom resource is a child of the component or of its credential, and tagged resources carry the common tags. */
export function expectParentedAndTagged(result: CaptureResult, componentType: string, componentName: string): void {
  const component = one(result, componentType, componentName);
  const credential = only(result, T.CREDENTIAL);
  expect(credential.parent).to.equal(component.urn);
  for (const r of customResources(result)) {
    expect([component.urn, credential.urn], r.name).to.include(r.parent);
    if (tagsOf(r) !== undefined) expectRequiredTags(r);
  }
}

/** The component's security group admits exactly these sources on `port`, and has no egress rule. */
export function expectIngressOnly(result: CaptureResult, port: number, sources: { cidrs: string[]; sgs: string[] }): void {
  const sg = only(result, T.SG);
  expect(sg.inputs.ingress ?? []).to.deep.equal([]);
  expect(sg.inputs.egress ?? []).to.deep.equal([]);
  expect(ofType(result, T.EGRESS)).to.deep.equal([]);
  const rules = ofType(result, T.INGRESS);
  for (const rule of rules) {
    expect(rule.inputs.securityGroupId, rule.name).to.equal(sg.id);
    expect(rule.inputs, rule.name).to.include({ ipProtocol: "tcp", fromPort: port, toPort: port });
  }
  expect(rules.map((r) => r.inputs.cidrIpv4).filter((c) => c !== undefined).sort()).to.deep.equal([...sources.cidrs].sort());
  expect(rules.map((r) => r.inputs.referencedSecurityGroupId).filter((c) => c !== undefined).sort()).to.deep.equal([...sources.sgs].sort());
}

/** The password never reaches a component's registered outputs or the stack outputs. */
export function expectNoCredentialInOutputs(result: CaptureResult, password: string): void {
  const components = result.resources.filter((r) => !r.custom);
  expect(components.length).to.be.greaterThan(1);
  for (const c of components) expect(JSON.stringify(c.outputs), `${c.type} ${c.name} outputs`).not.to.include(password);
  expect(JSON.stringify(result.outputs)).not.to.include(password);
  expect(result.secretOutputs).to.deep.equal([]);
}
