import { expect } from "chai";
import fc from "fast-check";
import { containerDefinitions, secretValueFrom } from "../../components/compute/containerDefinition";
import { ServicePlan, capacityStrategy, deploymentCanProgress, resolveService } from "../../components/compute/servicePlan";
import { checkoutArgs, notificationsDevArgs } from "./computeHarness";

function plan(args = checkoutArgs()): ServicePlan {
  const r = resolveService(args);
  if (!r.ok) throw new Error(r.issues.join("; "));
  return r.value;
}

function issues(args: Parameters<typeof resolveService>[0]): readonly string[] {
  const r = resolveService(args);
  expect(r.ok, "expected the args to be refused").to.equal(false);
  return r.ok ? [] : r.issues;
}

describe("servicePlan", () => {
  describe("resolveService", () => {
    it("names the family, container and log group after the environment and service", () => {
      expect(plan()).to.include({ family: "prod-checkout", containerName: "checkout", logGroupName: "/tila/prod/checkout", cpuArchitecture: "ARM64", user: "1000:1000", healthCheckGracePeriodSeconds: 60 });
      expect(plan().ecrRepositoryArn).to.equal("arn:aws:ecr:me-south-1:111111111111:repository/tila/checkout");
      expect(plan(notificationsDevArgs()).ecrRepositoryArn).to.equal(undefined);
    });

    it("routes by path, by host, or by both (as AND-ed conditions)", () => {
      expect(plan().listenerConditions).to.deep.equal([{ pathPattern: { values: ["/checkout/*"] } }]);
      expect(plan(notificationsDevArgs()).listenerConditions).to.deep.equal([{ hostHeader: { values: ["notifications.dev.internal.tila.sa"] } }]);
      const both = checkoutArgs({ routing: { ...checkoutArgs().routing, hostHeaders: ["api.tila.sa"] } });
      expect(plan(both).listenerConditions).to.deep.equal([{ pathPattern: { values: ["/checkout/*"] } }, { hostHeader: { values: ["api.tila.sa"] } }]);
    });

    it("plans one egress rule per declared data service and port", () => {
      expect(plan().egress.map((e) => e.key)).to.deep.equal(["mysql-3306", "redis-6379", "kafka-9092", "kafka-9094"]);
    });

    it("reports every problem at once, each naming its field", () => {
      const bad = checkoutArgs({
        environment: "prod",
        service: "Checkout_Service",
        image: `${checkoutArgs().image.split(":")[0]}:latest`,
        cpu: 512,
        memory: 8192,
        containerPort: 80,
        healthCheckPath: "health",
        user: "0:0",
        environmentVariables: { "lower-case": "x", DB_PASSWORD: "oops" },
        secrets: { "bad name": { secretArn: "arn:x", jsonKey: "" }, DB_PASSWORD: { secretArn: "arn:y" } },
        logRetentionDays: 10,
        scaling: { min: 1, max: 0, cpuTargetPercent: 99, requestsPerTarget: 0 },
        deployment: { minimumHealthyPercent: 50, maximumPercent: 250 },
        capacity: { fargateSpot: true },
        routing: { ...checkoutArgs().routing, priority: 0, pathPatterns: [] },
        egress: [{ label: "MySQL", securityGroupId: "sg-x", ports: [3306, 3306, 70000] }],
        subnetIds: ["subnet-a"],
        tags: { Environment: "prod" },
      });
      const fields = issues(bad).map((i) => i.split(":")[0]);
      expect(fields).to.include.members([
        "service", "image", "memory", "containerPort", "healthCheckPath", "user", "environmentVariables.lower-case", "secrets.bad name",
        "secrets.bad name.jsonKey", "secrets.DB_PASSWORD", "logRetentionDays", "scaling.min", "scaling.cpuTargetPercent", "scaling.requestsPerTarget",
        "deployment.minimumHealthyPercent", "deployment.maximumPercent", "capacity.fargateSpot", "routing.priority", "routing", "egress[0].label",
        "egress[0].ports[1]", "egress[0].ports[2]", "subnetIds", "tags.Owner", "tags.CostCenter", "tags.ManagedBy",
      ]);
      expect(issues(bad).find((i) => i.startsWith("scaling.min:") && i.includes("above"))).to.include("above scaling.max 0");
    });

    it("requires at least 2 tasks and 100% minimum healthy in prod and preprod, but not in dev", () => {
      for (const environment of ["prod", "preprod"]) {
        const got = issues(checkoutArgs({ environment, tags: { ...checkoutArgs().tags, Environment: environment }, scaling: { ...checkoutArgs().scaling, min: 1 }, deployment: { minimumHealthyPercent: 50, maximumPercent: 200 } }));
        expect(got.some((i) => i.startsWith(`scaling.min: ${environment} needs at least 2 tasks`)), environment).to.equal(true);
        expect(got.some((i) => i.startsWith(`deployment.minimumHealthyPercent: ${environment} requires 100`)), environment).to.equal(true);
      }
      expect(resolveService(notificationsDevArgs()).ok).to.equal(true);
    });

    it("refuses Fargate Spot in prod only", () => {
      expect(issues(checkoutArgs({ capacity: { fargateSpot: true } }))).to.deep.equal(["capacity.fargateSpot: prod runs on on-demand Fargate only (Spot tasks can be reclaimed with two minutes' notice)"]);
      expect(resolveService(checkoutArgs({ environment: "stage", capacity: { fargateSpot: true } })).ok).to.equal(true);
    });

    it("refuses a deployment that could never start or stop a task", () => {
      const stuck = checkoutArgs({ environment: "dev", scaling: { ...checkoutArgs().scaling, min: 1 }, deployment: { minimumHealthyPercent: 100, maximumPercent: 150 } });
      expect(issues(stuck)).to.deep.equal(["deployment.maximumPercent: with 1 task(s) and minimumHealthyPercent 100, 150 leaves no room to start a new task, so a deployment could never progress"]);
    });

    it("refuses a listener rule with more than five condition values, or a host header that is not a host", () => {
      const many = checkoutArgs({ routing: { ...checkoutArgs().routing, pathPatterns: ["/a", "/b", "/c", "/d"], hostHeaders: ["x.tila.sa", "bad host"] } });
      expect(issues(many)).to.deep.equal([
        "routing: at most 5 path and host values per listener rule, got 6",
        "routing.hostHeaders[1]: \"bad host\" must be a host name pattern (at most 128 characters)",
      ]);
    });
  });

  describe("deploymentCanProgress", () => {
    it("is true exactly when one task can be started above or stopped below the desired count (property)", () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 100, max: 200 }), (n, minH, maxP) => {
        const upper = Math.floor((n * maxP) / 100);
        const lower = Math.ceil((n * minH) / 100);
        expect(deploymentCanProgress(n, minH, maxP)).to.equal(upper >= n + 1 || lower <= n - 1);
      }));
      expect(deploymentCanProgress(2, 100, 150)).to.equal(true);
      expect(deploymentCanProgress(1, 100, 199)).to.equal(false);
    });
  });

  describe("capacityStrategy", () => {
    it("keeps one on-demand task under Spot and uses on-demand only without it", () => {
      expect(capacityStrategy(false)).to.deep.equal([{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
      expect(capacityStrategy(true)).to.deep.equal([{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 }]);
    });
  });

  describe("containerDefinitions", () => {
    const secrets = [
      { name: "PSP_API_KEY", valueFrom: secretValueFrom("arn:psp") },
      { name: "DB_PASSWORD", valueFrom: secretValueFrom("arn:db", "password") },
    ];
    // In tests every value is a plain string, so the resolved environment is the plan's own.
    const resolved = (p: ReturnType<typeof plan>): { name: string; value: string }[] => p.environmentVariables.map((v) => ({ name: v.name, value: String(v.value) }));
    const [c] = containerDefinitions(plan(), { region: "me-south-1", secrets, environment: resolved(plan()) });

    it("runs the pinned image as an essential, non-root, read-only container with scratch /tmp", () => {
      expect(c).to.include({ name: "checkout", image: checkoutArgs().image, essential: true, user: "1000:1000", readonlyRootFilesystem: true, stopTimeout: 30 });
      expect(c.mountPoints).to.deep.equal([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
      expect(c.linuxParameters).to.deep.equal({ initProcessEnabled: true, capabilities: { drop: ["ALL"] } });
    });

    it("sorts environment and secrets by name, and references JSON keys as arn:key::", () => {
      expect(c.environment).to.deep.equal([{ name: "APP_ENV", value: "prod" }, { name: "LOG_LEVEL", value: "info" }, { name: "TZ", value: "Asia/Riyadh" }]);
      expect(c.secrets).to.deep.equal([{ name: "DB_PASSWORD", valueFrom: "arn:db:password::" }, { name: "PSP_API_KEY", valueFrom: "arn:psp" }]);
    });

    it("logs to the service's group in the given region without blocking the application", () => {
      expect(c.logConfiguration).to.deep.equal({
        logDriver: "awslogs",
        options: { "awslogs-group": "/tila/prod/checkout", "awslogs-region": "me-south-1", "awslogs-stream-prefix": "checkout", mode: "non-blocking", "max-buffer-size": "25m" },
      });
    });

    it("serialises identically whatever order the variables were declared in (property)", () => {
      const entries = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.string({ maxLength: 5 })), { selector: ([k]) => k, maxLength: 8 });
      fc.assert(fc.property(entries, fc.boolean(), (vars, reverse) => {
        const ordered = Object.fromEntries(reverse ? [...vars].reverse() : vars);
        const pa = plan(checkoutArgs({ environmentVariables: Object.fromEntries(vars) }));
        const pb = plan(checkoutArgs({ environmentVariables: ordered }));
        const a = containerDefinitions(pa, { region: "me-south-1", secrets: [], environment: resolved(pa) });
        const b = containerDefinitions(pb, { region: "me-south-1", secrets: [], environment: resolved(pb) });
        expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
      }), { numRuns: 50 });
    });
  });
});
