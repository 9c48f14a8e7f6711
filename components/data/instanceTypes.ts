/**
 * What an EC2 instance type's name tells NoSqlCluster: the CPU architecture (so which AL2023 AMI
 * the nodes boot) and whether EC2 auto-recovery can move the node (EBS-only). Read from the name
 * alone, by AWS's naming convention `<family><generation><attributes>.<size>`, where the first
 * attribute letter names the processor (`g` Graviton, `i` Intel, `a` AMD) and the others add
 * capabilities (`d` instance store, `n` network, `e` extra memory, `z` high frequency, `b` EBS
 * bandwidth, `-flex`). Pure: no AWS call, so a typo is caught before anything is created.
 */

export type Architecture = "arm64" | "x86_64";

export const ARCHITECTURES: readonly Architecture[] = Object.freeze(["arm64", "x86_64"]);

/** How messages name an architecture. */
export const ARCHITECTURE_LABELS: Readonly<Record<Architecture, string>> = Object.freeze({
  arm64: "Graviton (arm64)",
  x86_64: "Intel/AMD (x86_64)",
});

/** Latest AL2023 per architecture, resolved at deploy time (NoSqlCluster never replaces a node for a newer one). */
export const AMI_PARAMETERS: Readonly<Record<Architecture, string>> = Object.freeze({
  arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
  x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
});

/** family, generation, attributes, size: `c7gn.xlarge` -> c, 7, gn, xlarge; `m7i-flex.large` -> m, 7, i-flex, large. */
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z]*(?:-flex)?)\.([a-z0-9]+)$/;

/**
 * General purpose, compute optimised, memory optimised and burstable: the families a data node
 * runs on. Storage (i, d, h), accelerated (p, g, inf, trn, ...), HPC and high-memory (u) families
 * are not modelled, so their names are refused rather than guessed at.
 */
const FAMILIES: readonly string[] = ["m", "c", "r", "x", "t"];

/** Families whose every type has instance store volumes, with or without a `d` in the name (i3, i3en, i4g, im4gn, is4gen, d3, h1). */
const STORAGE_FAMILIES = /^(?:i[a-z]*|d|h)$/;

interface ParsedType {
  family: string;
  generation: number;
  attributes: string;
}

function parse(instanceType: string): ParsedType | undefined {
  const m = INSTANCE_TYPE.exec(instanceType);
  return m ? { family: m[1], generation: Number(m[2]), attributes: m[3] } : undefined;
}

/**
 * The CPU architecture of `instanceType`: `*g*` (m7g, r7gd, c7gn, t4g, x8g) is Graviton, `*i*`
 * (m7i, r7iz, c7i-flex) Intel and `*a*` (m7a, r7a, t3a) AMD; the 5th-generation m/c/r types and
 * t3 predate the processor letter and are Intel (m5, c5n, r5b, m5zn). Undefined for anything else,
 * including families outside m, c, r, x and t: an unknown name is never assumed to be either.
 */
export function instanceArchitecture(instanceType: string): Architecture | undefined {
  const t = parse(instanceType);
  if (t === undefined || !FAMILIES.includes(t.family)) return undefined;
  const processor = t.attributes[0];
  if (processor === "g") return "arm64";
  if (processor === "i" || processor === "a") return "x86_64";
  const unmarkedIntel = (t.generation === 5 && ["m", "c", "r"].includes(t.family)) || (t.family === "t" && t.generation === 3);
  return unmarkedIntel ? "x86_64" : undefined;
}

/** Whether `instanceType` has instance store volumes (EC2 auto-recovery only moves EBS-only instances). */
export function hasInstanceStore(instanceType: string): boolean {
  const t = parse(instanceType);
  return t !== undefined && (t.attributes.includes("d") || STORAGE_FAMILIES.test(t.family));
}

/**
 * Why no data node can run on `instanceType`, starting with the quoted type (callers add the
 * field name), or undefined: not a type name, instance store volumes, or an unknown architecture.
 */
export function instanceTypeIssue(instanceType: string): string | undefined {
  if (parse(instanceType) === undefined) return `"${instanceType}" is not an EC2 instance type such as "r7g.xlarge"`;
  if (hasInstanceStore(instanceType)) return `"${instanceType}" has instance store volumes, which EC2 auto-recovery does not support`;
  if (instanceArchitecture(instanceType) === undefined) {
    return `"${instanceType}" is not a type whose CPU architecture is known here: use an m, c, r, x or t type that names its processor (g Graviton for arm64, i Intel or a AMD for x86_64), e.g. "r7g.xlarge" or "r6i.xlarge"`;
  }
  return undefined;
}
