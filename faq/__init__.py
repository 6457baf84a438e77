"""The FAQ core: model, loading and validation, vocabulary, normalisation and matching.

Pure Python: nothing here imports ``telegram`` or touches the database, so the whole matching
path can be tested and benchmarked on its own.
"""
