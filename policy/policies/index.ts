/**
 * Every policy of the threefs pack, grouped by domain. Importing this module has no side effects
 * (no `PolicyPack` is constructed), so tests and tools can evaluate the policies directly.
 */
import { apiServerPolicies } from "./apiServer";
import { backupPolicies } from "./backup";
import { clusterPolicies } from "./cluster";
import type { ThreefsPolicy } from "./common";
import { kubernetesPolicies } from "./kubernetes";
import { networkPolicies } from "./network";
import { profilePolicies } from "./profile";
import { threefsPolicies } from "./threefs";

export { apiServerPolicies, backupPolicies, clusterPolicies, kubernetesPolicies, networkPolicies, profilePolicies, threefsPolicies };

/** All policies of the pack, in the order they are reported. */
export const allPolicies: ThreefsPolicy[] = [
  ...networkPolicies,
  ...clusterPolicies,
  ...apiServerPolicies,
  ...kubernetesPolicies,
  ...threefsPolicies,
  ...backupPolicies,
  ...profilePolicies,
];
