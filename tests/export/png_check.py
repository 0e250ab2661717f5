"""Checks that a PNG screenshot is not blank (standard library only).

Decodes 8-bit RGB/RGBA (colour types 2 and 6, non-interlaced, as Chromium writes them), undoes
the per-row filters, and requires at least MIN_NON_WHITE_FRACTION of pixels that are not
near-white, at least MIN_COLOURS distinct colours and at least MIN_BOX_PIXELS pixels of the
verification box's background (#e3f4e1 in statement.html's CSS): a blank page, an error page or
a page without its inline stylesheet fails. An optional second argument names another box
colour as six hex digits (reconciliation.html's verdict box, say).
"""
import struct
import sys
import zlib

MIN_NON_WHITE_FRACTION = 0.05
BOX_COLOUR = (0xE3, 0xF4, 0xE1)
MIN_BOX_PIXELS = 10000
MIN_COLOURS = 8
NEAR_WHITE = 240


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"FAIL: {path} is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            if depth != 8 or colour not in (2, 6) or interlace != 0:
                sys.exit(f"FAIL: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
            bpp = 3 if colour == 2 else 4
        elif ctype == b"IDAT":
            idat += chunk
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main():
    width, height, bpp, rows = decode(sys.argv[1])
    box_colour = tuple(bytes.fromhex(sys.argv[2])) if len(sys.argv) > 2 else BOX_COLOUR
    colours, non_white, box = set(), 0, 0
    for line in rows:
        for x in range(0, len(line), bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]
            colours.add((r, g, b))
            if (r, g, b) == box_colour:
                box += 1
            if min(r, g, b) < NEAR_WHITE:
                non_white += 1
    fraction = non_white / (width * height)
    print(f"{width}x{height}: {len(colours)} colours, {fraction:.1%} non-white pixels, {box} verification-box pixels")
    if len(colours) < MIN_COLOURS or fraction < MIN_NON_WHITE_FRACTION:
        sys.exit("FAIL: the screenshot looks blank")
    if box < MIN_BOX_PIXELS:
        sys.exit("FAIL: the verification box is missing (the inline CSS did not apply?)")


if __name__ == "__main__":
    main()
