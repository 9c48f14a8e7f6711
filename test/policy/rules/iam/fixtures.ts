/** Policy documents as @pulumi/aws sends them (JSON strings). */
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const POLICY = "aws:iam/policy:Policy";
export const ROLE = "aws:iam/role:Role";

export const doc = (...Statement: Record<string, unknown>[]): string => JSON.stringify({ Version: "2012-10-17", Statement });

/** The shape of the real execution-role policy: one unscopable action on "*", the rest scoped. */
export const executionPolicy = doc(
  { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
  { Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: ["arn:aws:ecr:me-south-1:111111111111:repository/tila/cart"] },
  { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: ["arn:aws:logs:me-south-1:444444444444:log-group:/tila/prod/cart:*"] },
);

export const ecsTrust = doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "444444444444" } } });
