"""solieu's HTTP service: `create_app(settings)` builds the FastAPI app.

Nothing here loads a model or configures logging at import; the app's
lifespan loads the pipeline, and the `solieu serve` entry point owns the
process (logging, workers).
"""
