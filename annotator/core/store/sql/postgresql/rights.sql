-- Who may do what on a team's server, enforced by PostgreSQL itself (docs/architecture.md,
-- "The store"); applied by `annotator team init` after the migrations, and safe to re-apply.
--
-- annotator_member   reads the corpus; writes only their own annotation sets (annotator =
--                    their login role), the spans, claims and suggestion marks in them, and
--                    events in their own name; fills the derived caches (suggestions, tokens).
-- annotator_reviewer all of that, the gold sets, and documents' titles.
-- annotator_admin    owns every table: imports, curates, changes schema, model and settings.
--                    Owners are not subject to row-level security.

-- The server-wide part (roles, who may connect) needs the server's administrator the first
-- time; later, when it is in place, a team admin re-applies the rest after an upgrade.
DO $$
DECLARE
    role_name TEXT;
    weaker TEXT := NULL;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['annotator_member', 'annotator_reviewer', 'annotator_admin']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
        END IF;
        IF weaker IS NOT NULL AND NOT pg_has_role(role_name, weaker, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', weaker, role_name);
        END IF;
        weaker := role_name;
    END LOOP;
    -- Only the team connects.
    IF has_database_privilege('public', current_database(), 'CONNECT') THEN
        EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC',
                       current_database());
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO annotator_member', current_database());
    END IF;
    -- An administrator who is not a superuser becomes an admin, to hand the tables over.
    IF NOT pg_has_role('annotator_admin', 'MEMBER') THEN
        EXECUTE format('GRANT annotator_admin TO %I', current_user);
    END IF;
    IF NOT has_schema_privilege('annotator_admin', 'public', 'CREATE') THEN
        GRANT USAGE, CREATE ON SCHEMA public TO annotator_admin;
    END IF;
END;
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO annotator_member;
GRANT INSERT, UPDATE, DELETE ON annotation_sets, spans, claims, suggestions_materialised
    TO annotator_member;
GRANT INSERT ON events TO annotator_member;
GRANT INSERT, UPDATE, DELETE ON suggestions, document_tokens TO annotator_member;
-- A reviewer corrects a document's title (core/rights.py `check_curator`), nothing else of it.
GRANT UPDATE (title) ON documents TO annotator_reviewer;

-- Whether the current user may write a set of `annotator`'s ('gold' is
-- annotator.core.store.annotation_sets.GOLD). Tables are named with their schema: a
-- temporary table of the same name must never stand in for ours.
CREATE OR REPLACE FUNCTION public.annotator_may_write(annotator TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT annotator = current_user
        OR (annotator = 'gold' AND pg_has_role(current_user, 'annotator_reviewer', 'MEMBER'))
$$;

-- PL/pgSQL, not SQL: the policies call it for every span written, and a SQL function that
-- cannot be inlined is planned again at each statement (0.11 ms a call), where PL/pgSQL keeps
-- its plan for the session (0.02 ms): ~0.1 ms of the ~0.8 ms a server spends on an edit.
CREATE OR REPLACE FUNCTION public.annotator_may_write_set(set_id BIGINT) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT FROM public.annotation_sets s
                   WHERE s.id = set_id AND public.annotator_may_write(s.annotator));
END;
$$;

-- Admins own every table and function of ours (not the extensions'), so that they can
-- upgrade the schema and are not subject to row-level security.
DO $$
DECLARE
    item RECORD;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER TABLE public.%I OWNER TO annotator_admin', item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT FROM pg_depend d
                                  WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO annotator_admin', item.signature);
    END LOOP;
END;
$$;
ALTER TEXT SEARCH CONFIGURATION annotator OWNER TO annotator_admin;

-- Row-level security: everyone reads; members write where the rule of each table allows.
DO $$
DECLARE
    rule RECORD;
BEGIN
    FOR rule IN SELECT * FROM (VALUES
        ('annotation_sets', 'ALL', 'public.annotator_may_write(annotator)'),
        ('spans', 'ALL', 'public.annotator_may_write_set(set_id)'),
        ('claims', 'ALL', 'public.annotator_may_write_set(set_id)'),
        ('suggestions_materialised', 'ALL', 'public.annotator_may_write_set(set_id)'),
        ('events', 'INSERT', 'annotator = current_user')) AS rules (tab, command, allowed)
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', rule.tab);
        EXECUTE format('DROP POLICY IF EXISTS everyone_reads ON public.%I', rule.tab);
        EXECUTE format('CREATE POLICY everyone_reads ON public.%I FOR SELECT USING (true)',
                       rule.tab);
        EXECUTE format('DROP POLICY IF EXISTS own_work ON public.%I', rule.tab);
        EXECUTE format('CREATE POLICY own_work ON public.%I FOR %s TO annotator_member %s '
                       'WITH CHECK (%s)', rule.tab, rule.command,
                       CASE WHEN rule.command = 'INSERT' THEN ''
                            ELSE format('USING (%s)', rule.allowed) END,
                       rule.allowed);
    END LOOP;
END;
$$;
