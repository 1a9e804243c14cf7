#!/usr/bin/env python3
"""What an analyst would write instead of the service's polars aggregation: pandas reading
the exported `diagnostics.parquet` (each diagnostic's collective scores) and computing, per
quality, n, distinct organisations, mean,
median, quartiles, min and max, and per quality x dimension cell n, organisations and mean.

    python3 bench/pandas_baseline.py DIAGNOSTICS.parquet OUT_DIR     # writes two CSV files
    python3 bench/pandas_baseline.py --compare POLARS_DIR PANDAS_DIR  # same figures to 1e-9?

The CSV files have the columns of `reset-eval bench-aggregate` (before small-cell
suppression, which the compare step applies to both sides alike).
"""
import sys
import time

QUALITIES = ["inclusif", "frugal", "democratique", "protecteur", "innovant", "capacitant", "equitable"]
DIMENSIONS = ["commande", "offre", "usages"]
TOLERANCE = 1e-9


def aggregate(parquet, out_dir):
    import os
    import pandas as pd

    started = time.perf_counter()
    df = pd.read_parquet(parquet)
    qcols = [f"q_{q}" for q in QUALITIES]
    long = df.melt(id_vars=["organisation"], value_vars=qcols, var_name="column", value_name="score")
    long = long.dropna(subset=["score"])
    g = long.groupby("column")["score"]
    quality = pd.DataFrame({
        "organisations": long.groupby("column")["organisation"].nunique(),
        "n": g.count(),
        "mean": g.mean(),
        "median": g.median(),
        "q1": g.quantile(0.25),
        "q3": g.quantile(0.75),
        "min": g.min(),
        "max": g.max(),
    }).reindex(qcols)
    quality.insert(0, "quality", QUALITIES)

    ccols = [f"c_{q}_{d}" for q in QUALITIES for d in DIMENSIONS]
    long = df.melt(id_vars=["organisation"], value_vars=ccols, var_name="column", value_name="score")
    long = long.dropna(subset=["score"])
    g = long.groupby("column")["score"]
    cells = pd.DataFrame({
        "organisations": long.groupby("column")["organisation"].nunique(),
        "n": g.count(),
        "mean": g.mean(),
    }).reindex(ccols)
    cells.insert(0, "quality", [q for q in QUALITIES for _ in DIMENSIONS])
    cells.insert(1, "dimension", DIMENSIONS * len(QUALITIES))

    os.makedirs(out_dir, exist_ok=True)
    quality.to_csv(f"{out_dir}/quality_distribution.csv", index=False, float_format="%.17g")
    cells.to_csv(f"{out_dir}/heatmap.csv", index=False, float_format="%.17g")
    print(f"aggregated {len(df)} diagnostics in {time.perf_counter() - started:.3f} s", file=sys.stderr)


def compare(polars_dir, pandas_dir):
    import csv

    worst = 0.0
    checked = 0
    for name, keys in [("quality_distribution.csv", ["quality"]), ("heatmap.csv", ["quality", "dimension"])]:
        with open(f"{polars_dir}/{name}") as f:
            ours = list(csv.DictReader(f))
        with open(f"{pandas_dir}/{name}") as f:
            theirs = list(csv.DictReader(f))
        if len(ours) != len(theirs):
            sys.exit(f"{name}: {len(ours)} rows against {len(theirs)}")
        for a, b in zip(ours, theirs):
            if [a[k] for k in keys] != [b[k] for k in keys]:
                sys.exit(f"{name}: rows out of step: {a} / {b}")
            suppressed = a.get("suppressed") == "true"
            for field, value in b.items():
                if field in keys or field not in a:
                    continue
                if suppressed:
                    # Withheld by the service: pandas has the figure, the service does not.
                    if a[field] != "":
                        sys.exit(f"{name}: {field} should be withheld in {a}")
                    continue
                x, y = float(a[field]), float(value)
                gap = abs(x - y)
                worst = max(worst, gap)
                checked += 1
                if gap > TOLERANCE:
                    sys.exit(f"{name}: {keys}={[a[k] for k in keys]} {field}: polars {x!r} pandas {y!r}")
    print(f"same figures: {checked} values compared, largest gap {worst:.3g} (tolerance {TOLERANCE:g})")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3:
        aggregate(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
