/**
 * Stopping an ECS task named by a finding: capture its metadata first (task definition, images and
 * digests, network attachments, start time, tags), tag it with the finding, then stop it. A task
 * already stopped for this finding is left alone, so a repeated event changes nothing.
 */
import { DescribeTasksCommand, ECSClient, StopTaskCommand, TagResourceCommand, Task } from "@aws-sdk/client-ecs";
import { findingTagValue } from "./finding";
import { FINDING_TAG } from "./ec2";
import { IsolationRecord, step } from "./record";

export interface EcsSettings {
  readonly dryRun: boolean;
}

/** What an investigation needs once the task is gone (stopped tasks disappear from the API within hours). */
export function taskMetadata(task: Task): Record<string, unknown> {
  return {
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    launchType: task.launchType,
    platformVersion: task.platformVersion,
    availabilityZone: task.availabilityZone,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    startedAt: task.startedAt?.toISOString(),
    startedBy: task.startedBy,
    containers: (task.containers ?? []).map((c) => ({ name: c.name, image: c.image, imageDigest: c.imageDigest, runtimeId: c.runtimeId, lastStatus: c.lastStatus })),
    attachments: (task.attachments ?? []).map((a) => ({ type: a.type, details: Object.fromEntries((a.details ?? []).map((d) => [d.name ?? "", d.value ?? ""])) })),
    tags: (task.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
  };
}

export async function stopTask(ecs: ECSClient, record: IsolationRecord, clusterArn: string, taskArn: string, settings: EcsSettings): Promise<void> {
  const tag = findingTagValue(record.finding.id);
  const planned = settings.dryRun ? "would-do" : "done";
  const out = await step(record, "describe-task", () => ecs.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: [taskArn], include: ["TAGS"] })));
  const task = out.tasks?.find((t) => t.taskArn === taskArn);
  if (!task) {
    const why = out.failures?.map((f) => f.reason).join(", ") || "not returned";
    record.steps.push({ step: "describe-task", status: "failed", detail: `task ${taskArn}: ${why} (already stopped and expired?)` });
    record.outcome = "not-found";
    return;
  }
  record.evidence = taskMetadata(task);
  record.steps.push({ step: "capture-metadata", status: "done", detail: `${task.containers?.length ?? 0} container(s) of ${task.taskDefinitionArn ?? "?"}`, readOnly: true });

  const tagged = task.tags?.some((t) => t.key === FINDING_TAG && t.value === tag) ?? false;
  if (tagged) {
    record.steps.push({ step: "tag", status: "skipped", detail: "already tagged with this finding" });
  } else {
    if (!settings.dryRun) await step(record, "tag", () => ecs.send(new TagResourceCommand({ resourceArn: taskArn, tags: [{ key: FINDING_TAG, value: tag }] })));
    record.steps.push({ step: "tag", status: planned, detail: `${FINDING_TAG}=${tag}` });
  }

  if (task.desiredStatus === "STOPPED" || task.lastStatus === "STOPPED") {
    record.steps.push({ step: "stop", status: "skipped", detail: `task is already ${task.lastStatus === "STOPPED" ? "stopped" : "stopping"}` });
    return;
  }
  if (!settings.dryRun) {
    // StopTask's reason holds 255 characters and shows in the console and in the service's events.
    const reason = `Stopped by incident response: security finding ${record.finding.id}`.slice(0, 255);
    await step(record, "stop", () => ecs.send(new StopTaskCommand({ cluster: clusterArn, task: taskArn, reason })));
  }
  record.steps.push({ step: "stop", status: planned, detail: `stop ${taskArn}` });
}
