#!/usr/bin/env python3
"""Decodes an 8-bit PNG (RGB, RGBA, grey, grey+alpha; not interlaced) with zlib and struct only, and prints
what a test needs to tell a rendered page from a blank one: the size, the number of distinct colours, and the
share of pixels that are not (near) white.

Usage: png_stats.py FILE.png        prints "width=W height=H colours=C nonwhite=F" (F a fraction, 4 decimals)
"""
import struct
import sys
import zlib


def decode(path):
    """Returns (width, height, rows), rows a list of bytes objects of RGB triples."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    bpp = channels
    # Rows as big integers for the Up filter: bytewise addition mod 256 without carries between bytes (SWAR).
    low7 = int.from_bytes(b"\x7f" * stride, "big")
    high = int.from_bytes(b"\x80" * stride, "big")
    rows, prev = [], bytes(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        cur = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if ftype == 0:
            line = bytes(cur)
        elif ftype == 2:  # Up
            a, b = int.from_bytes(cur, "big"), int.from_bytes(prev, "big")
            line = ((((a & low7) + (b & low7)) ^ ((a ^ b) & high))).to_bytes(stride, "big")
        else:
            line = bytearray(cur)
            if ftype == 1:  # Sub
                for i in range(bpp, stride):
                    line[i] = (line[i] + line[i - bpp]) & 255
            elif ftype == 3:  # Average
                for i in range(stride):
                    left = line[i - bpp] if i >= bpp else 0
                    line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
            elif ftype == 4:  # Paeth
                for i in range(stride):
                    b = prev[i]
                    if i >= bpp:
                        a, c = line[i - bpp], prev[i - bpp]
                    else:
                        a = c = 0
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
            else:
                raise ValueError(f"{path}: bad filter type {ftype} in row {y}")
            line = bytes(line)
        prev = line
        if channels == 3:
            rows.append(line)
        elif channels == 4:  # RGBA to RGB (alpha ignored: a screenshot is opaque)
            rows.append(b"".join(line[x:x + 3] for x in range(0, stride, 4)))
        else:  # grey, grey+alpha
            rows.append(bytes(v for x in range(0, stride, channels) for v in (line[x],) * 3))
    return width, height, rows


def stats(path):
    width, height, rows = decode(path)
    dark = bytes(1 if v < 240 else 0 for v in range(256))  # a channel below 240: the pixel is not white
    colours, nonwhite = set(), 0
    for row in rows:
        colours.update(zip(row[0::3], row[1::3], row[2::3]))
        t = row.translate(dark)
        nonwhite += bin(int.from_bytes(t[0::3], "big") | int.from_bytes(t[1::3], "big") | int.from_bytes(t[2::3], "big")).count("1")
    return width, height, len(colours), nonwhite / float(width * height)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    w, h, c, f = stats(sys.argv[1])
    print(f"width={w} height={h} colours={c} nonwhite={f:.4f}")
