/**
 * A public ACM certificate validated by DNS in a Route 53 zone, possibly in another account (the
 * public zone of prod lives with management). `certificateArn` resolves only once ACM has issued
 * the certificate, so a listener that uses it never waits on a pending one. ACM renews it for as
 * long as the validation records stay in the zone.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CertificatePlan, KeyAlgorithm, VALIDATION_RECORD_TTL, resolveCertificate } from "./certificatePlan";
import { edgeTags } from "./edgeChecks";
import { Tags } from "../tags";

export interface DnsValidatedCertificateArgs {
  /** The certificate's primary name, e.g. `api.tila.sa` or `*.dev.tila.sa`. Lower case, no trailing dot. */
  readonly domainName: string;
  /** Further names (`tila.sa`, `www.tila.sa`); a wildcard and its apex share one validation record. @default [] */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 zone that answers for every name on the certificate. */
  readonly zoneId: pulumi.Input<string>;
  /** Provider for the zone's account when it is not this stack's (the hub account). @default the component's provider */
  readonly zoneProvider?: pulumi.ProviderResource;
  /** Key pair of the certificate; see DEFAULT_KEY_ALGORITHM for why RSA. @default "RSA_2048" */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class DnsValidatedCertificate extends pulumi.ComponentResource {
  /** ARN of the issued certificate: known only after validation succeeded. */
  readonly certificateArn: pulumi.Output<string>;
  /** FQDNs of the validation records, one per distinct base domain. */
  readonly validationRecordFqdns: pulumi.Output<string[]>;

  constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:edge:DnsValidatedCertificate", name, {}, opts);
    const plan = this.resolve(name, args);

    const certificate = new aws.acm.Certificate(`${name}-certificate`, {
      domainName: plan.domainName,
      subjectAlternativeNames: [...plan.subjectAlternativeNames],
      validationMethod: "DNS",
      keyAlgorithm: plan.keyAlgorithm,
      tags: edgeTags(args.tags, plan.domainName),
    }, { parent: this });

    // A new certificate for the same names (a replacement, or a second certificate in this
    // account) gets the same validation CNAME, so the record is overwritten rather than conflicting.
    const records = plan.validationRecords.map((r) => {
      const option = certificate.domainValidationOptions.apply((opts) => {
        const found = opts.find((o) => o.domainName === r.domain) ?? opts.find((o) => r.coveredNames.includes(o.domainName));
        if (found === undefined) throw new pulumi.ResourceError(`DnsValidatedCertificate "${name}": ACM returned no validation record for ${r.domain}`, this);
        return found;
      });
      return new aws.route53.Record(`${name}-validation-${r.slug}`, {
        zoneId: args.zoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: VALIDATION_RECORD_TTL,
        allowOverwrite: true,
      }, { parent: this, provider: args.zoneProvider });
    });

    // Taking the records' names makes the validation wait for them; the provider trims the
    // trailing dot on both sides when it matches them against ACM's list.
    const fqdns = pulumi.all(records.map((r) => r.name));
    const validation = new aws.acm.CertificateValidation(`${name}-validation`, {
      certificateArn: certificate.arn,
      validationRecordFqdns: fqdns,
    }, { parent: this });

    this.certificateArn = validation.certificateArn;
    this.validationRecordFqdns = fqdns;
    this.registerOutputs({ certificateArn: this.certificateArn, validationRecordFqdns: this.validationRecordFqdns });
  }

  private resolve(name: string, args: DnsValidatedCertificateArgs): CertificatePlan {
    const r = resolveCertificate(args);
    if (!r.ok) throw new pulumi.ResourceError(`DnsValidatedCertificate "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
