DROP TABLE content_revisions;
DROP TABLE content_items;
