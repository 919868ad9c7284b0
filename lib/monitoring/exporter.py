#!/usr/bin/env python3
"""Chain-health exporter for 3FS: runs admin_cli's list-chains, list-targets and list-nodes and serves
the result as Prometheus metrics (text exposition format 0.0.4) on /metrics.

Runs in the 3fs-init image (python3 and admin_cli, deploy/container/Dockerfile "init" stage of
alibabacloud-3FS ab363af). Python 3.10 stdlib only. The parsing is pure (parse_* and render_metrics) and
tested from the repository (test/monitoring/exporter.test.ts) on admin_cli's exact output formats:

- Tables (src/client/cli/common/Printer.cc:4-25): every cell but the last of its row is padded with
  spaces to its column's width, the widest cell (header included) plus 2; the last cell is not padded.
  So each column starts at the same offset in every row, which the header shows. Cells are read by
  those offsets: list-nodes has cells with a space (LastHeartbeatTime `2025-03-21 19:52:58`) and empty
  cells (Hostname of a registered node), so splitting on whitespace would misread them.
- Errors go to stdout as `Encounter error: <code>(<name>)` plus the message on the next lines
  (src/client/cli/common/Dispatcher.cc:41-51); the exit status is 1 for a failed one-shot command.
- list-chains (src/client/cli/admin/ListChains.cc:114-157): `ChainId ReferencedBy ChainVersion Status
  PreferredOrder Target…`, Status SERVING | SERVING(<n>/<m>) | SYNCING | UNAVAILABLE, each Target cell
  `<targetId>(<PublicState>-<LocalState>)`.
- list-targets (src/client/cli/admin/ListTargets.cc:74-94): `TargetId ChainId Role PublicState LocalState
  NodeId DiskIndex UsedSize`, NodeId/DiskIndex `N/A` when unknown.
- list-nodes (src/client/cli/admin/ListNodes.cc:19-87): `Id Type Status Hostname Pid Tags
  LastHeartbeatTime ConfigVersion ReleaseVersion`.
"""
import argparse
import http.server
import re
import subprocess
import sys
import threading
import time

PUBLIC_STATES = ("SERVING", "LASTSRV", "SYNCING", "WAITING", "OFFLINE")
LOCAL_STATES = ("UPTODATE", "ONLINE", "OFFLINE")
NODE_STATUSES = ("PRIMARY_MGMTD", "HEARTBEAT_CONNECTED", "HEARTBEAT_CONNECTING", "HEARTBEAT_FAILED", "DISABLED")
CHAIN_CLASSES = ("SERVING", "DEGRADED", "SYNCING", "UNAVAILABLE")
ERROR_RE = re.compile(r"^Encounter error: (\d+)\(([^)]*)\)")
TARGET_CELL_RE = re.compile(r"^(\d+)\(([A-Z]+)-([A-Z]+)\)$")
CHAIN_STATUS_RE = re.compile(r"^(SERVING|SYNCING|UNAVAILABLE)(?:\((\d+)/(\d+)\))?$")


class CliError(Exception):
    """admin_cli printed an error block instead of a table."""

    def __init__(self, code, name, message):
        super().__init__(f"{code}({name}) {message}".strip())
        self.code = code
        self.name = name


class FormatError(Exception):
    """The output is not the table the command prints."""


def check_error(text):
    """Raises CliError if the output is admin_cli's error block."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = ERROR_RE.match(line)
        if m:
            raise CliError(int(m.group(1)), m.group(2), "\n".join(lines[i + 1:]).strip())


def parse_table(text, header_first):
    """Rows of an admin_cli table as lists of cells, read by the header's column offsets.

    header_first is the first header cell (every list command prints a header row first)."""
    check_error(text)
    lines = [line for line in text.splitlines() if line.strip() != ""]
    start = next((i for i, line in enumerate(lines) if line.split()[:1] == [header_first]), None)
    if start is None:
        raise FormatError(f"no header row starting with {header_first}")
    header_line = lines[start]
    spans = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", header_line)]
    header = [name for _, name in spans]
    offsets = [pos for pos, _ in spans]
    rows = []
    for line in lines[start + 1:]:
        cells = []
        for i, pos in enumerate(offsets):
            if pos >= len(line):
                break
            end = offsets[i + 1] if i + 1 < len(offsets) else len(line)
            cells.append(line[pos:end].strip())
            # A padded cell ends with at least two spaces, so a column never starts inside a word.
            if i > 0 and line[pos - 2:pos] != "  ":
                raise FormatError(f"row does not line up with the header: {line!r}")
        rows.append(cells)
    return header, rows


def _expect(header, names):
    if header[: len(names)] != list(names):
        raise FormatError(f"unexpected header {header}, expected {list(names)}")


def parse_chains(text):
    """list-chains → [{chain_id, version, status, class, serving, total, targets: [(tid, ps, ls)]}]."""
    header, rows = parse_table(text, "ChainId")
    _expect(header, ("ChainId", "ReferencedBy", "ChainVersion", "Status", "PreferredOrder"))
    chains = []
    for cells in rows:
        if len(cells) < 5:
            raise FormatError(f"chain row with {len(cells)} cells")
        m = CHAIN_STATUS_RE.match(cells[3])
        if not m:
            raise FormatError(f"unknown chain status {cells[3]!r}")
        targets = []
        for cell in cells[5:]:
            t = TARGET_CELL_RE.match(cell)
            if not t or t.group(2) not in PUBLIC_STATES or t.group(3) not in LOCAL_STATES:
                raise FormatError(f"unexpected target cell {cell!r}")
            targets.append((t.group(1), t.group(2), t.group(3)))
        serving = sum(1 for _, ps, _ in targets if ps == "SERVING")
        status = m.group(1)
        klass = "SYNCING" if status == "SYNCING" else "UNAVAILABLE" if status == "UNAVAILABLE" else "DEGRADED" if m.group(2) else "SERVING"
        chains.append({"chain_id": cells[0], "version": int(cells[2]), "status": cells[3], "class": klass, "serving": serving, "total": len(targets), "targets": targets})
    return chains


def parse_targets(text):
    """list-targets → [{target_id, chain_id, role, public_state, local_state, node_id, disk_index, used_bytes}]."""
    header, rows = parse_table(text, "TargetId")
    _expect(header, ("TargetId", "ChainId", "Role", "PublicState", "LocalState", "NodeId", "DiskIndex", "UsedSize"))
    out = []
    for cells in rows:
        if len(cells) != 8:
            raise FormatError(f"target row with {len(cells)} cells")
        if cells[3] not in PUBLIC_STATES or cells[4] not in LOCAL_STATES:
            raise FormatError(f"unexpected target states {cells[3]}/{cells[4]}")
        out.append({
            "target_id": cells[0], "chain_id": cells[1], "role": cells[2], "public_state": cells[3], "local_state": cells[4],
            "node_id": cells[5], "disk_index": cells[6], "used_bytes": int(cells[7]),
        })
    return out


def parse_nodes(text):
    """list-nodes → [{node_id, type, status, hostname}]."""
    header, rows = parse_table(text, "Id")
    _expect(header, ("Id", "Type", "Status", "Hostname", "Pid", "Tags", "LastHeartbeatTime", "ConfigVersion", "ReleaseVersion"))
    out = []
    for cells in rows:
        if len(cells) < 3 or cells[2] not in NODE_STATUSES:
            raise FormatError(f"unexpected node row {cells}")
        out.append({"node_id": cells[0], "type": cells[1], "status": cells[2], "hostname": cells[3] if len(cells) > 3 else ""})
    return out


def _labels(**kv):
    def esc(v):
        return str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return "{" + ",".join(f'{k}="{esc(v)}"' for k, v in kv.items()) + "}" if kv else ""


class Exporter:
    """Runs the commands, keeps when each target was first seen SYNCING, renders the metrics."""

    COMMANDS = (("list-chains", parse_chains), ("list-targets", parse_targets), ("list-nodes", parse_nodes))

    def __init__(self, run, clock=time.time):
        self.run = run  # command -> stdout text (raises CliError/OSError)
        self.clock = clock
        self.syncing_since = {}

    def collect(self):
        results, errors = {}, {}
        for command, parse in self.COMMANDS:
            try:
                results[command] = parse(self.run(command))
            except CliError as e:
                errors[command] = f"{e.code}"
            except (FormatError, OSError, subprocess.SubprocessError, ValueError) as e:
                errors[command] = "format" if isinstance(e, (FormatError, ValueError)) else "exec"
        return results, errors

    def render(self):
        now = self.clock()
        results, errors = self.collect()
        out = []

        def metric(name, help_text, kind, samples):
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")
            for labels, value in samples:
                out.append(f"{name}{_labels(**labels)} {value}")

        metric("threefs_exporter_command_success", "1 if the admin_cli command's last run printed its table.", "gauge",
               [({"command": c}, 0 if c in errors else 1) for c, _ in self.COMMANDS])
        metric("threefs_exporter_command_error", "admin_cli error code (or format/exec) of a failed command.", "gauge",
               [({"command": c, "code": code}, 1) for c, code in sorted(errors.items())])
        chains = results.get("list-chains")
        if chains is not None:
            metric("threefs_chains", "Chains by status class (SERVING, DEGRADED = SERVING(n/m), SYNCING, UNAVAILABLE).", "gauge",
                   [({"status": k}, sum(1 for c in chains if c["class"] == k)) for k in CHAIN_CLASSES])
            metric("threefs_chain_serving_targets", "SERVING targets of a chain (0: the chain serves no I/O).", "gauge",
                   [({"chain_id": c["chain_id"]}, c["serving"]) for c in chains])
            metric("threefs_chain_targets", "Targets of a chain.", "gauge", [({"chain_id": c["chain_id"]}, c["total"]) for c in chains])
        targets = results.get("list-targets")
        if targets is not None:
            counts = {}
            for t in targets:
                counts[(t["public_state"], t["local_state"])] = counts.get((t["public_state"], t["local_state"]), 0) + 1
            metric("threefs_targets", "Chain targets by public and local state.", "gauge",
                   [({"public_state": ps, "local_state": ls}, counts.get((ps, ls), 0)) for ps in PUBLIC_STATES for ls in LOCAL_STATES])
            syncing = {t["target_id"]: t for t in targets if t["public_state"] == "SYNCING"}
            for tid in list(self.syncing_since):
                if tid not in syncing:
                    del self.syncing_since[tid]
            for tid in syncing:
                self.syncing_since.setdefault(tid, now)
            metric("threefs_target_syncing_seconds", "Seconds a target has been SYNCING, as seen by this exporter.", "gauge",
                   [({"target_id": tid, "chain_id": t["chain_id"], "node_id": t["node_id"]}, int(now - self.syncing_since[tid])) for tid, t in sorted(syncing.items())])
            metric("threefs_target_used_bytes", "Bytes used by a target (last reported).", "gauge",
                   [({"target_id": t["target_id"], "node_id": t["node_id"]}, t["used_bytes"]) for t in targets])
        nodes = results.get("list-nodes")
        if nodes is not None:
            metric("threefs_nodes", "3FS server nodes by type and status.", "gauge",
                   [({"type": ty, "status": st}, sum(1 for n in nodes if n["type"] == ty and n["status"] == st))
                    for ty in sorted({n["type"] for n in nodes}) for st in NODE_STATUSES])
            metric("threefs_node_status", "1 for each node's current status.", "gauge",
                   [({"node_id": n["node_id"], "type": n["type"], "status": n["status"]}, 1) for n in nodes])
        return "\n".join(out) + "\n"


def admin_cli_runner(binary, config, timeout):
    def run(command):
        # The command is one argument: admin_cli joins argv and gflags would reject its options otherwise.
        proc = subprocess.run([binary, f"--cfg={config}", command], capture_output=True, text=True, timeout=timeout)
        return proc.stdout

    return run


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--admin-cli", default="/usr/local/bin/admin_cli")
    p.add_argument("--config", default="/etc/3fs/admin_cli.toml")
    p.add_argument("--host", default="", help="address to listen on (default all)")
    p.add_argument("--port", type=int, default=9700, help="port to listen on (0: any free port)")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--min-interval", type=float, default=10, help="seconds between admin_cli runs (scrapes in between get the cached page)")
    p.add_argument("--once", action="store_true", help="print the metrics once and exit")
    args = p.parse_args(argv)
    exporter = Exporter(admin_cli_runner(args.admin_cli, args.config, args.timeout))
    if args.once:
        sys.stdout.write(exporter.render())
        return 0
    lock = threading.Lock()
    cache = {"at": 0.0, "page": ""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path not in ("/metrics", "/healthz"):
                self.send_error(404)
                return
            if self.path == "/healthz":
                body = b"ok\n"
            else:
                with lock:
                    if time.time() - cache["at"] >= args.min_interval:
                        cache["page"], cache["at"] = exporter.render(), time.time()
                    body = cache["page"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):  # quiet: one line per scrape would flood the log
            pass

    server = http.server.ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"listening on {server.server_address[0]}:{server.server_address[1]}", file=sys.stderr, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
