#!/usr/bin/env python3
"""Writes nadia_saree_house.csv: 300 listings of a Nadia saree house, deterministically.

Rows 1-300 are plausible Tant, Jamdani and Baluchari sarees; five rows are deliberately bad
(see BAD below) so that the import report has something to show. Rerun after editing:
    python3 examples/data/generate_nadia_saree_house.py
"""
import csv, os

COLOURS = ["red", "white", "cream", "indigo", "mustard", "green", "maroon", "peach", "black", "teal"]
BORDERS = ["temple border", "zari border", "contrast border", "ganga-jamuna border", "checked pallu"]
KINDS = [
    # (kind, category, hsn, fabric, weave, base price, gi)
    ("Tant", "textiles/sarees/handloom/tant", "52085210", "cotton", "tant", 1100, ""),
    ("Shantipuri", "textiles/sarees/handloom/shantipuri", "52085210", "cotton", "shantipuri", 1800, "Santipore Saree"),
    ("Jamdani", "textiles/sarees/handloom/jamdani", "52084190", "muslin", "jamdani", 4200, ""),
    ("Baluchari", "textiles/sarees/handloom/baluchari", "50072010", "silk", "baluchari", 9500, "Baluchari Saree"),
    ("Dhaniakhali", "textiles/sarees/handloom/dhaniakhali", "52085210", "cotton", "dhaniakhali", 1300, "Dhaniakhali Saree"),
]
HEADER = ["sku", "title", "description", "category", "hsn", "price", "mrp", "images",
          "attr.fabric", "attr.length_m", "attr.blouse_piece", "attr.gi_tag", "attr.gi_name",
          "attr.weave", "attr.colour"]
# Row number -> how it is broken.
BAD = {
    17: "price above MRP",
    58: "promotional title",
    133: "length out of range",
    201: "duplicate SKU",
    262: "http image",
}

def row(n):
    kind, category, hsn, fabric, weave, base, gi = KINDS[n % len(KINDS)]
    colour = COLOURS[(n * 7) % len(COLOURS)]
    border = BORDERS[(n * 3) % len(BORDERS)]
    price = base + (n * 37) % 900
    mrp = price + 100 + (n * 13) % 400
    length = ["5.5", "6.0", "6.3", "5.8"][n % 4]
    sku = f"NSH-{kind[:3].upper()}-{n:03d}"
    title = f"Handwoven {kind} saree, {colour} with {border}"
    description = f"Woven by the Nadia saree house on a {'jacquard' if kind == 'Baluchari' else 'pit'} loom; {fabric}, {length} m."
    images = "|".join(f"https://img.haat.example/nsh/{n:03d}-{i}.jpg" for i in range(1, 4))
    r = [sku, title, description, category, hsn, str(price), str(mrp), images,
         fabric, length, "yes" if n % 3 else "no", "yes" if gi else "no", gi, weave, colour]
    how = BAD.get(n)
    if how == "price above MRP":
        r[5], r[6] = str(mrp + 50), str(mrp)
    elif how == "promotional title":
        r[1] = f"Best price {kind} saree, 100% original"
    elif how == "length out of range":
        r[9] = "11.5"
    elif how == "duplicate SKU":
        r[0] = f"NSH-{KINDS[1 % len(KINDS)][0][:3].upper()}-001"
    elif how == "http image":
        r[7] = r[7].replace("https://", "http://", 1)
    return r

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nadia_saree_house.csv")
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(HEADER)
    for n in range(1, 301):
        w.writerow(row(n))
