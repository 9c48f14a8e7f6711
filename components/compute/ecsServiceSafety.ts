/**
 * The deployment and access settings every ECS service of this platform shares (the services,
 * Kafka Connect workers, the Prometheus collector): one place, so a service cannot quietly lose
 * the breaker's rollback or gain ECS Exec. Spread into `aws.ecs.Service` args.
 */

/** Fresh objects per call: each service gets its own copies. */
export function ecsServiceSafety() {
  return {
    // Without an explicit ECS controller the breaker can be silently off (cloudposse components #931).
    deploymentController: { type: "ECS" },
    deploymentCircuitBreaker: { enable: true, rollback: true },
    enableExecuteCommand: false,
    propagateTags: "SERVICE",
    enableEcsManagedTags: true,
    // With rollback on, "steady" is also reached by a rolled-back deployment, so waiting would
    // report a failed deploy as a success and hold the whole stack update for minutes per
    // service. The delivery pipeline watches the deployment's rollout state instead.
    waitForSteadyState: false,
  } as const;
}
