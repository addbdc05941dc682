DROP TABLE documents;
DELETE FROM schema_migrations WHERE id = '001_documents';
