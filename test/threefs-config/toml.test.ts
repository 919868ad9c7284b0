import * as fs from "node:fs";
import * as path from "node:path";
import { renderThreeFsConfigs, storageBufferPool, threeFsConfigOverrides, validateThreeFsConfigInput, type ThreeFsConfigFileName } from "../../lib/threefs/toml";
import { adminCliArgs, fuseArgs, serviceArgs } from "../../lib/threefs/args";
import { shippedEntries, upstreamOnlyKeys } from "../../lib/threefs/shipped";
import { overrideChanges, renderMerged, tablesFrom } from "../../lib/threefs/tomlMerge";
import { OVERRIDE_REASONS } from "../../lib/threefs/tomlSections";
import { DEV_INPUT, FIXTURES, PROD_INPUT, flatten, parseToml, typeFits } from "./helpers";

const UPDATE = process.env.UPDATE_GOLDEN === "1";
const GiB = 1024 ** 3;
const inputs = { dev: DEV_INPUT, prod: PROD_INPUT };

describe.each(Object.entries(inputs))("rendered config (%s)", (profile, input) => {
  const files = renderThreeFsConfigs(input);
  const overrides = threeFsConfigOverrides(input);

  test.each(Object.keys(files))("%s matches its golden file (UPDATE_GOLDEN=1 rewrites)", (name) => {
    const golden = path.join(FIXTURES, "golden", profile, name);
    if (UPDATE) {
      fs.mkdirSync(path.dirname(golden), { recursive: true });
      fs.writeFileSync(golden, files[name as ThreeFsConfigFileName]);
    }
    expect(files[name as ThreeFsConfigFileName]).toBe(fs.readFileSync(golden, "utf8"));
  });

  test.each(Object.keys(files))("%s holds the shipped file's keys with the shipped types, and no key the images lack", (name) => {
    const file = name as ThreeFsConfigFileName;
    const shipped = shippedEntries(file);
    const rendered = flatten(parseToml(files[file]));
    const wrong = rendered
      .filter(({ key, type }) => {
        const ref = shipped[key.replace(/\[\]/g, "[0]")] ?? Object.entries(shipped).find(([k]) => k.replace(/\[\d+\]/g, "[]") === key)?.[1];
        return ref === undefined || !typeFits(type, ref.type);
      })
      .map(({ key, type }) => `${key}: ${type}`);
    expect(wrong).toEqual([]);
    // Whole file: every shipped key outside the reshaped log arrays is present.
    const renderedKeys = new Set(rendered.map((e) => e.key));
    const missing = Object.keys(shipped)
      .map((k) => k.replace(/\[\d+\]/g, "[]"))
      .filter((k) => !k.startsWith("common.log.") && !renderedKeys.has(k));
    expect(missing).toEqual([]);
    for (const key of upstreamOnlyKeys(file)) expect(renderedKeys.has(key.replace(/\[\d+\]/g, "[]"))).toBe(false);
  });

  test.each(Object.keys(files))("%s: every change from the shipped file has a reason", (name) => {
    const file = name as ThreeFsConfigFileName;
    const reasons = OVERRIDE_REASONS[file] ?? {};
    const unexplained = overrideChanges(file, overrides[file])
      .filter((c) => reasons[c.pattern] === undefined)
      .map((c) => `${c.key}: ${c.shipped} → ${c.rendered}`);
    expect(unexplained).toEqual([]);
  });

  test.each(Object.keys(files))("%s sets max_sge = 1 in every io_worker ibsocket section", (name) => {
    const file = name as ThreeFsConfigFileName;
    const emitted = flatten(parseToml(files[file]));
    const keys = Object.keys(shippedEntries(file)).filter((k) => k.endsWith("io_worker.ibsocket.max_sge"));
    for (const key of keys.map((k) => k.replace(/\[\d+\]/g, "[]"))) {
      const values = emitted.filter((e) => e.key === key).map((e) => e.value);
      expect({ key, ok: values.length > 0 && values.every((v) => v === 1n) }).toEqual({ key, ok: true });
    }
  });
});

describe("override reasons", () => {
  test("every reason is used by some rendered file (no stale entries)", () => {
    const used = new Set<string>();
    for (const input of Object.values(inputs)) {
      const overrides = threeFsConfigOverrides(input);
      for (const file of Object.keys(overrides) as ThreeFsConfigFileName[]) {
        for (const c of overrideChanges(file, overrides[file])) used.add(`${file} ${c.pattern}`);
      }
    }
    const stale = Object.entries(OVERRIDE_REASONS).flatMap(([file, r]) => Object.keys(r).map((p) => `${file} ${p}`)).filter((k) => !used.has(k));
    expect(stale).toEqual([]);
  });

  test("the merge refuses what 3FS refuses: unknown keys, tables for values, wrong types", () => {
    expect(() => renderMerged("mgmtd_main.toml", { server: { service: { allow_heartbeat_from_unregisterd: true } } })).toThrow("no such key");
    expect(() => renderMerged("mgmtd_main.toml", { server: { service: 1 } })).toThrow("table");
    expect(() => renderMerged("mgmtd_main.toml", { server: { service: { allow_heartbeat_from_unregistered: "yes" } } })).toThrow("boolean");
    expect(() => renderMerged("storage_main.toml", { server: { buffer_pool: { rdmabuf_count: 1.5 } } })).toThrow("integer");
    expect(() => renderMerged("hf3fs_fuse_main.toml", { attr_timeout: "30" })).toThrow("float");
    // A key only a newer upstream 3FS has: the images' binaries would refuse it.
    expect(upstreamOnlyKeys("storage_main.toml")).toContain("server.base.groups[0].listener.custom_tcp_nic_prefix");
    expect(() => renderMerged("storage_main.toml", { server: { base: { groups: tablesFrom([{ from: 0, set: { listener: { custom_tcp_nic_prefix: "" } } }]) } } })).toThrow("no such key");
  });

  test("floats stay floats and integers stay integers", () => {
    const fuse = parseToml(renderThreeFsConfigs(DEV_INPUT)["hf3fs_fuse_main.toml"]);
    expect(fuse.attr_timeout).toBe(30);
    expect(renderThreeFsConfigs(DEV_INPUT)["hf3fs_fuse_main.toml"]).toMatch(/^attr_timeout = 30\.0$/m);
    expect(fuse.max_idle_threads).toBe(10n);
  });
});

describe("config contents", () => {
  test("mgmtd admits heartbeats of the nodes it has not registered (the shipped value; the C++ default is false)", () => {
    for (const input of Object.values(inputs)) {
      const mgmtd = parseToml(renderThreeFsConfigs(input)["mgmtd_main.toml"]) as { server: { service: { allow_heartbeat_from_unregistered: boolean } } };
      expect(mgmtd.server.service.allow_heartbeat_from_unregistered).toBe(true);
    }
  });

  test("mgmtd addresses: the headless Service name, wherever a reader looks for them", () => {
    const files = renderThreeFsConfigs(PROD_INPUT);
    const where: Array<[ThreeFsConfigFileName, string]> = [
      ["meta_main.toml", "server.mgmtd_client.mgmtd_server_addresses"],
      ["storage_main.toml", "server.mgmtd.mgmtd_server_addresses"],
      ["hf3fs_fuse_main.toml", "mgmtd.mgmtd_server_addresses"],
      ["admin_cli.toml", "mgmtd_client.mgmtd_server_addresses"],
      ["meta_main_launcher.toml", "mgmtd_client.mgmtd_server_addresses"],
      ["storage_main_launcher.toml", "mgmtd_client.mgmtd_server_addresses"],
      ["hf3fs_fuse_main_launcher.toml", "mgmtd_client.mgmtd_server_addresses"],
    ];
    for (const [file, key] of where) {
      expect(flatten(parseToml(files[file])).find((e) => e.key === key)?.value).toEqual(["RDMA://threefs-mgmtd.threefs.svc.cluster.local:8000"]);
    }
  });

  test("cluster id and FDB cluster file are in the files, not on command lines", () => {
    const files = renderThreeFsConfigs(PROD_INPUT);
    for (const file of ["mgmtd_main_launcher.toml", "meta_main_launcher.toml", "storage_main_launcher.toml", "hf3fs_fuse_main_launcher.toml", "admin_cli.toml"] as const) {
      expect((parseToml(files[file]) as { cluster_id: string }).cluster_id).toBe("threefs-prod");
    }
    const meta = parseToml(files["meta_main.toml"]) as { server: { fdb: { clusterFile: string }; kv_engine: { fdb: { clusterFile: string } } } };
    expect([meta.server.fdb.clusterFile, meta.server.kv_engine.fdb.clusterFile]).toEqual(["/etc/foundationdb/fdb.cluster", "/etc/foundationdb/fdb.cluster"]);
  });

  test("storage target paths are the disk mounts, position = disk index", () => {
    const storage = parseToml(renderThreeFsConfigs(PROD_INPUT)["storage_main.toml"]) as { server: { targets: { target_paths: string[] } } };
    expect(storage.server.targets.target_paths).toEqual(["/var/3fs/data0", "/var/3fs/data1", "/var/3fs/data2", "/var/3fs/data3"]);
  });

  test("logs go to the container streams, metrics to the collector or the log", () => {
    for (const input of [DEV_INPUT, PROD_INPUT]) {
      const meta = parseToml(renderThreeFsConfigs(input)["meta_main.toml"]) as {
        common: { log: { categories: unknown[]; handlers: Array<{ writer_type: string; name: string }> }; monitor: { reporters: Array<{ type: string; monitor_collector?: { remote_ip: string } }> } };
      };
      expect(meta.common.log.handlers.map((h) => [h.name, h.writer_type])).toEqual([["normal", "STREAM"], ["fatal", "STREAM"]]);
      expect(meta.common.log.categories).toHaveLength(1);
      expect(meta.common.monitor.reporters.map((r) => r.type)).toEqual([input.monitorCollector ? "monitor_collector" : "log"]);
      if (input.monitorCollector) expect(meta.common.monitor.reporters[0].monitor_collector?.remote_ip).toBe(input.monitorCollector);
    }
  });
});

describe("storage buffer pool", () => {
  const bytes = (p: ReturnType<typeof storageBufferPool>) => p.rdmabuf_count * 4 * 1024 ** 2 + p.big_rdmabuf_count * 64 * 1024 ** 2;

  test.each([
    [2, 64, 4],
    [6, 192, 12],
    [32, 1024, 64],
    [512, 1024, 64],
  ])("%i GiB → %i × 4MB + %i × 64MB", (gib, small, big) => {
    expect(storageBufferPool(gib * GiB)).toEqual({ rdmabuf_size: "4MB", rdmabuf_count: small, big_rdmabuf_size: "64MB", big_rdmabuf_count: big });
  });

  test("RDMA buffers never exceed a quarter of the limit nor 3FS's 8 GiB default", () => {
    for (let mib = 2048; mib <= 1024 * 1024; mib = Math.ceil(mib * 1.37)) {
      const total = bytes(storageBufferPool(mib * 1024 ** 2));
      expect(total).toBeLessThanOrEqual(Math.min(mib * 1024 ** 2 / 4, 8 * GiB));
      expect(total).toBeGreaterThan(0);
    }
  });
});

describe("input validation", () => {
  test.each([
    ["", "must not be empty"],
    ["a".repeat(32), "shorter than 32"],
    ["Threefs", "lowercase"],
    ["-threefs", "start with a letter or digit"],
    ["three_fs", "lowercase letters, digits and '-'"],
    ["three fs", "lowercase letters, digits and '-'"],
    ['a"b', "lowercase letters, digits and '-'"],
  ])("cluster id %j is rejected (%s)", (clusterId, reason) => {
    expect(validateThreeFsConfigInput({ ...DEV_INPUT, clusterId }).join("\n")).toContain(reason);
  });

  test.each([["a"], ["threefs-dev"], ["a".repeat(31)], ["0abc-"], ["3fs"]])("cluster id %j is accepted", (clusterId) => {
    expect(validateThreeFsConfigInput({ ...DEV_INPUT, clusterId })).toEqual([]);
  });

  test.each([
    [{ mgmtdAddresses: [] }, "at least one mgmtd address"],
    [{ mgmtdAddresses: ["mgmtd:8000"] }, "RDMA://host:port"],
    [{ mgmtdAddresses: ["RDMA://m:70000"] }, "RDMA://host:port"],
    [{ disksPerNode: 0 }, "disksPerNode"],
    [{ storageMemoryBytes: GiB }, "at least 2 GiB"],
    [{ monitorCollector: "collector" }, "ipv4:port"],
    [{ monitorCollector: "monitor.threefs.svc:10000" }, "ipv4:port"],
    [{ monitorCollector: "10.0.0.256:10000" }, "ipv4:port"],
    [{ monitorCollector: "10.0.0.1:70000" }, "ipv4:port"],
    [{ mountpoint: "mnt/3fs" }, "absolute path"],
    [{ tokenFile: "/etc/token file" }, "absolute path"],
  ])("rejects %j", (patch, reason) => {
    expect(validateThreeFsConfigInput({ ...DEV_INPUT, ...patch }).join("\n")).toContain(reason);
    expect(() => renderThreeFsConfigs({ ...DEV_INPUT, ...patch })).toThrow(reason);
  });
});

describe("container args", () => {
  test.each(["mgmtd", "meta", "storage"] as const)("%s: its config files and the node id, nothing else", (service) => {
    expect(serviceArgs(service)).toEqual([`--launcher_cfg=/etc/3fs/${service}_main_launcher.toml`, `--cfg=/etc/3fs/${service}_main.toml`, "--app_config.node_id=$(NODE_ID)"]);
    expect(Object.keys(renderThreeFsConfigs(DEV_INPUT))).toEqual(expect.arrayContaining([`${service}_main.toml`, `${service}_main_launcher.toml`]));
    // node_id is an integer key of the app config 3FS ships.
    expect(shippedEntries(`${service}_main_app.toml`).node_id.type).toBe("integer");
  });

  test("fuse and admin-cli", () => {
    expect(fuseArgs()).toEqual(["--launcher_cfg=/etc/3fs/hf3fs_fuse_main_launcher.toml", "--cfg=/etc/3fs/hf3fs_fuse_main.toml"]);
    expect(adminCliArgs()).toEqual(["--cfg=/etc/3fs/admin_cli.toml"]);
  });
});
