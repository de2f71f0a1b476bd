#!/usr/bin/python3
"""tests/cli/pdfcheck.py PDF - what tests/cli/test_pdf.sh asserts about a
PDF's structure, as one JSON object on stdout, read through qpdf's JSON
(qpdf --json=2 with decoded stream data): the PDF version, the catalog's
/Lang, the document information strings, and for each Type0 font its
name, whether its ToUnicode CMap uses bfrange/bfchar only (never a CID
range), how many code points it maps, and its embedded TrueType file:
size, tables, glyph count, post format, cmap size, checksum."""
import base64
import json
import struct
import subprocess
import sys


def obj(objs, ref):
    return objs.get("obj:" + ref, {})


def font_facts(data):
    """The table directory of a TrueType file and a few of its fields."""
    n = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin1")] = (off, ln)
    total = 0
    padded = data + b"\0" * (-len(data) % 4)
    for i in range(0, len(padded), 4):
        total = (total + struct.unpack(">I", padded[i:i + 4])[0]) & 0xFFFFFFFF
    maxp = tables.get("maxp")
    post = tables.get("post")
    return {
        "bytes": len(data),
        "tables": sorted(tables),
        "glyphs": struct.unpack(">H", data[maxp[0] + 4:maxp[0] + 6])[0] if maxp else None,
        "post_format": hex(struct.unpack(">I", data[post[0]:post[0] + 4])[0]) if post else None,
        "cmap_bytes": tables.get("cmap", (0, 0))[1],
        "checksum_ok": total == 0xB1B0AFBA,
    }


def tounicode_cids(tu):
    """How many CIDs a ToUnicode CMap maps (bfrange lines count their
    range)."""
    n = 0
    for line in tu.splitlines():
        parts = line.split()
        if len(parts) == 3 and all(p.startswith("<") for p in parts):
            n += int(parts[1][1:-1], 16) - int(parts[0][1:-1], 16) + 1
        elif len(parts) == 2 and all(p.startswith("<") for p in parts) and line != "<0000> <FFFF>":
            n += 1
    return n


def main():
    out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                          "--decode-level=generalized", sys.argv[1]],
                         check=True, capture_output=True).stdout
    doc = json.loads(out)
    objs = doc["qpdf"][1]
    trailer = objs["trailer"]["value"]
    root = obj(objs, trailer["/Root"]).get("value", {})
    info = obj(objs, trailer["/Info"]).get("value", {})
    facts = {
        "version": doc["qpdf"][0]["pdfversion"],
        "lang": root.get("/Lang"),
        "info": {k: v for k, v in info.items() if isinstance(v, str) and v.startswith("u:")},
        "fonts": [],
    }
    for o in objs.values():
        v = o.get("value")
        if not isinstance(v, dict) or v.get("/Subtype") != "/Type0":
            continue
        tu = base64.b64decode(obj(objs, v["/ToUnicode"])["stream"]["data"]).decode("latin1")
        cid = obj(objs, v["/DescendantFonts"][0])["value"]
        desc = obj(objs, cid["/FontDescriptor"])["value"]
        ff = base64.b64decode(obj(objs, desc["/FontFile2"])["stream"]["data"])
        facts["fonts"].append({
            "name": v["/BaseFont"],
            "tounicode_bf_only": "cidrange" not in tu and ("beginbfrange" in tu or "beginbfchar" in tu),
            "tounicode_cids": tounicode_cids(tu),
            "w_bytes": len(json.dumps(cid.get("/W", []))),
            "file": font_facts(ff),
        })
    json.dump(facts, sys.stdout, ensure_ascii=False)
    print()


main()
