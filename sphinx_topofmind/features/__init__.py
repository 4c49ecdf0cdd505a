"""The Sphinx side: one module (or small package) per feature, each with ``setup(app)``."""
