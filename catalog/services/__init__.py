"""Business rules. Services own transactions, audit entries and the search outbox; they
never read flask.request, so the web, the CLI and the importer share them."""
