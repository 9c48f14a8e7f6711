/**
 * The collector's IAM (docs/observability-prometheus.md#permissions), as pure policy documents:
 * remote write to its own workspace only, and the ECS reads ecs_observer documents, scoped to the
 * environment's cluster wherever ECS authorizes by resource or by the ecs:cluster condition key.
 * No EC2 permission: the services run on Fargate, whose task addresses come from ECS itself.
 */

/** `arn:<partition>:ecs:<region>:<account>:cluster/<name>` split into what the other ECS ARNs need. */
export function parseClusterArn(arn: string): { prefix: string; name: string } {
  const m = /^(arn:[a-z-]+:ecs:[a-z0-9-]+:\d{12}:)cluster\/([A-Za-z0-9_-]+)$/.exec(arn);
  if (!m) throw new Error(`not an ECS cluster ARN: ${arn}`);
  return { prefix: m[1]!, name: m[2]! };
}

export function collectorTaskPolicy(p: { workspaceArn: string; clusterArn?: string }): string {
  const statements: Record<string, unknown>[] = [
    { Sid: "RemoteWriteOwnWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: p.workspaceArn },
  ];
  if (p.clusterArn !== undefined) {
    const { prefix, name } = parseClusterArn(p.clusterArn);
    statements.push(
      // ListTasks and ListServices take no resource ARN; the ecs:cluster condition pins the cluster.
      { Sid: "ListOwnCluster", Effect: "Allow", Action: ["ecs:ListServices", "ecs:ListTasks"], Resource: "*", Condition: { ArnEquals: { "ecs:cluster": p.clusterArn } } },
      { Sid: "DescribeOwnCluster", Effect: "Allow", Action: ["ecs:DescribeServices", "ecs:DescribeTasks"], Resource: [`${prefix}service/${name}/*`, `${prefix}task/${name}/*`] },
      // DescribeTaskDefinition has no resource type in the Service Authorization Reference.
      { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
    );
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** What the ECS agent needs for the collector's task: its log streams only (the image is public, no ECR). */
export function collectorExecutionPolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` }],
  });
}
