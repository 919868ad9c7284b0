"""Test driver for lib/monitoring/exporter.py (run by test/monitoring/*.test.ts with python3).

  python3 exporter_driver.py <exporter.py> render <steps.json>   # [{now, outputs: {command: stdout}}] -> [exposition]
  python3 exporter_driver.py <exporter.py> parse <command> < stdout # -> the parse_* result as JSON (or {"error": ...})
"""
import importlib.util
import json
import sys

spec = importlib.util.spec_from_file_location("exporter", sys.argv[1])
exporter = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exporter)

if sys.argv[2] == "render":
    steps = json.load(open(sys.argv[3]))
    clock = {"now": 0.0}
    outputs = {}

    def run(command):
        if command not in outputs:
            raise OSError(f"no output for {command}")
        return outputs[command]

    e = exporter.Exporter(run, clock=lambda: clock["now"])
    pages = []
    for step in steps:
        clock["now"] = step["now"]
        outputs.clear()
        outputs.update(step["outputs"])
        pages.append(e.render())
    print(json.dumps(pages))
else:
    parsers = {"list-chains": exporter.parse_chains, "list-targets": exporter.parse_targets, "list-nodes": exporter.parse_nodes}
    try:
        print(json.dumps(parsers[sys.argv[3]](sys.stdin.read())))
    except (exporter.CliError, exporter.FormatError) as e:
        print(json.dumps({"error": type(e).__name__, "message": str(e)}))
