/** Both tokens a search domain can have; every OpenSearch rule is tested on each. */
export const SEARCH_TYPES = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"] as const;

/** A compliant prod domain (what SearchDomain creates); tests override one block each. */
export function searchDomain(environment = "prod", overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    domainName: "search",
    clusterConfig: {
      instanceType: "r7g.large.search",
      instanceCount: 3,
      zoneAwarenessEnabled: true,
      zoneAwarenessConfig: { availabilityZoneCount: 3 },
      dedicatedMasterEnabled: true,
      dedicatedMasterCount: 3,
      dedicatedMasterType: "m7g.large.search",
    },
    vpcOptions: { subnetIds: ["subnet-a", "subnet-b", "subnet-c"], securityGroupIds: ["sg-1"] },
    encryptAtRest: { enabled: true, kmsKeyId: "arn:aws:kms:me-south-1:444444444444:key/k" },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: true },
    logPublishingOptions: [
      { logType: "INDEX_SLOW_LOGS", cloudwatchLogGroupArn: "arn:aws:logs:me-south-1:444444444444:log-group:/aws/opensearch/search/index-slow", enabled: true },
      { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: "arn:aws:logs:me-south-1:444444444444:log-group:/aws/opensearch/search/application", enabled: true },
    ],
    tags: { Environment: environment, Service: "data" },
    ...overrides,
  };
}
