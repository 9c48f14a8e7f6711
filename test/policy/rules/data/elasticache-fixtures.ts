/** A compliant prod Redis replication group (what RedisCache creates); tests mutate one field each. */
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

export function replicationGroup(environment = "prod", overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: "Redis",
    engine: "redis",
    clusterMode: "disabled",
    numCacheClusters: 3,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    atRestEncryptionEnabled: true,
    kmsKeyId: "arn:aws:kms:me-south-1:444444444444:key/k",
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    authToken: "a-64-character-generated-token",
    snapshotRetentionLimit: 7,
    tags: { Environment: environment, Service: "data" },
    ...overrides,
  };
}
