-- Titles are unique per author by the author's stable user id, not by an email address
-- (which a user without a verified email could otherwise squat).

-- dialect: postgresql
DROP INDEX IF EXISTS "Post_authorEmail_title_key";
CREATE UNIQUE INDEX "Post_authorId_title_key" ON "Post"("authorId", "title");

-- dialect: sqlite
DROP INDEX IF EXISTS "Post_authorEmail_title_key";
CREATE UNIQUE INDEX "Post_authorId_title_key" ON "Post"("authorId", "title");
