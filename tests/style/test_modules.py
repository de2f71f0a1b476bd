#!/usr/bin/env python3
"""tests/style/test_modules.py - lib/'s includes follow docs/architecture.md.

Reads the module table of docs/architecture.md (each module's group) and
its "Who may call whom" table (the groups a group may include), then every
#include "x.h" of lib/*.c and lib/*.h: an include of a group the file's
group may not call fails, and so does a lib/ module no row names (the map
must match the code). A private header NAME_int.h belongs to module NAME
and may be included only by the files of NAME (NAME.c, NAME_*.c).
"""
import glob
import os
import re
import sys

top = os.environ.get("TSAM_SRC") or os.path.join(os.path.dirname(__file__), "..", "..")
doc = open(os.path.join(top, "docs", "architecture.md"), encoding="utf-8").read()

group = {}
cur = None
map_part = doc.split("## lib/", 1)[1].split("\n## ", 1)[0]
for line in map_part.splitlines():
    m = re.match(r"\| ?([a-z]*) ?\| (.*?) \| (.*) \|$", line)
    if not m or line.startswith("|---") or m.group(2).strip() == "module":
        continue
    cur = m.group(1) or cur
    # the module column's names, and the files its description lists
    names = re.findall(r"`([a-z_0-9]+)(?:\.[ch])?`", m.group(2))
    names += re.findall(r"`([a-z_0-9]+)\.c`", m.group(3))
    for mod in names:
        group.setdefault(mod, cur)

allowed = {}
calls = doc.split("## Who may call whom", 1)[1].split("\n## ", 1)[0]
for line in calls.splitlines():
    m = re.match(r"\| ([a-z]+) \| (.*) \|$", line)
    if m and m.group(1) != "group":
        text = re.sub(r"\(.*?\)", "", m.group(2))
        allowed[m.group(1)] = {g.strip() for g in text.split(",") if g.strip()}
if not group or not allowed:
    print("FAIL: docs/architecture.md: no module table or no 'Who may call whom' table")
    sys.exit(1)

def owner(name):
    """The module a file or header name belongs to."""
    if name.endswith("_int"):
        return name[:-4]
    return name

failures = 0
checked = 0
for path in sorted(glob.glob(os.path.join(top, "lib", "*.[ch]"))):
    base = os.path.basename(path)[:-2]
    mod = owner(base)
    g = group.get(mod) or group.get(mod.split("_")[0] if base.endswith("_int") else mod)
    if g is None:
        print(f"FAIL: lib/{os.path.basename(path)}: module '{mod}' is in no row of docs/architecture.md's module table")
        failures += 1
        continue
    text = open(path, encoding="utf-8").read()
    for inc in re.findall(r'^#include "([a-z_0-9]+)\.h"', text, re.M):
        checked += 1
        if inc.endswith("_int"):
            home = inc[:-4]
            if base != home and not base.startswith(home + "_") and base != inc:
                print(f"FAIL: lib/{os.path.basename(path)} includes {inc}.h, private to {home}")
                failures += 1
            continue
        ig = group.get(owner(inc))
        if ig is None:
            print(f"FAIL: lib/{os.path.basename(path)} includes {inc}.h, a module in no row of the table")
            failures += 1
        elif ig != g and ig not in allowed.get(g, set()) and "every group" not in " ".join(allowed.get(g, [])):
            print(f"FAIL: lib/{os.path.basename(path)} ({g}) includes {inc}.h ({ig}): {g} may call {', '.join(sorted(allowed.get(g, [])))}")
            failures += 1
print(f"{checked} includes checked, {failures} failed")
sys.exit(1 if failures else 0)
