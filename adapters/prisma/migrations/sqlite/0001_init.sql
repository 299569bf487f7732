-- The example models (adapters/prisma/schema/sqlite.prisma), as Prisma would migrate them.
CREATE TABLE "Post" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "title" TEXT NOT NULL,
  "body" TEXT,
  "views" INTEGER NOT NULL DEFAULT 0,
  "authorId" TEXT NOT NULL,
  "authorEmail" TEXT NOT NULL
);
CREATE UNIQUE INDEX "Post_authorEmail_title_key" ON "Post"("authorEmail", "title");
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");

CREATE TABLE "Note" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "title" TEXT NOT NULL,
  "body" TEXT,
  "done" BOOLEAN NOT NULL DEFAULT false,
  "priority" REAL,
  "ownerId" TEXT NOT NULL,
  "secret" TEXT
);
CREATE INDEX "Note_ownerId_idx" ON "Note"("ownerId");
