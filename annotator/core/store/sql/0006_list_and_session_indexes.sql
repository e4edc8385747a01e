-- Queries the window runs on the UI thread, which scanned whole tables at 100,000 articles:
-- the source filter's distinct sources, and the status bar's pace of the current session.
CREATE INDEX documents_by_source ON documents (source);
CREATE INDEX events_by_session ON events (session_id, annotator);
