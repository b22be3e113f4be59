"""Data layer: models, database, migrations, queries, importers and the seed dataset."""
