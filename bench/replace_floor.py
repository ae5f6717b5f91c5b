#!/usr/bin/env python3
"""The floor under `dossier check --fix` on a file system: every note of a
folder replaced atomically as `--fix` replaces one (its text written to a
temporary file beside it, then renamed over it), and nothing else: no
parsing, no checking, one thread. What this costs on a disk, `--fix` pays on
top of a plain check whatever it does. See bench/README.md.

    python3 bench/replace_floor.py FOLDER
"""
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    count = 0
    for folder, _, files in os.walk(sys.argv[1]):
        for name in files:
            if not name.endswith(".md"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                text = f.read()
            temp = os.path.join(folder, f".{name}.floor.tmp")
            with open(temp, "wb") as f:
                f.write(text)
            os.chmod(temp, os.stat(path).st_mode & 0o7777)
            os.rename(temp, path)
            count += 1
    print(f"{count} notes replaced", file=sys.stderr)


if __name__ == "__main__":
    main()
