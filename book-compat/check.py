"""Runs every pair: the book's Go programs against ours, both ways, and prints one line each.

    PASS|FAIL <sample> <direction> <detail>

then `book-compat: N passed, N failed`. Run through book-compat/run, which installs Go, builds
both sides and passes the folders here. `--only TEXT` runs the pairs whose sample contains TEXT.
The pairs live in pairs/, a module per chapter, registered with harness.pair.
"""

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
import pairs  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rust-bin-dir", required=True)
    parser.add_argument("--go-bin-dir", required=True)
    parser.add_argument("--only", default="", help="run only the samples whose name contains this")
    args = parser.parse_args()

    for module in sorted(m.name for m in pkgutil.iter_modules(pairs.__path__)):
        importlib.import_module(f"pairs.{module}")

    passed = failed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="book-compat-") as work_dir:
        binaries = harness.Binaries(args.rust_bin_dir, args.go_bin_dir, work_dir)
        for sample, direction, function in harness.PAIRS:
            if args.only not in sample:
                continue
            try:
                detail = function(binaries) or ""
            except harness.CheckFailed as failure:
                failed += 1
                print(f"FAIL {sample} {direction} {failure}", flush=True)
            except Exception:  # a bug in the check itself: say where, and go on
                failed += 1
                print(f"FAIL {sample} {direction} {traceback.format_exc()}", flush=True)
            else:
                passed += 1
                print(f"PASS {sample} {direction} {detail}", flush=True)
    print(f"({time.monotonic() - started:.0f} s)")
    print(f"book-compat: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
