/** Type tokens of the ECS service rules. */
export const SERVICE_TYPE = "aws:ecs/service:Service";
export const TASK_SET_TYPE = "aws:ecs/taskSet:TaskSet";
export const CLUSTER_TYPE = "aws:ecs/cluster:Cluster";
export const SCALING_TARGET_TYPE = "aws:appautoscaling/target:Target";
export const SCALING_POLICY_TYPE = "aws:appautoscaling/policy:Policy";
export const SCHEDULED_ACTION_TYPE = "aws:appautoscaling/scheduledAction:ScheduledAction";
