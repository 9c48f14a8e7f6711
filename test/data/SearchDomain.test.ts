import { expect } from "chai";
import { SearchDomain, SearchDomainArgs } from "../../components/data/SearchDomain";
import { CaptureResult, CapturedResource } from "../../offline/types";
import {
  T, captureError, expectIngressOnly, expectNoCredentialInOutputs, expectParentedAndTagged, one, ofType, only, randomResult, run, secretDocument, tagsFor,
} from "./managedHarness";

const COMPONENT = "tila:data:SearchDomain";
const DOMAIN = "aws:opensearch/domain:Domain";
const DOMAIN_POLICY = "aws:opensearch/domainPolicy:DomainPolicy";
const LOG_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy";
const SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole";

const PROD_SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
const APP_CIDRS = ["10.40.32.0/20", "10.40.48.0/20", "10.40.64.0/20"];

interface Statement {
  Effect: string;
  Principal: Record<string, unknown>;
  Action: unknown;
  Resource: unknown;
  Condition?: unknown;
}

function capture(name: string, args: SearchDomainArgs): Promise<CaptureResult> {
  return run(() => {
    const search = new SearchDomain(name, args);
    return { endpoint: search.endpoint, domainArn: search.domainArn, securityGroupId: search.securityGroupId, secretArn: search.secretArn };
  }, args.environment);
}

function statements(resource: CapturedResource, field: string): Statement[] {
  return (JSON.parse(resource.inputs[field] as string) as { Statement: Statement[] }).Statement;
}

describe("SearchDomain", () => {
  describe("in prod", () => {
    let result: CaptureResult;
    let domain: CapturedResource;
    let cluster: Record<string, unknown>;

    before(async () => {
      result = await capture("prod-search", { environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, tags: tagsFor("prod") });
      domain = one(result, DOMAIN, "prod-search-domain");
      cluster = domain.inputs.clusterConfig as Record<string, unknown>;
    });

    it("pins one OpenSearch 2.x engine version", () => {
      expect(domain.inputs.engineVersion).to.equal("OpenSearch_2.19");
    });

    it("spreads three data nodes over three AZs with zone awareness, in the VPC only", () => {
      expect(cluster).to.include({ zoneAwarenessEnabled: true, instanceCount: 3, instanceType: "r6g.large.search", multiAzWithStandbyEnabled: false });
      expect(cluster.zoneAwarenessConfig).to.deep.equal({ availabilityZoneCount: 3 });
      expect(domain.inputs.vpcOptions).to.deep.equal({ subnetIds: PROD_SUBNETS, securityGroupIds: [only(result, T.SG).id] });
    });

    it("runs three dedicated masters", () => {
      expect(cluster).to.include({ dedicatedMasterEnabled: true, dedicatedMasterCount: 3, dedicatedMasterType: "m6g.large.search" });
    });

    it("encrypts at rest with a dedicated key and node to node, on gp3", () => {
      expect(domain.inputs.encryptAtRest).to.deep.equal({ enabled: true, kmsKeyId: only(result, T.KMS).outputs.arn });
      expect(domain.inputs.nodeToNodeEncryption).to.deep.equal({ enabled: true });
      expect(domain.inputs.ebsOptions).to.deep.equal({ ebsEnabled: true, volumeType: "gp3", volumeSize: 100 });
    });

    it("serves HTTPS only with TLS 1.2+ and forward secrecy", () => {
      expect(domain.inputs.domainEndpointOptions).to.deep.equal({ enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
    });

    it("enables fine-grained access with the internal master user whose password is secret and the credential's", () => {
      expect(domain.secretInputs).to.include("advancedSecurityOptions");
      expect(domain.inputs.advancedSecurityOptions).to.deep.equal({
        enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: true,
        masterUserOptions: { masterUserName: "osadmin", masterUserPassword: randomResult(result) },
      });
      expect(secretDocument(result)).to.deep.equal({ username: "osadmin", password: randomResult(result), engine: "opensearch", host: domain.outputs.endpoint, port: 443 });
    });

    it("publishes index and search slow logs and application logs to its own log groups", () => {
      const groups = ofType(result, T.LOG_GROUP);
      expect(groups.map((g) => g.inputs.name)).to.deep.equal([
        "/aws/opensearch/prod-search/index-slow", "/aws/opensearch/prod-search/search-slow", "/aws/opensearch/prod-search/application",
      ]);
      expect(domain.inputs.logPublishingOptions).to.deep.equal([
        { logType: "INDEX_SLOW_LOGS", cloudwatchLogGroupArn: groups[0].outputs.arn, enabled: true },
        { logType: "SEARCH_SLOW_LOGS", cloudwatchLogGroupArn: groups[1].outputs.arn, enabled: true },
        { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: groups[2].outputs.arn, enabled: true },
      ]);
    });

    it("lets only es.amazonaws.com write, only to those log groups, before the domain exists", () => {
      const policy = only(result, LOG_POLICY);
      const [statement] = statements(policy, "policyDocument");
      expect(statement.Principal).to.deep.equal({ Service: "es.amazonaws.com" });
      expect(statement.Action).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
      expect(statement.Resource).to.deep.equal(ofType(result, T.LOG_GROUP).map((g) => `${g.outputs.arn}:*`));
      expect(statement.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": ["444444444444"] } });
      expect(domain.options.dependsOn).to.include(policy.urn);
    });

    it("admits any principal to this domain's ARN only, leaving authorisation to fine-grained access control", () => {
      const policy = only(result, DOMAIN_POLICY);
      expect(policy.inputs.domainName).to.equal("prod-search");
      expect(statements(policy, "accessPolicies")).to.deep.equal([
        { Sid: "DomainHttp", Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: `${domain.outputs.arn}/*` },
      ]);
    });

    it("admits only the app tier on 443, with no egress", () => {
      expectIngressOnly(result, 443, { cidrs: APP_CIDRS, sgs: [] });
    });

    it("does not create the account's service-linked role unless asked", () => {
      expect(ofType(result, SLR)).to.deep.equal([]);
    });

    it("is protected and tuned in the off-peak window", () => {
      expect(domain.options.protect).to.equal(true);
      expect(domain.inputs.autoTuneOptions).to.include({ desiredState: "ENABLED", useOffPeakWindow: true });
      expect(domain.inputs.offPeakWindowOptions).to.deep.equal({ enabled: true, offPeakWindow: { windowStartTime: { hours: 23, minutes: 0 } } });
    });

    it("outputs the endpoint, ARN, security group and secret ARN, and no credential", () => {
      expect(result.outputs).to.deep.equal({ endpoint: domain.outputs.endpoint, domainArn: domain.outputs.arn, securityGroupId: only(result, T.SG).id, secretArn: only(result, T.SECRET).outputs.arn });
      expectNoCredentialInOutputs(result, randomResult(result));
    });

    it("parents every resource to the component (or its credential) and tags it", () => {
      expectParentedAndTagged(result, COMPONENT, "prod-search");
    });
  });

  describe("in dev (service-linked role and signed-only access asked for)", () => {
    let result: CaptureResult;
    let domain: CapturedResource;
    let cluster: Record<string, unknown>;

    before(async () => {
      result = await capture("dev-search", {
        environment: "dev", vpcId: "vpc-dev", subnetIds: ["subnet-dev-a", "subnet-dev-b"], clientSecurityGroupIds: { catalog: "sg-catalog" },
        createServiceLinkedRole: true, accessPolicy: "accountSigned", tags: tagsFor("dev"),
      });
      domain = one(result, DOMAIN, "dev-search-domain");
      cluster = domain.inputs.clusterConfig as Record<string, unknown>;
    });

    it("runs one data node in one AZ without zone awareness or dedicated masters", () => {
      expect(cluster).to.include({ zoneAwarenessEnabled: false, instanceCount: 1, dedicatedMasterEnabled: false, instanceType: "t3.medium.search" });
      expect(cluster.zoneAwarenessConfig).to.equal(undefined);
      expect(cluster.dedicatedMasterCount).to.equal(undefined);
      expect((domain.inputs.vpcOptions as { subnetIds: string[] }).subnetIds).to.deep.equal(["subnet-dev-a"]);
    });

    it("keeps every encryption and HTTPS setting of prod and a secret master password", () => {
      expect(domain.inputs.encryptAtRest).to.include({ enabled: true });
      expect(domain.inputs.nodeToNodeEncryption).to.deep.equal({ enabled: true });
      expect(domain.inputs.domainEndpointOptions).to.deep.equal({ enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
      expect(domain.secretInputs).to.include("advancedSecurityOptions");
      expectNoCredentialInOutputs(result, randomResult(result));
    });

    it("is not protected and leaves Auto-Tune off on T3", () => {
      expect(domain.options.protect).to.equal(false);
      expect(domain.inputs.autoTuneOptions).to.include({ desiredState: "DISABLED" });
    });

    it("creates the OpenSearch service-linked role before the domain when asked", () => {
      const slr = only(result, SLR);
      expect(slr.inputs.awsServiceName).to.equal("opensearchservice.amazonaws.com");
      expect(domain.options.dependsOn).to.include(slr.urn);
    });

    it("limits the access policy to this account's principals when signed access is asked for", () => {
      expect(statements(only(result, DOMAIN_POLICY), "accessPolicies")[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::444444444444:root" });
    });

    it("admits only the given security group on 443", () => {
      expectIngressOnly(result, 443, { cidrs: [], sgs: ["sg-catalog"] });
    });
  });

  describe("argument validation", () => {
    it("rejects data nodes that do not divide evenly over the AZs, with a ResourceError naming the field", async () => {
      const err = await captureError(() => new SearchDomain("bad", {
        environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, dataNodeCount: 4, tags: tagsFor("prod"),
      }));
      expect(err.constructor.name).to.equal("ResourceError");
      expect(err.message).to.include('SearchDomain "bad"').and.include("dataNodeCount: 4 must be a multiple of availabilityZoneCount (3)");
    });
  });
});
