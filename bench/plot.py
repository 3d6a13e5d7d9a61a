"""The PNG of `make bench`: time against resource count, one line per command."""

from __future__ import annotations

from pathlib import Path


def plot(results, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    from bench.report import ORDER

    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for name in ORDER:
        points = sorted(
            (r.measures[name].resources, r.measures[name].median_wall)
            for r in results
            if name in r.measures and r.measures[name].resources
        )
        if points:
            xs, ys = zip(*points)
            style = "--" if not name.startswith("hdgen") else "-"
            axes.plot(xs, ys, style, marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("resources (Kubernetes objects)")
    axes.set_ylabel("median wall time, s")
    axes.set_title("hdgen vs helm, kustomize and kubeconform (whole processes)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
