-- Policy information (issue 6): procedures of the catalogue, articles and FAQ entries, each in
-- one language and linked to its other-language version by `group_id`; every save kept as a
-- revision. Search reads `search_title` and `search_body`: the text folded to lower case without
-- Vietnamese accents, so "bao hiem" finds "bảo hiểm" on both backends alike.
CREATE TABLE content_items (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('procedure', 'article', 'faq')),
    lang TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    -- A procedure's code, or an article's or FAQ entry's slug; one per kind and language.
    slug TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    -- Scheduled items become public at this moment (UTC); published ones carry when they did.
    publish_at TIMESTAMP,
    category TEXT NOT NULL,
    tags TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    -- The procedure's facts (who, documents, steps, time, fee, where, online form) as JSON.
    facts TEXT NOT NULL,
    search_title TEXT NOT NULL,
    search_body TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (kind, lang, slug),
    UNIQUE (group_id, lang)
);
CREATE INDEX content_items_public_idx ON content_items (kind, lang, status, publish_at);

CREATE TABLE content_revisions (
    item_id TEXT NOT NULL REFERENCES content_items (id),
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    facts TEXT NOT NULL,
    author_id TEXT REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (item_id, revision)
);
