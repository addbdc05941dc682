ALTER TABLE documents ADD COLUMN algorithm TEXT NOT NULL DEFAULT 'ES256';
INSERT INTO schema_migrations (id) VALUES ('002_signature_algorithm');
