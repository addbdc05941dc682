CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT UNIQUE,
  digest TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_at TEXT NOT NULL
);
INSERT INTO schema_migrations (id) VALUES ('001_documents');
