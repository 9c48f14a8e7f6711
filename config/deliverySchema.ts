/**
 * `tila-platform:delivery` of the management stack: the service pipelines (docs/delivery.md). Who
 * approves preprod and prod, which Jenkins may publish images and start pipelines, and how long
 * pipeline artefacts are kept. Environments carry no delivery key: they learn from management's
 * file whether to create their cross-account deploy roles (AddressPlan.delivery).
 */
import { z } from "zod";

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, "must be an e-mail address");

export const jenkinsSchema = z.strictObject({
  /**
   * The issuer of the ID tokens Jenkins' OpenID Connect Provider plugin signs (`<JENKINS_URL>/oidc`):
   * management trusts it as an IAM OIDC provider, so Jenkins never holds an AWS access key.
   */
  issuerUrl: z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~/-]*)?$/, "must be an https URL of the Jenkins OIDC issuer, https://<host>/oidc"),
  /** The `aud` of the tokens (the credential's audience). */
  audience: z.string().min(1).max(255).default("sts.amazonaws.com"),
  /**
   * The token subjects (`sub`, the job's URL by default) allowed to publish images and start
   * pipelines; `*` allowed as in IAM StringLike. At least one.
   */
  subjects: z.array(z.string().min(1).max(1024)).min(1, "name at least one Jenkins job subject"),
});

export const deliverySchema = z.strictObject({
  /** E-mail subscriptions of the approvers' topic: the manual approvals before preprod and prod notify it. */
  approvers: z.array(email).min(1, "name at least one approver e-mail"),
  jenkins: jenkinsSchema,
  /** Days pipeline artefacts and source objects are kept (their lifecycle). */
  artifactRetentionDays: z.number().int().min(30, "must be at least 30 days (an approval may wait 7 days and a rollback needs the artefact)").max(3650).default(90),
});

export type DeliverySettings = z.output<typeof deliverySchema>;
export type JenkinsSettings = z.output<typeof jenkinsSchema>;
