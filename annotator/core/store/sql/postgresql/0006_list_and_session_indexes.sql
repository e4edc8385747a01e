-- The source filter's distinct sources, and the status bar's pace of a session (../0006).
CREATE INDEX documents_by_source ON documents (source);
CREATE INDEX events_by_session ON events (session_id, annotator);
