/**
 * A prod config with N services, for the scaling scenarios: the real Pulumi.prod.yaml with its
 * service catalogue extended by copies of its own services (new names, routes and priorities), so
 * each added service is as heavy as a real one, running an image of its own repository. Pure text
 * in, text out.
 */
import { parseDocument } from "yaml";

interface ServiceEntry {
  name: string;
  exposure: string;
  routing: { priority: number; host?: string; paths?: string[] };
  [key: string]: unknown;
}

const CATALOG_KEY = ["config", "tila-platform:services", "catalog"];

/** `prodYaml` with its catalogue grown to `count` services (never shrunk). */
export function syntheticProd(prodYaml: string, count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new Error(`service count must be a positive integer, got ${count}`);
  const doc = parseDocument(prodYaml);
  const real = (doc.getIn(CATALOG_KEY) as { toJSON(): ServiceEntry[] } | undefined)?.toJSON();
  if (!real || real.length === 0) throw new Error("the prod config has no services catalogue");
  const catalog: ServiceEntry[] = [...real];
  const used = new Set(real.map((s) => s.routing.priority));
  let priority = 1000;
  for (let i = real.length; i < count; i++) {
    const base = real[i % real.length];
    while (used.has(priority)) priority++;
    used.add(priority);
    const name = `svc${String(i).padStart(3, "0")}`;
    // Host-routed copies would need new certificates; every copy routes by its own path instead.
    const routing = base.exposure === "public" ? { priority, paths: [`/${name}/*`] } : { priority };
    // Each service runs images of its own repository (config/images.ts): the copy's is named after it.
    const image = typeof base.image === "string" ? base.image.replace(`/${base.name}:`, `/${name}:`) : base.image;
    catalog.push({ ...base, name, routing, image });
  }
  doc.setIn(CATALOG_KEY, doc.createNode(catalog));
  return doc.toString();
}
