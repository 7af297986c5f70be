"""The search index in the database: its tables, and the triggers that keep it in step.

Triggers, not signals: every write reaches the index, including bulk_create, raw SQL and imports.
What is indexed for a service: its name, alternate name, description, eligibility, how to
access, cost and accessibility notes, its organisation's name and the names of its families and
areas. The triggers follow directory_service, the families and areas links and organisation
renames; a renamed taxonomy term needs `manage.py rebuild_search_index`.

On SQLite, Django rebuilds a table to alter it (and the table's triggers go with the old copy),
so `ensure_index` runs after every `migrate` and puts back whatever is missing.
"""

from django.db import connection as default_connection

# --- SQLite: FTS5 -----------------------------------------------------------------------------

SQLITE_TABLES = [
    """CREATE TABLE IF NOT EXISTS search_document (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        service_id char(32) NOT NULL UNIQUE
    )""",
    # unicode61 folds case and accents like text.normalize() does; marks are kept inside words
    # so that scripts with vowel signs (Gurmukhi, Arabic) are not cut apart.
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        name, alternate_name, description, details, organization, terms,
        tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
    )""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab(search_fts, 'row')",
]

_SQLITE_TERMS = """coalesce((
    SELECT group_concat(t.name || ' ' || t.code, ' ')
    FROM directory_service_{m2m} x JOIN core_taxonomyterm t ON t.id = x.taxonomyterm_id
    WHERE x.service_id = s.id), '')"""

_SQLITE_FILL = f"""
    INSERT INTO search_fts(rowid, name, alternate_name, description, details, organization, terms)
    SELECT d.id, s.name, s.alternate_name, s.description,
        s.eligibility_description || ' ' || s.application_process || ' ' ||
        s.cost_description || ' ' || s.accessibility_description,
        o.name,
        {_SQLITE_TERMS.format(m2m="families")} || ' ' || {_SQLITE_TERMS.format(m2m="areas")}
    FROM search_document d
    JOIN directory_service s ON s.id = d.service_id
    JOIN organizations_organization o ON o.id = s.organization_id
    WHERE {{where}};"""

_SQLITE_DROP = """
    DELETE FROM search_fts WHERE rowid IN (
        SELECT d.id FROM search_document d JOIN directory_service s ON s.id = d.service_id
        WHERE {where});"""


def _sqlite_refresh(where: str) -> str:
    return _SQLITE_DROP.format(where=where) + _SQLITE_FILL.format(where=where)


SQLITE_TRIGGERS = {
    "search_service_ai": f"""AFTER INSERT ON directory_service BEGIN
        INSERT OR IGNORE INTO search_document(service_id) VALUES (new.id);
        {_sqlite_refresh("s.id = new.id")}
    END""",
    "search_service_au": f"""AFTER UPDATE OF id, name, alternate_name, description,
        eligibility_description, application_process, cost_description,
        accessibility_description, organization_id ON directory_service BEGIN
        DELETE FROM search_fts WHERE rowid = (
            SELECT id FROM search_document WHERE service_id = old.id);
        UPDATE search_document SET service_id = new.id WHERE service_id = old.id;
        INSERT OR IGNORE INTO search_document(service_id) VALUES (new.id);
        {_sqlite_refresh("s.id = new.id")}
    END""",
    "search_service_ad": """AFTER DELETE ON directory_service BEGIN
        DELETE FROM search_fts WHERE rowid = (
            SELECT id FROM search_document WHERE service_id = old.id);
        DELETE FROM search_document WHERE service_id = old.id;
    END""",
    "search_organization_au": f"""AFTER UPDATE OF name ON organizations_organization BEGIN
        {_sqlite_refresh("s.organization_id = new.id")}
    END""",
}
for _m2m in ("families", "areas"):
    SQLITE_TRIGGERS[f"search_{_m2m}_ai"] = f"""AFTER INSERT ON directory_service_{_m2m} BEGIN
        {_sqlite_refresh("s.id = new.service_id")}
    END"""
    SQLITE_TRIGGERS[f"search_{_m2m}_ad"] = f"""AFTER DELETE ON directory_service_{_m2m} BEGIN
        {_sqlite_refresh("s.id = old.service_id")}
    END"""

SQLITE_REBUILD = [
    "DELETE FROM search_fts",
    "DELETE FROM search_document WHERE service_id NOT IN (SELECT id FROM directory_service)",
    "INSERT OR IGNORE INTO search_document(service_id) SELECT id FROM directory_service",
    _SQLITE_FILL.format(where="1"),
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]

# --- PostgreSQL: tsvector, unaccent, pg_trgm --------------------------------------------------

PG_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_italian') THEN
            CREATE TEXT SEARCH CONFIGURATION fr_italian (COPY = pg_catalog.italian);
            ALTER TEXT SEARCH CONFIGURATION fr_italian
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, italian_stem;
        END IF;
    END $$""",
    # No foreign key to directory_service: a TRUNCATE of the catalogue (test flushes) must not
    # be refused because of the index. Rows of vanished services are never joined to anything.
    """CREATE TABLE IF NOT EXISTS search_servicedocument (
        service_id uuid PRIMARY KEY,
        document tsvector NOT NULL
    )""",
    """CREATE INDEX IF NOT EXISTS search_servicedocument_document
        ON search_servicedocument USING gin (document)""",
    # Every word of the index once, unstemmed and unaccented: the vocabulary that misspelt
    # words are corrected against (and that tells which words the index knows).
    'CREATE TABLE IF NOT EXISTS search_word (word text COLLATE "C" PRIMARY KEY)',
    """CREATE INDEX IF NOT EXISTS search_word_trigram
        ON search_word USING gin (word gin_trgm_ops)""",
    """CREATE OR REPLACE FUNCTION search_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
        WITH src AS (
            SELECT s.id, s.name,
                s.alternate_name || ' ' || coalesce((
                    SELECT string_agg(t.name || ' ' || t.code, ' ')
                    FROM core_taxonomyterm t
                    WHERE t.id IN (SELECT taxonomyterm_id FROM directory_service_families
                                   WHERE service_id = s.id
                                   UNION ALL
                                   SELECT taxonomyterm_id FROM directory_service_areas
                                   WHERE service_id = s.id)), '') AS labels,
                s.description,
                s.eligibility_description || ' ' || s.application_process || ' ' ||
                    s.cost_description || ' ' || s.accessibility_description || ' ' ||
                    o.name AS details
            FROM directory_service s JOIN organizations_organization o ON o.id = s.organization_id
            WHERE s.id = ANY(ids)
        ), documents AS (
            INSERT INTO search_servicedocument(service_id, document)
            SELECT id,
                setweight(to_tsvector('fr_italian', name), 'A') ||
                setweight(to_tsvector('fr_italian', labels), 'B') ||
                setweight(to_tsvector('fr_italian', description), 'C') ||
                setweight(to_tsvector('fr_italian', details), 'D')
            FROM src
            ON CONFLICT (service_id) DO UPDATE SET document = EXCLUDED.document
        )
        INSERT INTO search_word(word)
        SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple', unaccent(
            name || ' ' || labels || ' ' || description || ' ' || details))))
        FROM src
        ON CONFLICT DO NOTHING;
    $$""",
    """CREATE OR REPLACE FUNCTION search_service_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY(SELECT id FROM changed));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION search_service_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_servicedocument WHERE service_id IN (SELECT id FROM changed);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION search_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY(SELECT DISTINCT service_id FROM changed));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION search_organization_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY(
            SELECT s.id FROM directory_service s
            WHERE s.organization_id IN (SELECT id FROM changed)));
        RETURN NULL;
    END $$""",
]

# Statement-level triggers with transition tables: a bulk_create of 1,000 services refreshes
# the index in one statement, not 1,000.
PG_TRIGGERS = {
    "search_service_ai": ("directory_service", "INSERT", "NEW", "search_service_changed"),
    "search_service_au": ("directory_service", "UPDATE", "NEW", "search_service_changed"),
    "search_service_ad": ("directory_service", "DELETE", "OLD", "search_service_deleted"),
    "search_organization_au": (
        "organizations_organization",
        "UPDATE",
        "NEW",
        "search_organization_changed",
    ),
    "search_families_ai": ("directory_service_families", "INSERT", "NEW", "search_link_changed"),
    "search_families_ad": ("directory_service_families", "DELETE", "OLD", "search_link_changed"),
    "search_areas_ai": ("directory_service_areas", "INSERT", "NEW", "search_link_changed"),
    "search_areas_ad": ("directory_service_areas", "DELETE", "OLD", "search_link_changed"),
}

PG_REBUILD = [
    "TRUNCATE search_servicedocument, search_word",
    "SELECT search_refresh(ARRAY(SELECT id FROM directory_service))",
]


def _pg_trigger_sql(name: str) -> str:
    table, event, transition, function = PG_TRIGGERS[name]
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} "
        f"REFERENCING {transition} TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def _missing_triggers(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        return [name for name in SQLITE_TRIGGERS if name not in present]
    cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    present = {row[0] for row in cursor.fetchall()}
    return [name for name in PG_TRIGGERS if name not in present]


def ensure_index(connection=default_connection) -> bool:
    """Create what is missing (tables, triggers); rebuild the index if a trigger was missing.

    Returns True when the index was rebuilt. Safe to run any number of times.
    """
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        return False
    with connection.cursor() as cursor:
        for statement in SQLITE_TABLES if vendor == "sqlite" else PG_SETUP:
            cursor.execute(statement)
        missing = _missing_triggers(cursor, vendor)
        for name in missing:
            if vendor == "sqlite":
                cursor.execute(f"CREATE TRIGGER {name} {SQLITE_TRIGGERS[name]}")
            else:
                cursor.execute(_pg_trigger_sql(name))
    if missing:
        rebuild_index(connection)
    return bool(missing)


def rebuild_index(connection=default_connection) -> None:
    statements = SQLITE_REBUILD if connection.vendor == "sqlite" else PG_REBUILD
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_index(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for table in ("search_vocab", "search_fts", "search_document"):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        elif connection.vendor == "postgresql":
            for name, (table, *_rest) in PG_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute("DROP TABLE IF EXISTS search_servicedocument, search_word")
