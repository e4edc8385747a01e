-- Full-text search over titles and texts, kept in step with documents by triggers.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text,
    content = 'documents', content_rowid = 'num',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');

CREATE TRIGGER documents_fts_after_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (NEW.num, NEW.title, NEW.text);
END;

CREATE TRIGGER documents_fts_after_delete AFTER DELETE ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', OLD.num, OLD.title, OLD.text);
END;

CREATE TRIGGER documents_fts_after_title_update AFTER UPDATE OF title ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', OLD.num, OLD.title, OLD.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (NEW.num, NEW.title, NEW.text);
END;
