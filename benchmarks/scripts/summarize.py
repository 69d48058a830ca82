#!/usr/bin/env python3
"""Turns a benchmark run's raw rows into the tables of docs/benchmarks.md and the plot's data.

Usage: summarize.py DIR    (reads DIR/results.tsv, DIR/sizes.tsv, DIR/jmh.json if present;
                            writes DIR/results.md and DIR/extract-time.dat)

Every figure is the median of the repetitions, with the spread as min-max. Ratios are a method's median wall time
over layerfd's in the same run (above 1: slower than layerfd).
"""
import csv
import json
import os
import statistics
import sys

MIB = 1024 * 1024
REFERENCE = {"extract": "layerfd-extract", "export": "layerfd-export"}
# Issue #8's targets, checked against the gig image and the 100,000-file layer.
TARGET_IMAGE = "gig"
MANY_IMAGE = "files100k"
FLOOR_RATIO_MAX = 1.5
SKOPEO_RATIO_MIN = 5.0
DISK_FRACTION_MAX = 0.01
SERVER_RSS_MAX_MIB = 256
PLOTTED = ("layerfd-extract", "cp-reflink", "skopeo-oci-untar")


def load_rows(directory):
    with open(os.path.join(directory, "results.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = {}
    for row in rows:
        groups.setdefault((row["group"], row["image"], row["method"]), []).append(row)
    return groups


def load_sizes(directory):
    with open(os.path.join(directory, "sizes.tsv")) as f:
        return {tag: int(size) for tag, size in csv.reader(f, delimiter="\t")}


def values(rows, key):
    return [float(r[key]) for r in rows if r[key] != "-"]


def spread(xs, fmt="%.2f"):
    """'median (min-max)' or '-' when there is nothing."""
    if not xs:
        return "-"
    if len(xs) == 1:
        return fmt % xs[0]
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(xs), min(xs), max(xs))


def cpu_seconds(rows):
    """Client (and its children) user+sys, plus the server's CPU time for layerfd's own methods."""
    out = []
    for r in rows:
        server = float(r["server_cpu_s"]) if r["server_cpu_s"] != "-" else 0.0
        out.append(float(r["user_s"]) + float(r["sys_s"]) + server)
    return out


def median_wall(groups, key):
    rows = groups.get(key)
    return statistics.median(values(rows, "wall_s")) if rows else None


def table(groups, sizes, group):
    lines = ["| image | size | method | wall s | x layerfd | CPU s (user+sys) | client peak RSS MiB "
             "| server peak RSS MiB | disk consumed MiB | disk % of image |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    images = sorted({img for g, img, _ in groups if g == group}, key=lambda t: sizes.get(t, 0))
    for image in images:
        reference = median_wall(groups, (group, image, REFERENCE[group]))
        for (g, img, method), rows in groups.items():
            if g != group or img != image:
                continue
            wall = median_wall(groups, (g, img, method))
            ratio = "%.2f" % (wall / reference) if reference else "-"
            disk = [kib / 1024 for kib in values(rows, "disk_kib")]
            percent = "%.2f" % (100 * statistics.median(disk) * MIB / sizes[image]) if sizes.get(image) else "-"
            lines.append("| %s | %.0f MiB | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                image, sizes.get(image, 0) / MIB, method, spread(values(rows, "wall_s")), ratio,
                spread(cpu_seconds(rows)), spread([k / 1024 for k in values(rows, "client_rss_kib")], "%.0f"),
                spread([k / 1024 for k in values(rows, "server_rss_kib")], "%.0f"), spread(disk, "%.1f"), percent))
    return "\n".join(lines)


def targets(groups, sizes):
    lines = ["| target (issue #8) | measured | met |", "|---|---|---|"]
    layerfd = median_wall(groups, ("extract", TARGET_IMAGE, "layerfd-extract"))
    floor = median_wall(groups, ("extract", TARGET_IMAGE, "cp-reflink"))
    skopeo = median_wall(groups, ("extract", TARGET_IMAGE, "skopeo-oci-untar"))
    if layerfd and floor and skopeo:
        ratio = layerfd / floor
        lines.append("| extract %s within %.1fx of cp --reflink | %.2fx | %s |"
                     % (TARGET_IMAGE, FLOOR_RATIO_MAX, ratio, "yes" if ratio <= FLOOR_RATIO_MAX else "no"))
        speedup = skopeo / layerfd
        lines.append("| extract %s at least %.0fx faster than skopeo + unpack | %.2fx | %s |"
                     % (TARGET_IMAGE, SKOPEO_RATIO_MIN, speedup, "yes" if speedup >= SKOPEO_RATIO_MIN else "no"))
    rows = groups.get(("extract", TARGET_IMAGE, "layerfd-extract"))
    if rows and sizes.get(TARGET_IMAGE):
        fraction = statistics.median(values(rows, "disk_kib")) * 1024 / sizes[TARGET_IMAGE]
        lines.append("| disk consumed under %.0f%% of the image | %.3f%% | %s |"
                     % (100 * DISK_FRACTION_MAX, 100 * fraction, "yes" if fraction < DISK_FRACTION_MAX else "no"))
    rss = [k / 1024 for k in values(groups.get(("extract", MANY_IMAGE, "layerfd-extract"), []), "server_rss_kib")]
    rss += [k / 1024 for k in values(groups.get(("export", MANY_IMAGE, "layerfd-export"), []), "server_rss_kib")]
    if rss:
        lines.append("| server peak RSS under %d MiB streaming the %s layer | %.0f MiB (max of extract and export) "
                     "| %s |" % (SERVER_RSS_MAX_MIB, MANY_IMAGE, max(rss), "yes" if max(rss) < SERVER_RSS_MAX_MIB
                                 else "no"))
    return "\n".join(lines)


def plot_data(groups, sizes, directory):
    """One line per image: size in MiB, then median, min and max wall time of each plotted method."""
    images = sorted({img for g, img, _ in groups if g == "extract" and img != MANY_IMAGE}, key=lambda t: sizes[t])
    with open(os.path.join(directory, "extract-time.dat"), "w") as f:
        f.write("# size_mib " + " ".join("%s_median %s_min %s_max" % (m, m, m) for m in PLOTTED) + "\n")
        for image in images:
            cells = ["%.1f" % (sizes[image] / MIB)]
            for method in PLOTTED:
                walls = values(groups[("extract", image, method)], "wall_s")
                cells += ["%.3f" % statistics.median(walls), "%.3f" % min(walls), "%.3f" % max(walls)]
            f.write(" ".join(cells) + "\n")


def jmh_table(directory):
    """ProtocolBenchmark's scores: fds benchmarks count one operation per fd (fds/s), the others per request."""
    path = os.path.join(directory, "jmh.json")
    if not os.path.exists(path):
        return "(JMH not run)"
    lines = ["| benchmark | server peer | connections | calling threads | score | error (99.9%) | unit |",
             "|---|---|---|---|---|---|---|"]
    with open(path) as f:
        for result in json.load(f):
            name = result["benchmark"].rsplit(".", 1)[-1]
            threads = result.get("threads", 1)
            metric = result["primaryMetric"]
            unit = ("fds" if name.startswith("fds") else "requests") + "/s"
            lines.append("| %s | %s | %s | %s | %.0f | %.0f | %s |" % (
                name, result.get("params", {}).get("peer", "-"), 1 if "OneConnection" in name else threads,
                threads, metric["score"], metric["scoreError"], unit))
    return "\n".join(lines)


def main():
    directory = sys.argv[1]
    groups = load_rows(directory)
    sizes = load_sizes(directory)
    plot_data(groups, sizes, directory)
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write("<!-- generated by benchmarks/scripts/summarize.py from results.tsv; do not edit -->\n\n")
        f.write("### Materialising the image's root filesystem\n\n" + table(groups, sizes, "extract") + "\n\n")
        f.write("### Exporting the layer tars\n\n" + table(groups, sizes, "export") + "\n\n")
        f.write("### Targets\n\n" + targets(groups, sizes) + "\n\n")
        f.write("### Protocol (JMH)\n\n" + jmh_table(directory) + "\n")


if __name__ == "__main__":
    main()
