-- Sample posts for the embedded development database (SQLite under .data/, used when
-- DATABASE_URL is unset), added once to an empty table. Never run against a configured database.
INSERT INTO "Post" ("id", "createdAt", "title", "body", "authorId", "authorEmail")
SELECT lower(hex(randomblob(12))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), title, body,
  'bridgekeeper', 'team@bridgekeeper.dev'
FROM (
  SELECT 1 AS n, 'Welcome to Bridgekeeper' AS title,
    'Every signed-in user can read posts; only the author can edit them.' AS body
  UNION ALL SELECT 2, 'Row-level policies',
    'The owner is set by the bridge and is part of every update and delete.'
  UNION ALL SELECT 3, 'Try it', 'POST /dev/token, then POST /v1/data/posts with a title.'
  ORDER BY n
)
WHERE NOT EXISTS (SELECT 1 FROM "Post");
