/**
 * The shape of container resources in the stack config, shared by schema.ts and observabilitySchema.ts.
 *
 * Pure module: no cloud SDK imports.
 */
import { z } from "zod";

const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, "must be a Kubernetes quantity such as 500m, 2, 4Gi");

/** Requests and limits of one container, as Kubernetes quantities. */
export const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ cpu: quantity, memory: quantity }),
});
