/**
 * Whole-stack proof of the services' FireLens shipping (docs/observability-logging.md#services-firelens):
 * the real prod (its stack file ships every service), every service's task definition routes through
 * FireLens to Graylog, one misconfigured service fails the pack on that service only, services share
 * nothing but the environment's FireLens file, and an excluded service's task definition is
 * byte-identical to one in a stack that does not ship. One changed run carries both the exclusion
 * (checkout) and the misconfiguration (cart), so each proves the other touches nothing else.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { parseDocument } from "yaml";
import { FIRELENS_ROUTER_IMAGE, LOG_ROUTER_CONTAINER } from "../../components/compute/firelens";
import type { StackRun } from "../../offline/engine";
import type { CapturedResource } from "../../offline/types";
import { ecsContainersLogToAwslogs } from "../../policy/rules/compute/awslogs";
import { ecsContainersRunAsNonRoot } from "../../policy/rules/compute/nonRootUser";
import { ecsContainerImagesPinned } from "../../policy/rules/compute/pinnedImages";
import { ecsContainersReadOnlyRootFilesystem } from "../../policy/rules/compute/readOnlyRoot";
import { ecsServiceLogsShipped } from "../../policy/rules/compute/serviceLogsShipped";
import { logGroupRetentionSet } from "../../policy/rules/logging/log-group-retention-set";
import { prodShipping, prodWithoutShipping } from "../support/configVariants";
import { descendants } from "../support/graph";
import { mandatoryFindings } from "../support/realPolicy";
import { engineWithRealManagement, realStack } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "../..");
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "tila:compute:MicroserviceService";
const RULES = [ecsServiceLogsShipped, logGroupRetentionSet, ecsContainersLogToAwslogs, ecsContainersRunAsNonRoot, ecsContainersReadOnlyRootFilesystem, ecsContainerImagesPinned];

/** prod shipping every service but checkout, with cart's GELF output switched from TLS to plain TCP after its component built it. */
async function prodExcludingCheckoutWithCartOnTcp(): Promise<StackRun> {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"));
  doc.setIn(["config", "tila-platform:observability", "logging", "shipping", "excludeServices"], ["checkout"]);
  const file = path.join(os.tmpdir(), `tila-logshipping-${process.pid}.yaml`);
  fs.writeFileSync(file, doc.toString());
  const beforeProgram = (stack: string): void => {
    if (stack !== "prod") return;
    pulumi.runtime.registerStackTransformation((a) => {
      if (a.type !== TASK || a.name !== "prod-cart-task") return undefined;
      const props = a.props as { containerDefinitions: pulumi.Input<string> };
      const containerDefinitions = pulumi.output(props.containerDefinitions).apply((json) => json.replace('"Mode":"tls"', '"Mode":"tcp"'));
      return { props: { ...a.props, containerDefinitions }, opts: a.opts };
    });
  };
  try {
    const engine = await engineWithRealManagement({ configFiles: { prod: file }, beforeProgram }, ["prod"]);
    return await engine.run("prod");
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function serviceTasks(run: StackRun): CapturedResource[] {
  const services = new Set(run.resources.filter((r) => r.type === SERVICE).map((r) => r.urn));
  return run.resources.filter((r) => r.type === TASK && r.parent !== undefined && services.has(r.parent));
}

function containers(td: CapturedResource): Record<string, unknown>[] {
  return JSON.parse(td.inputs.containerDefinitions as string) as Record<string, unknown>[];
}

describe("prod services shipping through FireLens (whole stack)", () => {
  let shipping: StackRun;
  let off: StackRun;
  let changed: StackRun;

  before(async () => {
    shipping = await realStack("prod");
    off = await prodWithoutShipping();
    changed = await prodExcludingCheckoutWithCartOnTcp();
  });

  it("reads the real prod as shipping every service (the premise of the tests below)", () => {
    const settings = prodShipping();
    expect(settings.enabled).to.equal(true);
    expect(settings.excludeServices ?? []).to.deep.equal([]);
  });

  it("routes every prod service's task definition through FireLens to Graylog on 12201", () => {
    const tasks = serviceTasks(shipping);
    expect(tasks.length).to.be.at.least(8);
    const domain = (shipping.outputs.privateZoneName as string) ?? "";
    for (const td of tasks) {
      const defs = containers(td);
      expect(defs.map((d) => d.name), td.name).to.include(LOG_ROUTER_CONTAINER);
      expect(defs.find((d) => d.name === LOG_ROUTER_CONTAINER)!.image).to.equal(FIRELENS_ROUTER_IMAGE);
      for (const app of defs.filter((d) => d.name !== LOG_ROUTER_CONTAINER)) {
        expect(app.logConfiguration, td.name).to.deep.include({ logDriver: "awsfirelens" });
        expect((app.logConfiguration as { options: Record<string, string> }).options).to.deep.include({ Name: "gelf", Host: `graylog.${domain}`, Port: "12201", Mode: "tls", "tls.verify": "On", "tls.verify_hostname": "On" });
      }
    }
  });

  it("passes the logging and task-definition rules of the pack, the prod retention floor included", () => {
    expect(mandatoryFindings(shipping.resources, "prod", RULES)).to.deep.equal([]);
  });

  it("fails the pack on the one service whose FireLens is misconfigured, and on no other", () => {
    const findings = mandatoryFindings(changed.resources, "prod", RULES);
    // The task, and its group's claim to be a FireLens copy, which no longer holds (so the floor applies again).
    expect(findings.map((f) => [f.policy, f.name]).sort()).to.deep.equal([["ecs-service-logs-shipped", "prod-cart-logs"], ["ecs-service-logs-shipped", "prod-cart-task"]]);
    expect(findings.find((f) => f.name === "prod-cart-task")!.message).to.match(/^task definition prod-cart-task: container "cart" does not send GELF over verified TLS/);
  });

  it("makes no service depend on another: each service's resources refer only to their own and the environment's", () => {
    const services = shipping.resources.filter((r) => r.type === SERVICE);
    const owner = new Map<string, string>();
    for (const s of services) for (const d of descendants(shipping, s)) owner.set(d.urn, s.name);
    for (const s of services) {
      for (const d of descendants(shipping, s)) {
        const foreign = d.options.dependsOn.filter((u) => owner.has(u) && owner.get(u) !== s.name);
        expect(foreign, `${d.name} depends on another service`).to.deep.equal([]);
      }
    }
  });

  it("keeps an excluded service exactly as in a stack that does not ship", () => {
    const td = (run: StackRun): string => JSON.stringify(run.resources.find((r) => r.name === "prod-checkout-task")!.inputs);
    expect(td(changed)).to.equal(td(off));
    expect(td(shipping)).to.not.equal(td(off));
    // The excluded service passes the pack: the only findings of the changed run are cart's (above).
    expect(mandatoryFindings(changed.resources, "prod", RULES).filter((f) => (f.name ?? "").startsWith("prod-checkout-"))).to.deep.equal([]);
  });
});
