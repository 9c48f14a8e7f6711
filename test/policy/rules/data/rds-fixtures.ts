/** A compliant prod RDS MySQL instance (what MySqlDatabase creates); tests mutate one field each. */
export const RDS = "aws:rds/instance:Instance";

export function rdsInstance(environment = "prod", overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    engine: "mysql",
    instanceClass: "db.r7g.large",
    storageEncrypted: true,
    kmsKeyId: "arn:aws:kms:me-south-1:444444444444:key/k",
    publiclyAccessible: false,
    multiAz: true,
    backupRetentionPeriod: 30,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "prod-mysql-final",
    performanceInsightsEnabled: true,
    monitoringInterval: 60,
    monitoringRoleArn: "arn:aws:iam::444444444444:role/monitoring",
    iamDatabaseAuthenticationEnabled: true,
    tags: { Environment: environment, Service: "data" },
    ...overrides,
  };
}
