#!/usr/bin/env python3
"""Writes a large DAG: a chain (each task depends on the one before) or a fan-out (root -> N -> join).

    python3 examples/generate_large_dag.py --shape chain --tasks 1000 > /tmp/chain.yaml
    python3 examples/generate_large_dag.py --shape fanout --tasks 1000 --command true > /tmp/fanout.yaml
"""
import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=["chain", "fanout"], default="chain")
    parser.add_argument("--tasks", type=int, default=1000, help="tasks in the chain, or parallel tasks in the fan-out")
    parser.add_argument("--command", default="true", help="the command each task runs (default: true)")
    parser.add_argument("--name", default=None, help="the DAG's name")
    args = parser.parse_args()
    if args.tasks < 1:
        parser.error("--tasks must be at least 1")

    out = sys.stdout
    out.write(f"name: {args.name or f'large_{args.shape}_{args.tasks}'}\ntasks:\n")
    command = json.dumps(args.command)  # a JSON string is a valid YAML double-quoted scalar
    if args.shape == "chain":
        for i in range(args.tasks):
            deps = f", dependencies: [t{i - 1}]" if i > 0 else ""
            out.write(f"  - {{name: t{i}, command: {command}{deps}}}\n")
    else:
        out.write(f"  - {{name: root, command: {command}}}\n")
        for i in range(args.tasks):
            out.write(f"  - {{name: t{i}, command: {command}, dependencies: [root]}}\n")
        deps = ", ".join(f"t{i}" for i in range(args.tasks))
        out.write(f"  - {{name: join, command: {command}, dependencies: [{deps}]}}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
