/**
 * The shapes of the region capability catalogue's data files (`regions/*.json`), shared by the
 * catalogue lookups and the refresh script that writes the EC2 part.
 */

/** Written into every file the refresh script produces; it overwrites only files that carry it. */
export const EC2_FILE_MARKER = "scripts/refresh-region-catalogue.ts";

export interface ZoneOfferings {
  /** Account-local AZ name, e.g. `me-south-1a`. */
  readonly name: string;
  /** Account-independent AZ id, e.g. `mes1-az1`. */
  readonly zoneId: string;
  /** EC2 instance types DescribeInstanceTypeOfferings lists for this zone, sorted. */
  readonly instanceTypes: readonly string[];
}

/** `regions/<region>.ec2.json`: generated, never edited by hand. */
export interface RegionEc2File {
  readonly generatedBy: string;
  readonly region: string;
  /** Where the offerings came from (API call or repository file and commit). */
  readonly source: string;
  /** The day the source answered (YYYY-MM-DD). */
  readonly sourceDate: string;
  readonly zones: readonly ZoneOfferings[];
}

/** The CPU architectures ECS names in a task definition's runtimePlatform. */
export type FargateArchitecture = "X86_64" | "ARM64";

/** One region's managed-service facts in `regions/services.json`; every field cites `sources`. */
export interface RegionServices {
  readonly rds: {
    /** RDS for MySQL major versions (X.Y) the region offers. */
    readonly mysqlMajorVersions: readonly string[];
    readonly sources: readonly string[];
  };
  readonly elasticache: { readonly sources: readonly string[] };
  readonly opensearch: {
    /** Engine versions as CreateDomain takes them, e.g. `OpenSearch_2.19`. */
    readonly engineVersions: readonly string[];
    readonly sources: readonly string[];
  };
  readonly fargate: {
    readonly architectures: readonly FargateArchitecture[];
    /** Empty when the region has no Fargate Spot. */
    readonly spotArchitectures: readonly FargateArchitecture[];
    readonly sources: readonly string[];
  };
}

export interface SourceNote {
  readonly url: string;
  /** The day the page was read (YYYY-MM-DD). */
  readonly read: string;
  /** What the page says that the catalogue relies on, in a sentence. */
  readonly says: string;
}

/** `regions/services.json`: hand-maintained from AWS documentation. */
export interface ServicesFile {
  readonly note: string;
  readonly sources: Readonly<Record<string, SourceNote>>;
  readonly regions: Readonly<Record<string, RegionServices>>;
}
