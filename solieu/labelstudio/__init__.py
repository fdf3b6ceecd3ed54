"""Label Studio round trip: labeling config, task export with predictions,
export import, and the ML backend's request handling (the routes live in
solieu.service.ml_backend)."""
