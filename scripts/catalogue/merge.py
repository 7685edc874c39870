#!/usr/bin/env python3
"""Merges the per-release output of FlinkOptionCatalogue.java into src/flink/catalogue/options.tsv.

    merge.py OUT LINE=RELEASE=RAW_FILE ...     (release lines oldest first, e.g. 1.15=1.15.4=target/.../1.15.4.tsv)

One row per key over all releases; see HEADER for the format. A summary of what changed between releases (types,
defaults, removals) goes to stderr. The output depends only on the inputs: no dates, no paths, stable order.
"""

import sys

HEADER = r"""# Flink configuration options of every release line flinktune knows, read from the jars of the releases below by
# scripts/catalogue/generate.sh (scripts/catalogue/FlinkOptionCatalogue.java). Generated: do not edit; regenerate.
# releases: {releases}
# Row: KEY<TAB>SINCE<TAB>UNTIL<TAB>ENTRY<TAB>ENTRY...  (sorted by key; lines starting with # are comments)
#   SINCE: the first line with the key; UNTIL: the last line with it, empty when the newest line has it.
#   ENTRY: LINE:- (the key is absent from LINE on) or LINE:TYPE|DEFAULT|FALLBACKS|FLAGS|CLASS, the option as of LINE
#   and for the following lines up to the next ENTRY. Only lines where something changed have an ENTRY.
#   TYPE: Boolean Integer Long Float Double String Duration MemorySize Map, enum:NAME(CONSTANT,...), List<TYPE>, or
#     the simple name of another Java class.
#   DEFAULT: empty when the option has no default, else = followed by the default as Flink writes it (so "=" alone is
#     an empty string); durations in their highest exact unit, lists joined by ; and maps as k:v,k:v.
#   FALLBACKS: keys Flink also reads for this option, in its order, comma-separated; ! before a deprecated one.
#   FLAGS: comma-separated: deprecated (the Java field is @Deprecated), map-prefix (a Map option that Flink also reads
#     from KEY.<name> entries), pattern (KEY holds a <placeholder> for one or more key segments), internal (left out
#     of Flink's documentation).
#   CLASS: the simple name of the Java class that declares the option.
#   In DEFAULT and CLASS a backslash escapes: \\ is a backslash, \| a |, \t a tab, \n a newline, \r a carriage return.
# Left out: options of connectors, formats, catalogs, modules and SQL hints, which are not configuration keys.
"""


def split_fields(entry):
    """Splits one raw entry on unescaped |, keeping escapes."""
    fields, current, escaped = [], [], False
    for ch in entry:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == "|":
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields


def rank(row):
    """Which of several options with one key in one release the catalogue keeps: a field that is not @Deprecated,
    then one in org.apache.flink.configuration, then the first by class name and text."""
    flags = row["flags"].split(",")
    return (
        "deprecated" in flags,
        not row["qualified"].startswith("org.apache.flink.configuration."),
        row["qualified"],
        row["entry"],
    )


def read_release(path):
    by_key = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if not raw:
                continue
            key, cls, typ, default, fallbacks, flags, _jar, qualified = raw.split("\t")
            flags = ",".join(f for f in flags.split(",") if f and not f.startswith("suffix:"))
            entry = "|".join([typ, default, fallbacks, flags, cls])
            row = {"entry": entry, "flags": flags, "qualified": qualified}
            by_key.setdefault(key, []).append(row)
    return {key: min(rows, key=rank)["entry"] for key, rows in by_key.items()}


def main():
    out_path, specs = sys.argv[1], sys.argv[2:]
    lines, releases, tables = [], [], []
    for spec in specs:
        line, release, path = spec.split("=", 2)
        lines.append(line)
        releases.append(release)
        tables.append(read_release(path))

    keys = sorted(set().union(*tables))
    rows = []
    changes = []
    for key in keys:
        entries, previous = [], None
        present = [i for i, table in enumerate(tables) if key in table]
        for i, table in enumerate(tables):
            current = table.get(key)
            if current == previous:
                continue
            if current is None:
                entries.append(f"{lines[i]}:-")
            else:
                entries.append(f"{lines[i]}:{current}")
                if previous is not None:
                    old, new = split_fields(previous), split_fields(current)
                    for name, a, b in zip(("type", "default", "fallbacks", "flags", "class"), old, new):
                        if a != b:
                            changes.append(f"{lines[i]}\t{name}\t{key}\t{a}\t->\t{b}")
            previous = current
        since = lines[present[0]]
        until = "" if present[-1] == len(tables) - 1 else lines[present[-1]]
        rows.append("\t".join([key, since, until] + entries))

    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER.format(releases=" ".join(releases)))
        for row in rows:
            out.write(row + "\n")

    for change in sorted(changes, key=lambda c: (c.split("\t")[1], c)):
        print(change, file=sys.stderr)
    for line, table in zip(lines, tables):
        print(f"keys\t{line}\t{len(table)}", file=sys.stderr)


if __name__ == "__main__":
    main()
