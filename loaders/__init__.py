"""Document → structured records → triples. `loaders.pipeline` composes the steps."""
