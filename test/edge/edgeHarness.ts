/**
 * What the edge component tests share: type tokens, common tags, and the parenting and tagging
 * every edge component must satisfy. Capture settings and graph lookups come from
 * `test/support/graph.ts`.
 */
import { expect } from "chai";
import { CaptureResult } from "../../offline/types";
import { customResources, expectRequiredTags, one, tagsOf } from "../support/graph";

export { captureError, ofType, one, only, providerRef, run } from "../support/graph";

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

/** Every custom resource (providers aside) is a child of the component; tagged ones carry the common tags and `Service: edge`. */
export function expectParentedAndTagged(result: CaptureResult, componentType: string, componentName: string): void {
  const component = one(result, componentType, componentName);
  const children = customResources(result);
  expect(children.length).to.be.greaterThan(0);
  for (const r of children) {
    expect(r.parent, r.name).to.equal(component.urn);
    const tags = tagsOf(r);
    if (tags === undefined) continue;
    expectRequiredTags(r);
    expect(tags.Service, r.name).to.equal("edge");
  }
}
