#!/usr/bin/env python3
"""Checks what a terminal received from healcap (a `script` typescript) for the progress line.

Usage: check_progress_log.py LOG shown LABEL NEXT   the log opens with progress lines of LABEL ("healcap scan"),
                                                     at least one with every field, then the line is erased
                                                     ("\\r\\033[K") and NEXT (the command's own text) follows,
                                                     with no progress line or escape code after it
       check_progress_log.py LOG none                no progress line and no escape code at all
Prints one line saying what is wrong and exits 1, else exits 0.
"""
import re
import sys

ERASE = b"\r\x1b[K"
DRAW = re.compile(rb"\r([^\r\n\x1b]*)\x1b\[K")  # one progress line as drawn: \r, the text, erase to its end
SIZE = r"[0-9.]+ (?:B|KiB|MiB|GiB|TiB)"
FIELDS = re.compile(
    r"^(?P<label>healcap [a-z]+): (?:\d+/\d+ (?:files|partials), )?[0-9.]+(?: [kMGT])? records?, "
    r"(?:" + SIZE + " of " + SIZE + r" \(\d+%\), " + SIZE + r"/s, ETA \d+:\d\d(?::\d\d)?"
    r"|" + SIZE + " read, " + SIZE + "/s"
    r"|\d+/\d+ region queries \(\d+%\), [0-9.]+ queries/s, ETA \d+:\d\d(?::\d\d)?)$")


def main():
    data = open(sys.argv[1], "rb").read()
    mode = sys.argv[2]
    if mode == "none":
        if b"\x1b" in data or b"\rhealcap" in data:
            sys.exit("a progress line or an escape code reached the terminal: %r" % data[:200])
        return
    label, after = sys.argv[3], sys.argv[4].encode()
    pos, lines = 0, []
    while True:
        m = DRAW.match(data, pos)
        if not m or m.group(0) == ERASE:
            break
        lines.append(m.group(1).decode())
        pos = m.end()
    if not lines:
        sys.exit("no progress line at the start of the log: %r" % data[:200])
    for line in lines:
        if not line.startswith(label + ": "):
            sys.exit("a progress line of another command, or text drawn into one: %r" % line)
    full = [line for line in lines if FIELDS.match(line)]
    if not full:
        sys.exit("no progress line has every field (records, bytes or queries of the total, rate, ETA): %r" % lines)
    rest = data[pos:]
    if not rest.startswith(ERASE + after):
        sys.exit("the progress line is not erased before %r: %r" % (after, rest[:200]))
    tail = rest[len(ERASE):]
    if b"\x1b" in tail or b"\rhealcap" in tail.replace(b"\r\n", b"\n"):
        sys.exit("a progress line or escape code after the command's own text: %r" % tail[:300])
    print("%d progress lines, e.g. %r" % (len(lines), full[-1]))


main()
