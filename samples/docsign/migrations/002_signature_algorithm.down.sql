ALTER TABLE documents DROP COLUMN algorithm;
DELETE FROM schema_migrations WHERE id = '002_signature_algorithm';
