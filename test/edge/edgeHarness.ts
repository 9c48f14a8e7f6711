/**
 * What the edge component tests share: capture settings, lookups over a captured graph, and the
 * parenting and tagging every component must satisfy.
 */
import { expect } from "chai";
import { capture } from "../../offline/capture";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { REQUIRED_TAG_KEYS } from "../../components/tags";

export const CAPTURE = { project: "tila-platform", stack: "prod", organization: "tila", region: "me-south-1", accountId: "444444444444", config: {} };

export const T = {
  CERTIFICATE: "aws:acm/certificate:Certificate",
  CERTIFICATE_VALIDATION: "aws:acm/certificateValidation:CertificateValidation",
  RECORD: "aws:route53/record:Record",
  SG: "aws:ec2/securityGroup:SecurityGroup",
  INGRESS: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  EGRESS: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  LB: "aws:lb/loadBalancer:LoadBalancer",
  LISTENER: "aws:lb/listener:Listener",
  BUCKET: "aws:s3/bucket:Bucket",
  BUCKET_POLICY: "aws:s3/bucketPolicy:BucketPolicy",
  BUCKET_ENCRYPTION: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  BUCKET_VERSIONING: "aws:s3/bucketVersioning:BucketVersioning",
  BUCKET_PUBLIC_ACCESS: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  BUCKET_OWNERSHIP: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  BUCKET_LIFECYCLE: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  WEB_ACL: "aws:wafv2/webAcl:WebAcl",
  WEB_ACL_ASSOCIATION: "aws:wafv2/webAclAssociation:WebAclAssociation",
  WEB_ACL_LOGGING: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  LOG_GROUP: "aws:cloudwatch/logGroup:LogGroup",
  AWS_PROVIDER: "pulumi:providers:aws",
} as const;

export function tagsFor(environment: string): Record<string, string> {
  return { Environment: environment, Owner: "platform-team", CostCenter: "cc-300", ManagedBy: "pulumi" };
}

/** One capture of `build`; what it returns becomes the stack outputs. */
export function run(build: () => Record<string, unknown>, stack = "prod"): Promise<CaptureResult> {
  return capture(build, { ...CAPTURE, stack });
}

/** The error a program fails with (the test fails if it does not fail). */
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

/** Provider reference as the engine records it in a registration: `urn::id`. */
export function providerRef(provider: CapturedResource): string {
  return `${provider.urn}::${provider.id}`;
}

/** Every custom resource (providers aside) is a child of the component; tagged ones carry the common tags and `Service: edge`. */
export function expectParentedAndTagged(result: CaptureResult, componentType: string, componentName: string): void {
  const component = one(result, componentType, componentName);
  const children = result.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"));
  expect(children.length).to.be.greaterThan(0);
  for (const r of children) {
    expect(r.parent, r.name).to.equal(component.urn);
    const tags = r.inputs.tags as Record<string, string> | undefined;
    if (tags === undefined) continue;
    for (const key of [...REQUIRED_TAG_KEYS, "Name"]) expect(tags, `${r.name}.${key}`).to.have.property(key).that.is.a("string").and.not.empty;
    expect(tags.Service, r.name).to.equal("edge");
  }
}
