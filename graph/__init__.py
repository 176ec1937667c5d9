"""The RDF store (embedded or remote), loading, traversal and the queries behind the API."""
