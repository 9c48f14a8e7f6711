/**
 * What the Fluent Bit tests share (test/data/fluentbit.test.ts, test/stacks/nodeLogShipping.test.ts):
 * a shipping target and a reader for the classic-mode configuration the bootstrap writes.
 */
import { GELF_TCP_PORT, LogShippingTarget } from "../../components/observability/logging/graylogPlan";

export const TARGET: LogShippingTarget = { host: "graylog.dev.internal.tila.sa", port: GELF_TCP_PORT, managementCidr: "10.0.0.0/16" };

/** A classic-mode config as its sections, each a list of [key, value] pairs in order. */
export function parseClassic(text: string): { name: string; entries: [string, string][] }[] {
  const sections: { name: string; entries: [string, string][] }[] = [];
  for (const line of text.split("\n")) {
    const header = /^\[([A-Z]+)\]$/.exec(line);
    if (header) sections.push({ name: header[1]!, entries: [] });
    else if (/^\s+\S/.test(line)) {
      const [, key, value] = /^\s+(\S+)\s+(.*)$/.exec(line)!;
      sections[sections.length - 1]!.entries.push([key!, value!]);
    }
  }
  return sections;
}

/** The values of `key` in one section, in order. */
export const get = (entries: [string, string][], key: string): string[] => entries.filter(([k]) => k === key).map(([, v]) => v);

/** The fluent-bit.conf a script writes, read out of its heredoc; empty when it writes none. */
export function writtenFluentBitConfig(script: string, file = "/etc/fluent-bit/fluent-bit.conf"): string {
  const start = script.indexOf(`cat > '${file}' <<'TILA_EOF'\n`);
  if (start < 0) return "";
  return script.slice(script.indexOf("\n", start) + 1, script.indexOf("\nTILA_EOF", start) + 1);
}
