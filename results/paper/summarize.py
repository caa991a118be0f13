#!/usr/bin/env python3
"""Print the numbers results/paper/README.md cites, from the committed CSVs of one run folder.

    python3 results/paper/summarize.py results/paper/gaussian-mixture-outliers

Per (sweep, split, operator): the runner's outlier count (OutlierDetection rule, summary.csv),
the bulk edge, and a second, simpler count for comparison: the index j in 1..m-1 that maximises
the ratio l_j / l_(j+1) of consecutive top eigenvalues (largest relative eigengap; Lanczos top-k,
else exact). Also trace, negative mass, tail exponent, bulk_w1_to_H, and the class-structure
Gram spectra against the top eigenvalues of the Hessian. exact_negative_fraction_floor1e-5 recounts
the negative exact eigenvalues below -1e-5 * max|eigenvalue| (the runner's floor since commit 6a9d40a;
runs made before it used 1e-10, which counts float32 rounding of zero eigenvalues as negative).
"""
import csv
import gzip
import sys
from collections import defaultdict
from pathlib import Path


def rows(path):
    if not path.exists() and Path(str(path) + ".gz").exists():
        with gzip.open(str(path) + ".gz", "rt", newline="") as f:
            return list(csv.DictReader(f))
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sweep_key(s):
    try:
        return (0, float(s))
    except ValueError:
        return (1, s)


def main(folder):
    folder = Path(folder)
    summ = defaultdict(dict)
    for r in rows(folder / "summary.csv"):
        summ[(r["sweep"], r["split"], r["operator"])][r["quantity"]] = float(r["value"])
    top = defaultdict(lambda: defaultdict(list))
    for r in rows(folder / "eigenvalues.csv"):
        top[(r["sweep"], r["split"], r["operator"])][r["method"]].append((int(r["rank"]), float(r["eigenvalue"])))
    gram = defaultdict(lambda: defaultdict(list))
    cs = folder / "class_structure.csv"
    if cs.exists() or Path(str(cs) + ".gz").exists():
        for r in rows(cs):
            gram[(r["sweep"], r["split"])][r["level"]].append((int(r["rank"]), float(r["eigenvalue"])))
    keys = sorted({k for k in summ if k[2] in ("hessian", "G", "H")}, key=lambda k: (sweep_key(k[0]), k[1], ["hessian", "G", "H"].index(k[2])))
    print("sweep,split,operator,outlier_count(rule),eigengap_count,bulk_edge,top1,top_C,top_C+1,trace,negative_mass,"
          "exact_negative_fraction,exact_negative_fraction_floor1e-5,tail_exponent,tail_ci,bulk_w1_to_H,class_means_gram_max_rel_diff")
    for k in keys:
        s = summ[k]
        t = top[k].get("lanczos") or top[k].get("exact") or []
        l = [v for _, v in sorted(t)][:60]
        gap = ""
        if len(l) > 2:
            ratios = [(l[j] / l[j + 1], j + 1) for j in range(len(l) - 1) if l[j + 1] > 0]
            gap = max(ratios)[1] if ratios else ""
        c = int(s.get("class_count", 0)) or None
        def f(q, fmt="{:.4g}"):
            return fmt.format(s[q]) if q in s else ""
        ncls = len(gram[(k[0], k[1])].get("class_means", [])) or 10
        topc = "{:.4g}".format(l[ncls - 1]) if len(l) >= ncls else ""
        topc1 = "{:.4g}".format(l[ncls]) if len(l) > ncls else ""
        ci = "[{:.2f}, {:.2f}]".format(s["tail_exponent_ci_low"], s["tail_exponent_ci_high"]) if "tail_exponent_ci_low" in s else ""
        ex = [v for _, v in top[k].get("exact", [])]
        negx = ""
        if ex:
            m = max(abs(v) for v in ex)
            negx = "{:.3f}".format(sum(v < -1e-5 * m for v in ex) / len(ex))
        rel = next((v for q, v in s.items() if q.startswith("class_means_gram_max_rel_diff")), None)
        print(",".join(str(x) for x in [k[0], k[1], k[2], f("outlier_count", "{:.0f}"), gap, f("bulk_edge"), "{:.4g}".format(l[0]) if l else "",
                                        topc, topc1, f("trace"), f("negative_mass", "{:.3f}"), f("exact_negative_fraction", "{:.3f}"), negx,
                                        f("tail_exponent", "{:.2f}"), ci, f("bulk_w1_to_H"), "" if rel is None else "{:.3f}".format(rel)]))
    print()
    print("sweep,split,level,top eigenvalues of the Gram matrix (first 12)")
    for (sw, sp), levels in sorted(gram.items(), key=lambda kv: (sweep_key(kv[0][0]), kv[0][1])):
        for level in ("class_means", "cross_class", "means", "within"):
            v = [x for _, x in sorted(levels.get(level, []))][:12]
            print(f"{sw},{sp},{level}," + " ".join("{:.3g}".format(x) for x in v))
    bulk_attribution(folder, summ, top)


def bulk_attribution(folder, summ, top):
    """Where the Hessian's bulk lies relative to the spectrum of H: the SLQ mass of the Hessian (and of G)
    between H's largest eigenvalue and the Hessian's bulk edge, and the smallest eigenvalues of Hessian and H."""
    ritz = defaultdict(list)
    for r in rows(folder / "ritz.csv"):
        ritz[(r["sweep"], r["split"], r["operator"])].append((int(r["run"]), float(r["node"]), float(r["weight"])))
    print()
    print("sweep,split,H_top,hessian_bulk_edge,hessian_mass_in(H_top;edge],G_mass_in(H_top;edge],hessian_lower_bound,H_lower_bound")
    for (sw, sp, op) in sorted(ritz, key=lambda k: (sweep_key(k[0]), k[1])):
        if op != "hessian" or (sw, sp, "H") not in summ:
            continue
        htop = summ[(sw, sp, "H")].get("top_eigenvalue", float("nan"))
        edge = summ[(sw, sp, "hessian")].get("bulk_edge", float("nan"))
        def mass(o):
            rr = ritz.get((sw, sp, o), [])
            runs = len({r for r, _, _ in rr}) or 1
            return sum(w for _, x, w in rr if htop < x <= edge) / runs
        print(f"{sw},{sp},{htop:.4g},{edge:.4g},{mass('hessian'):.4f},{mass('G'):.4f},"
              f"{summ[(sw, sp, 'hessian')].get('spectrum_lower_bound', float('nan')):.4g},{summ[(sw, sp, 'H')].get('spectrum_lower_bound', float('nan')):.4g}")


if __name__ == "__main__":
    main(sys.argv[1])
