"""hdgen: render, validate and review the honeyDue Kubernetes manifests."""

__version__ = "0.1.0"
