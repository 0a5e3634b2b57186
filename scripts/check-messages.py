#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check that every error message yibao writes is Chinese first.

Every yb_err_set(e, code, field, fmt, ...) in src/ must have a format that
begins with Chinese: before its first CJK character there may be only
punctuation, digits and numeric conversions (%d, %zu, ...), never an ASCII
letter or a %s or %c, whose text could start with one (the English gist
follows, in brackets). An err_msg reaches a clerk or a hospital system,
and one that reads as English first is a defect. A format that is only
"%s" (passing on a message built elsewhere) is allowed. Prints each
offender as file:line: format and exits 1 if there is any. A call whose
first argument pieces are Chinese by construction says so in a comment
"Chinese first:" in the three lines above it.

    scripts/check-messages.py [SRC_DIR]
"""
import os
import re
import sys

CONV = re.compile(r"%[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t|L)?"
                  r"[diouxXeEfgGcspn%]|%\"\s*PRI\w+\s*\"")
LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def args_of(text, start):
    """The top-level arguments of the call whose '(' is at start."""
    depth, i, cur, out = 0, start, [], []
    while i < len(text):
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
            if depth > 1:
                cur.append(c)
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                out.append("".join(cur))
                return out
            cur.append(c)
        elif c == "," and depth == 1:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    return out


NUMERIC = re.compile(r"%[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t)?"
                     r"[diu]|%%|%\"\s*PRI[diu]\w*\s*\"")


def chinese_first(fmt):
    if fmt.strip() == "%s":
        return True  # a message built elsewhere, passed on
    body = NUMERIC.sub("0", fmt)
    for ch in body:
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            return True
        if ch == "%" or (ch.isascii() and ch.isalpha()):
            return False
    return False


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "src"
    bad = 0
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(d, f)
            text = open(path, encoding="utf-8").read()
            for m in re.finditer(r"\byb_err_set\s*\(", text):
                args = args_of(text, m.end() - 1)
                if len(args) < 4:
                    continue
                fmt_arg = args[3].strip()
                lits = LIT.findall(fmt_arg)
                if not lits:
                    continue  # a format chosen at run time
                fmt = "".join(lits)
                above = text[:m.start()].split("\n")[-4:]
                if any("Chinese first:" in l for l in above):
                    continue
                if not chinese_first(fmt):
                    line = text.count("\n", 0, m.start()) + 1
                    print(f"{path}:{line}: {fmt}")
                    bad += 1
    if bad:
        print(f"{bad} error message(s) not Chinese first", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
