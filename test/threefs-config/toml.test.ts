import * as fs from "node:fs";
import * as path from "node:path";
import { renderThreeFsConfigs, storageBufferPool, validateThreeFsConfigInput, type ThreeFsConfigFileName } from "../../lib/threefs/toml";
import { adminCliArgs, fuseArgs, serviceArgs } from "../../lib/threefs/args";
import { DEV_INPUT, FIXTURES, PROD_INPUT, VALID_KEYS, flatten, parseToml, typeFits } from "./helpers";

const UPDATE = process.env.UPDATE_GOLDEN === "1";
const GiB = 1024 ** 3;
const inputs = { dev: DEV_INPUT, prod: PROD_INPUT };

describe.each(Object.entries(inputs))("rendered config (%s)", (profile, input) => {
  const files = renderThreeFsConfigs(input);

  test.each(Object.keys(files))("%s matches its golden file (UPDATE_GOLDEN=1 rewrites)", (name) => {
    const golden = path.join(FIXTURES, "golden", profile, name);
    if (UPDATE) {
      fs.mkdirSync(path.dirname(golden), { recursive: true });
      fs.writeFileSync(golden, files[name as ThreeFsConfigFileName]);
    }
    expect(files[name as ThreeFsConfigFileName]).toBe(fs.readFileSync(golden, "utf8"));
  });

  test.each(Object.keys(files))("%s sets only keys 3FS has, with 3FS's types", (name) => {
    const reference = VALID_KEYS[name];
    expect(reference).toBeDefined();
    const wrong = flatten(parseToml(files[name as ThreeFsConfigFileName]))
      .filter(({ key, type }) => reference[key] === undefined || !typeFits(type, reference[key]))
      .map(({ key, type }) => `${key}: ${type} (3FS: ${reference[key] ?? "no such key"})`);
    expect(wrong).toEqual([]);
  });

  test.each(Object.keys(files))("%s sets max_sge = 1 in every io_worker ibsocket section 3FS has", (name) => {
    const emitted = flatten(parseToml(files[name as ThreeFsConfigFileName]));
    for (const key of Object.keys(VALID_KEYS[name]).filter((k) => k.endsWith("io_worker.ibsocket.max_sge"))) {
      const values = emitted.filter((e) => e.key === key).map((e) => e.value);
      expect({ key, values: values.length > 0 && values.every((v) => v === 1n) }).toEqual({ key, values: true });
    }
    // Each server has two service groups (RDMA and TCP); both must be covered.
    if (name.endsWith("_main.toml") && name !== "hf3fs_fuse_main.toml") {
      expect(emitted.filter((e) => e.key === "server.base.groups[].io_worker.ibsocket.max_sge")).toHaveLength(2);
    }
  });
});

describe("config contents", () => {
  test("mgmtd addresses go where each reader looks for them", () => {
    const files = renderThreeFsConfigs(PROD_INPUT);
    const where: Array<[ThreeFsConfigFileName, string]> = [
      ["meta_main.toml", "server.mgmtd_client.mgmtd_server_addresses"],
      ["storage_main.toml", "server.mgmtd.mgmtd_server_addresses"],
      ["hf3fs_fuse_main.toml", "mgmtd.mgmtd_server_addresses"],
      ["admin_cli.toml", "mgmtd_client.mgmtd_server_addresses"],
    ];
    for (const [file, key] of where) {
      expect(flatten(parseToml(files[file])).find((e) => e.key === key)?.value).toEqual(PROD_INPUT.mgmtdAddresses);
    }
    expect(PROD_INPUT.mgmtdAddresses).toEqual([
      "RDMA://threefs-mgmtd-1.threefs-mgmtd.threefs.svc.cluster.local:8000",
      "RDMA://threefs-mgmtd-2.threefs-mgmtd.threefs.svc.cluster.local:8000",
      "RDMA://threefs-mgmtd-3.threefs-mgmtd.threefs.svc.cluster.local:8000",
    ]);
  });

  test("storage target paths are the disk mounts, position = disk index", () => {
    const storage = parseToml(renderThreeFsConfigs(PROD_INPUT)["storage_main.toml"]) as { server: { targets: { target_paths: string[] } } };
    expect(storage.server.targets.target_paths).toEqual(["/var/3fs/data0", "/var/3fs/data1", "/var/3fs/data2", "/var/3fs/data3"]);
  });

  test("logs go to the container streams, metrics to the collector or the log", () => {
    for (const input of [DEV_INPUT, PROD_INPUT]) {
      const meta = parseToml(renderThreeFsConfigs(input)["meta_main.toml"]) as { common: { log: { handlers: Array<{ writer_type: string }> }; monitor: { reporters: Array<{ type: string }> } } };
      expect(meta.common.log.handlers.every((h) => h.writer_type === "STREAM")).toBe(true);
      expect(meta.common.monitor.reporters.map((r) => r.type)).toEqual([input.monitorCollector ? "monitor_collector" : "log"]);
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
  const launcherKeys = (file: string) => VALID_KEYS[file];

  /** 3FS parses `--launcher_config.k=v` as `v = """v"""` for string keys, else as `v = <v>`. */
  function checkFlags(args: string[], launcherFile: string, appFile: string): void {
    const flags = args.filter((a) => /^--(launcher_config|app_config)\./.test(a));
    expect(flags.length).toBeGreaterThan(0);
    for (const arg of flags) {
      const m = /^--(launcher_config|app_config)\.([^=]+)=(.*)$/.exec(arg);
      if (!m) throw new Error(`malformed flag ${arg}`);
      const reference = (m[1] === "launcher_config" ? launcherKeys(launcherFile) : launcherKeys(appFile))[m[2]];
      expect({ arg, known: reference !== undefined }).toEqual({ arg, known: true });
      const value = m[3].replace("$(NODE_ID)", "10000");
      const type = reference === "string" ? "string" : flatten(parseToml(`v = ${value}`))[0].type;
      expect({ arg, fits: typeFits(type, reference) }).toEqual({ arg, fits: true });
    }
  }

  test.each(["mgmtd", "meta", "storage"] as const)("%s: config files, cluster id, mgmtd addresses, node id", (service) => {
    const args = serviceArgs(service, { clusterId: "threefs-dev", mgmtdAddresses: DEV_INPUT.mgmtdAddresses });
    expect(args).toContain(`--launcher_cfg=/etc/3fs/${service}_main_launcher.toml`);
    expect(args).toContain(`--cfg=/etc/3fs/${service}_main.toml`);
    expect(args).toContain("--launcher_config.cluster_id=threefs-dev");
    expect(args).toContain("--app_config.node_id=$(NODE_ID)");
    expect(args.some((a) => a.startsWith("--launcher_config.mgmtd_client."))).toBe(service !== "mgmtd");
    expect(Object.keys(renderThreeFsConfigs(DEV_INPUT))).toEqual(expect.arrayContaining([`${service}_main.toml`, `${service}_main_launcher.toml`]));
    checkFlags(args, `${service}_main_launcher.toml`, `${service}_main_app.toml`);
  });

  test("storage args pass the addresses as a TOML array", () => {
    const args = serviceArgs("storage", { clusterId: "c", mgmtdAddresses: ["RDMA://a.b:8000", "RDMA://c.d:8000"] });
    expect(args).toContain('--launcher_config.mgmtd_client.mgmtd_server_addresses=["RDMA://a.b:8000","RDMA://c.d:8000"]');
  });

  test("fuse and admin-cli", () => {
    const args = fuseArgs({ clusterId: "threefs-dev", mgmtdAddresses: DEV_INPUT.mgmtdAddresses });
    expect(args.slice(0, 2)).toEqual(["--launcher_cfg=/etc/3fs/hf3fs_fuse_main_launcher.toml", "--cfg=/etc/3fs/hf3fs_fuse_main.toml"]);
    checkFlags(args, "hf3fs_fuse_main_launcher.toml", "hf3fs_fuse_main_app.toml");
    expect(adminCliArgs()).toEqual(["--cfg=/etc/3fs/admin_cli.toml"]);
  });

  test("bad inputs are refused", () => {
    expect(() => serviceArgs("meta", { clusterId: "c", mgmtdAddresses: [] })).toThrow("mgmtd address");
    expect(() => serviceArgs("meta", { clusterId: "C", mgmtdAddresses: ["RDMA://a:1"] })).toThrow("lowercase");
    expect(() => serviceArgs("meta", { clusterId: "c", mgmtdAddresses: ['RDMA://a":1'] })).toThrow("cannot carry");
  });
});
