/**
 * Tenants in the real bootstrap.sh (scripts/tenants.sh) against the 3FS model, dev stack (tenant `vision`,
 * uid 1001): the user is non-root and non-admin with the tenant's token, no token reaches a command line,
 * the directory gets its owner and mode; later runs change only what drifted, and a uid that belongs to
 * someone else is refused before anything changes. (The first deploy and the no-op re-run are covered by
 * bootstrap-dev.test.ts, which checks the tenants too.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveTenant } from "../../lib/tenants/spec";
import { encodeToken } from "../../lib/threefs/token";
import { deployment, mutating, TOKEN } from "./bootstrapScenarios";
import { stackPlan, tenantToken } from "./plans";

describe("tenants (dev)", () => {
  const plan = stackPlan("dev");
  const vision = resolveTenant(plan.cfg.tenants[0]);

  test("created non-root with its own token off every command line; drift is repaired, a foreign uid refused", () => {
    const { cluster, script, mounts } = deployment(plan);
    const first = cluster.run(script);
    expect(first.status).toBe(0);
    const tok = tenantToken(vision.uid);
    expect(mutating(first)).toEqual(expect.arrayContaining([`user-add --token ${tok} 1001 vision`, "mkdir --perm 0755 /tenants", "mkdir --perm 0700 /tenants/vision", "set-perm --uid 1001 --gid 1001 /tenants/vision"]));
    for (const i of first.invocations) expect(i.argv.some((a) => a.includes(tok) || a.includes(TOKEN))).toBe(false);
    expect(first.stderr).toContain("user-add --token <token> 1001 vision (through admin_cli's stdin)");
    expect(first.stderr).not.toContain(tok);
    expect(cluster.state.users.find((u) => u.uid === 1001)).toEqual({ uid: 1001, name: "vision", token: tok, root: false, admin: false, groups: [] });

    // Drift: someone reset the directory's owner, and the tenant's token Secret changed (a replaced RandomBytes).
    cluster.update((s) => {
      const dir = s.fs.inodes.find((i) => i.path === vision.directory)!;
      dir.uid = 0;
      dir.perm = 0o755;
    });
    const rotated = encodeToken(vision.uid, 99n);
    fs.chmodSync(path.join(mounts.tenantTokenDir, "vision"), 0o600);
    fs.writeFileSync(path.join(mounts.tenantTokenDir, "vision"), rotated);
    const repair = cluster.run(script);
    expect(repair.status).toBe(0);
    expect(mutating(repair)).toEqual([`user-set-token --token ${rotated} --invalidate-existed-tokens 1001`, "set-perm --uid 1001 --perm 0700 /tenants/vision"]);
    expect(repair.stderr).not.toContain(rotated);
    expect(cluster.state.users.find((u) => u.uid === 1001)?.token).toBe(rotated);
    expect(mutating(cluster.run(script))).toEqual([]);

    // The uid now belongs to another user (made by hand): the bootstrap refuses to take it over.
    cluster.update((s) => {
      s.users.find((u) => u.uid === 1001)!.name = "someone";
    });
    const foreign = cluster.run(script);
    expect(foreign.status).not.toBe(0);
    expect(foreign.stderr).toContain("3FS uid 1001 belongs to user 'someone', not to tenant vision");
    expect(mutating(foreign)).toEqual([]);
  });
});
