#!/usr/bin/env python3
"""Turns DIR/results.csv (written by bench.sh) into DIR/results.md and DIR/time-vs-n.png."""
import csv
import os
import platform
import subprocess
import sys


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"Linux {platform.release()}, {os.cpu_count()} CPUs ({cpu})"


def load(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            rows[(r["shape"], int(r["n"]), r["variant"], r["phase"])] = r
    return rows


def table(rows):
    keys = sorted({(s, n) for s, n, _, _ in rows}, key=lambda k: (k[0], k[1]))
    head = ("| shape | N | nstopo apply | ip script apply | ip -batch apply | ip ÷ nstopo "
            "| batch ÷ nstopo | no-op re-apply | re-apply ÷ apply | nstopo destroy "
            "| ip destroy | batch destroy | nstopo apply CPU user + sys | nstopo peak RSS |")
    out = [head, "|" + "---|" * head.count(" | ") + "---|"]

    def wall(s, n, v, p):
        r = rows.get((s, n, v, p))
        return float(r["wall_s"]) if r else None

    def secs(x):
        return "–" if x is None else f"{x:.3f} s"

    def ratio(a, b):
        return "–" if a is None or b is None or b == 0 else f"{a / b:.1f}×"

    for s, n in keys:
        apply_ = wall(s, n, "nstopo", "apply")
        ip, batch = wall(s, n, "ip", "apply"), wall(s, n, "batch", "apply")
        reapply = wall(s, n, "nstopo", "reapply")
        rss = rows.get((s, n, "nstopo", "apply"))
        rss_mb = "–" if rss is None else f"{int(rss['maxrss_kb']) / 1024:.1f} MB"
        cpu = "–" if rss is None else f"{float(rss['user_s']):.2f} + {float(rss['sys_s']):.2f} s"
        per_ns = "" if apply_ is None else f" ({apply_ / n * 1000:.2f} ms/ns)"
        reapply_ratio = "–" if reapply is None or not apply_ else f"{reapply / apply_:.2f}"
        out.append(f"| {s} | {n} | {secs(apply_)}{per_ns} | {secs(ip)} | {secs(batch)} "
                   f"| {ratio(ip, apply_)} | {ratio(batch, apply_)} | {secs(reapply)} "
                   f"| {reapply_ratio} | {secs(wall(s, n, 'nstopo', 'destroy'))} "
                   f"| {secs(wall(s, n, 'ip', 'destroy'))} "
                   f"| {secs(wall(s, n, 'batch', 'destroy'))} | {cpu} | {rss_mb} |")
    return "\n".join(out)


def plot(rows, outdir):
    series = [("nstopo", "apply"), ("ip", "apply"), ("batch", "apply"), ("nstopo", "reapply"),
              ("nstopo", "destroy")]
    shapes = sorted({s for s, _, _, _ in rows})
    cmds = ["set terminal pngcairo size 1000,500", f"set output '{outdir}/time-vs-n.png'",
            "set multiplot layout 1," + str(len(shapes)), "set logscale xy", "set key top left",
            "set xlabel 'namespaces (N)'", "set ylabel 'wall time (s)'", "set grid"]
    for shape in shapes:
        plots = []
        for v, p in series:
            path = os.path.join(outdir, f".plot-{shape}-{v}-{p}.dat")
            pts = sorted((n, float(r["wall_s"])) for (s, n, vv, pp), r in rows.items()
                         if s == shape and vv == v and pp == p)
            with open(path, "w") as f:
                f.write("".join(f"{n} {max(t, 1e-4)}\n" for n, t in pts))
            label = {"ip": "ip script", "batch": "ip -batch"}.get(v, v) + " " + p
            plots.append(f"'{path}' using 1:2 with linespoints title '{label}'")
        cmds.append(f"set title '{shape}'")
        cmds.append("plot " + ", ".join(plots))
    cmds.append("unset multiplot")
    try:
        subprocess.run(["gnuplot"], input="\n".join(cmds), text=True, check=True,
                       stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: no plot ({e}); install gnuplot-nox", file=sys.stderr)
    finally:
        for name in os.listdir(outdir):
            if name.startswith(".plot-"):
                os.remove(os.path.join(outdir, name))


def main():
    outdir = sys.argv[1]
    rows = load(os.path.join(outdir, "results.csv"))
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write(f"Machine: {machine()}\n\n{table(rows)}\n")
    plot(rows, outdir)


if __name__ == "__main__":
    main()
