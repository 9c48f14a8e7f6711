/**
 * Glowroot's facts and the agent settings built from them, as pure functions: the central
 * collector's gRPC port, the JVM options that attach a Java service's agent to it, and the
 * collector's ingress (exactly the environments' CIDRs, on that port). Sources are in
 * docs/observability-apm.md#glowroot.
 */

/** The central collector's gRPC port, where agents report (Glowroot central's default). */
export const GLOWROOT_GRPC_PORT = 8181;

/** Where the agent writes its log and temporary files: the task's only writable path is /tmp. */
export const GLOWROOT_WRITABLE_DIR = "/tmp/glowroot";

export interface GlowrootAgentInput {
  /** Absolute path of glowroot.jar in the image. */
  readonly agentPath: string;
  /** Host name of the central collector (port GLOWROOT_GRPC_PORT). */
  readonly collectorHost: string;
  readonly environment: string;
  readonly service: string;
}

/**
 * `JAVA_TOOL_OPTIONS` of a Java service: the JVM reads it at start, so the image's entrypoint is
 * untouched. `glowroot.agent.id` ends in `::`, which the agent completes with the host name: each
 * task reports as its own agent under the `<environment>::<service>` rollup.
 */
export function glowrootJavaToolOptions(i: GlowrootAgentInput): string {
  if (!/^\/[A-Za-z0-9._/-]+\.jar$/.test(i.agentPath)) throw new Error(`agentPath: "${i.agentPath}" must be an absolute path to a .jar`);
  if (!/^[a-z0-9.-]+$/.test(i.collectorHost)) throw new Error(`collectorHost: "${i.collectorHost}" must be a host name`);
  for (const [field, v] of [["environment", i.environment], ["service", i.service]] as const) {
    if (!/^[a-z][a-z0-9-]*$/.test(v)) throw new Error(`${field}: "${v}" must be a lower-case name`);
  }
  return [
    `-javaagent:${i.agentPath}`,
    `-Dglowroot.collector.address=${i.collectorHost}:${GLOWROOT_GRPC_PORT}`,
    `-Dglowroot.agent.id=${i.environment}::${i.service}::`,
    `-Dglowroot.log.dir=${GLOWROOT_WRITABLE_DIR}`,
    `-Dglowroot.tmp.dir=${GLOWROOT_WRITABLE_DIR}`,
  ].join(" ");
}

/** The collector's host label in a private zone: `glowroot.<zone>`. */
export const GLOWROOT_HOST_LABEL = "glowroot";

export interface CollectorIngressRule {
  readonly cidr: string;
  readonly description: string;
  readonly port: number;
}

/**
 * The collector's ingress: one rule per environment CIDR on the gRPC port, nothing else. Throws on a
 * duplicate or malformed CIDR, naming it.
 */
export function collectorIngress(environments: readonly { name: string; cidr: string }[]): CollectorIngressRule[] {
  const seen = new Set<string>();
  return environments.map((e) => {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(e.cidr)) throw new Error(`environments.${e.name}: "${e.cidr}" is not an IPv4 CIDR`);
    if (e.cidr === "0.0.0.0/0") throw new Error(`environments.${e.name}: the collector never admits 0.0.0.0/0`);
    if (seen.has(e.cidr)) throw new Error(`environments.${e.name}: ${e.cidr} is listed twice`);
    seen.add(e.cidr);
    return { cidr: e.cidr, port: GLOWROOT_GRPC_PORT, description: `Glowroot agents of ${e.name} (gRPC)` };
  });
}
