/**
 * Rebuilds the EC2 part of the region capability catalogue (`components/aws/regions/<region>.ec2.json`)
 * when online, from the AWS CLI or from a checkout of moto's offering files. See docs/region-catalogue.md.
 *
 *   npm run catalogue:refresh -- --from-aws [--region me-south-1 ...]
 *   npm run catalogue:refresh -- --from-moto <moto>/moto/ec2/resources/instance_type_offerings \
 *       --source-ref "getmoto/moto@<commit>" --source-date <YYYY-MM-DD> [--region ...]
 *
 * Exit 0 done, 1 a source could not be read or a file could not be written, 2 usage error.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { buildRegionFile, formatRegionFile, isGeneratedFile, matchZoneIds, parseOfferings, parseZones } from "./regionCatalogueSource";
import type { RegionEc2File } from "../components/aws/catalogueTypes";

const DEFAULT_REGIONS = ["me-south-1", "me-central-1"];
const DEFAULT_OUT = path.join(__dirname, "..", "components", "aws", "regions");
const USAGE = "usage: refresh-region-catalogue (--from-aws | --from-moto <dir> --source-ref <text> --source-date YYYY-MM-DD) [--region <name>]... [--out <dir>]";

class UsageError extends Error {}

interface Options {
  mode: "aws" | "moto";
  motoDir?: string;
  sourceRef?: string;
  sourceDate?: string;
  regions: string[];
  out: string;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "from-aws": { type: "boolean" },
        "from-moto": { type: "string" },
        "source-ref": { type: "string" },
        "source-date": { type: "string" },
        region: { type: "string", multiple: true },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  const fromAws = values["from-aws"] === true;
  const motoDir = values["from-moto"];
  if (fromAws === (motoDir !== undefined)) throw new UsageError("give exactly one of --from-aws and --from-moto <dir>");
  if (motoDir !== undefined) {
    if (!fs.existsSync(motoDir) || !fs.statSync(motoDir).isDirectory()) throw new UsageError(`--from-moto ${motoDir}: not a directory`);
    if (!values["source-ref"]) throw new UsageError("--from-moto needs --source-ref naming the repository and commit the files came from");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values["source-date"] ?? "")) throw new UsageError("--from-moto needs --source-date YYYY-MM-DD (the commit date of the offering files)");
  } else if (values["source-ref"] !== undefined || values["source-date"] !== undefined) {
    throw new UsageError("--source-ref and --source-date go with --from-moto only (--from-aws records today's date)");
  }
  const regions = values.region ?? DEFAULT_REGIONS;
  for (const r of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new UsageError(`--region ${r}: not a region name such as me-south-1`);
  const out = values.out ?? DEFAULT_OUT;
  if (!fs.existsSync(out) || !fs.statSync(out).isDirectory()) throw new UsageError(`--out ${out}: not a directory`);
  return { mode: fromAws ? "aws" : "moto", motoDir, sourceRef: values["source-ref"], sourceDate: values["source-date"], regions, out };
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function fromMoto(opts: Options, region: string): RegionEc2File {
  const dir = opts.motoDir as string;
  const byName = parseOfferings(readJson(path.join(dir, "availability-zone", `${region}.json`)), `availability-zone/${region}.json`);
  const byId = parseOfferings(readJson(path.join(dir, "availability-zone-id", `${region}.json`)), `availability-zone-id/${region}.json`);
  return buildRegionFile({
    region,
    byZone: byName,
    zoneIds: matchZoneIds(byName, byId),
    source: `DescribeInstanceTypeOfferings (location types availability-zone and availability-zone-id) as kept by ${opts.sourceRef}: moto/ec2/resources/instance_type_offerings/{availability-zone,availability-zone-id}/${region}.json`,
    sourceDate: opts.sourceDate as string,
  });
}

function aws(args: string[]): unknown {
  return JSON.parse(execFileSync("aws", [...args, "--output", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
}

function fromAws(region: string): RegionEc2File {
  // The CLI follows NextToken itself, so each call returns the whole list.
  const zones = parseZones(aws(["ec2", "describe-availability-zones", "--region", region]), `describe-availability-zones ${region}`);
  const byName = parseOfferings(aws(["ec2", "describe-instance-type-offerings", "--location-type", "availability-zone", "--region", region]), `describe-instance-type-offerings ${region}`);
  return buildRegionFile({
    region,
    byZone: byName,
    zoneIds: zones,
    source: `aws ec2 describe-instance-type-offerings --location-type availability-zone and aws ec2 describe-availability-zones, region ${region}`,
    sourceDate: new Date().toISOString().slice(0, 10),
  });
}

/** Writes through a temporary file so a failure never leaves half a catalogue behind. */
function write(file: string, content: string): void {
  if (fs.existsSync(file) && !isGeneratedFile(fs.readFileSync(file, "utf8"))) {
    throw new Error(`${file} exists and was not written by this script; move it away first`);
  }
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

function main(argv: string[]): number {
  let opts: Options;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`refresh-region-catalogue: ${e.message} (${USAGE})\n`);
    return 2;
  }
  let failed = 0;
  for (const region of opts.regions) {
    const file = path.join(opts.out, `${region}.ec2.json`);
    process.stdout.write(`${region}: reading offerings from ${opts.mode === "aws" ? "the AWS CLI" : opts.motoDir} ... `);
    try {
      const built = opts.mode === "aws" ? fromAws(region) : fromMoto(opts, region);
      write(file, formatRegionFile(built));
      const counts = built.zones.map((z) => `${z.name} ${z.instanceTypes.length}`).join(", ");
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${counts})\n`);
    } catch (e) {
      failed++;
      process.stdout.write("failed\n");
      process.stderr.write(`  ${(e as Error).message.split("\n")[0]}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
