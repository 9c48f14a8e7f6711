import { expect } from "chai";
import { analyzeReachability, flow, openPorts, ReachabilityReport } from "../../offline/reachability";
import type { StackRun } from "../../offline/engine";
import { ENVIRONMENTS } from "../../config/schema";
import { GELF_TCP_PORT, GRAYLOG_HTTP_PORT, GRAYLOG_INPUT_PORTS } from "../../components/observability/logging/graylogPlan";
import { realStacks } from "../support/realStacks";
import { planWeakened } from "../support/weaken";

/**
 * What each environment may open in management, exactly: the central interface endpoints (443),
 * the Glowroot collector's load balancer (8181), and Graylog's inputs (GRAYLOG_INPUT_PORTS: GELF
 * 12201). Graylog's web and API port (443 on its load balancer, 9000 on its nodes) and MongoDB's
 * 27017 are never among them.
 */
const ENVIRONMENT_TO_MANAGEMENT = ["tcp 443", "tcp 8181", ...GRAYLOG_INPUT_PORTS.map((p) => `tcp ${p}`)];
/**
 * Nothing in an environment admits management or an office: its public ALB admits 80 and 443 from
 * anywhere, but sits in public subnets whose replies leave through the internet gateway.
 */
const INTO_AN_ENVIRONMENT: string[] = [];
const OFFICES: Record<string, string[]> = { riyadh: ["dev", "stage", "preprod"], jeddah: ["dev", "stage", "preprod"], london: ["dev"] };

const analyse = (runs: Record<string, StackRun>): ReachabilityReport =>
  analyzeReachability(Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.resources])));

describe("ports across the transit gateway (all five real stacks)", () => {
  let stacks: Record<string, StackRun>;
  let report: ReachabilityReport;

  before(async () => {
    stacks = await realStacks();
    report = analyse(stacks);
  });

  it("opens management to each environment on 443, 8181 and Graylog's GELF input 12201, and nothing more", () => {
    expect(ENVIRONMENT_TO_MANAGEMENT).to.deep.equal(["tcp 443", "tcp 8181", "tcp 12201"]);
    for (const env of ENVIRONMENTS) {
      expect(openPorts(report, env, "management"), env).to.deep.equal(ENVIRONMENT_TO_MANAGEMENT);
      expect(flow(report, env, "management").ports?.every((p) => !p.partial), `${env}: every port from the whole VPC`).to.equal(true);
    }
  });

  it("opens no port of an environment to management: the public load balancer's replies leave through the internet gateway", () => {
    for (const env of ENVIRONMENTS) expect(openPorts(report, "management", env), env).to.deep.equal(INTO_AN_ENVIRONMENT);
    const alb = stacks.prod!.resources.find((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.cidrIpv4 === "0.0.0.0/0");
    expect(alb, "the public ALB is open to every address, management's included").to.not.equal(undefined);
  });

  for (const [office, allowed] of Object.entries(OFFICES)) {
    it(`opens Graylog's web interface (443) in management to the ${office} office, and no port of its environments`, () => {
      expect(openPorts(report, office, "management")).to.deep.equal(["tcp 443"]);
      for (const env of allowed) expect(openPorts(report, office, env), env).to.deep.equal(INTO_AN_ENVIRONMENT);
      for (const env of ENVIRONMENTS.filter((e) => !allowed.includes(e))) expect(openPorts(report, office, env), env).to.equal(undefined);
    });
  }

  it("names no ports between environments, nor into an office", () => {
    for (const from of ENVIRONMENTS) {
      for (const to of [...ENVIRONMENTS.filter((e) => e !== from), ...Object.keys(OFFICES)]) {
        expect(flow(report, from, to).ports, `${from} -> ${to}`).to.equal(undefined);
      }
    }
  });

  it("shows a Graylog rule weakened to the nodes' HTTP port as that port, not GELF", async () => {
    const dev = stacks.dev!.config.config["tila-platform:network"];
    const devCidr = (JSON.parse(dev!) as { cidr: string }).cidr;
    const { run, hits } = await planWeakened("management", (a) =>
      a.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && a.props.cidrIpv4 === devCidr && a.props.fromPort === GELF_TCP_PORT
        ? { ...a.props, fromPort: GRAYLOG_HTTP_PORT, toPort: GRAYLOG_HTTP_PORT }
        : undefined);
    expect(hits).to.equal(1);
    const weakened = analyse({ ...stacks, management: run });
    expect(openPorts(weakened, "dev", "management")).to.deep.equal(["tcp 443", "tcp 8181", "tcp 9000"]);
    expect(openPorts(weakened, "stage", "management")).to.deep.equal(ENVIRONMENT_TO_MANAGEMENT);
  });
});
