/**
 * What the managed data service tests share: the capture settings, lookups over a captured graph
 * and the checks every component must pass (parenting, one-port security groups, no credential in
 * any output).
 */
import { expect } from "chai";
import { capture } from "../../offline/capture";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { REQUIRED_TAG_KEYS } from "../../components/tags";

export const CAPTURE = { project: "tila-platform", stack: "prod", organization: "tila", region: "me-south-1", accountId: "444444444444", config: {} };

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

/** One capture of `build` with its public outputs as the stack outputs. */
export function run(build: () => Record<string, unknown>, stack: string): Promise<CaptureResult> {
  return capture(build, { ...CAPTURE, stack });
}

export async function captureError(build: () => unknown, stack = "prod"): Promise<Error> {
  try {
    await capture(build, { ...CAPTURE, stack });
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the capture to fail");
}

export function ofType(result: CaptureResult, type: string): CapturedResource[] {
  return result.resources.filter((r) => r.type === type);
}

export function one(result: CaptureResult, type: string, name: string): CapturedResource {
  const found = result.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0];
}

export function only(result: CaptureResult, type: string): CapturedResource {
  const found = ofType(result, type);
  expect(found, type).to.have.length(1);
  return found[0];
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
  for (const r of result.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
    expect([component.urn, credential.urn], r.name).to.include(r.parent);
    const tags = r.inputs.tags as Record<string, string> | undefined;
    if (tags === undefined) continue;
    for (const key of [...REQUIRED_TAG_KEYS, "Name"]) expect(tags, `${r.name}.${key}`).to.have.property(key).that.is.a("string").and.not.empty;
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
