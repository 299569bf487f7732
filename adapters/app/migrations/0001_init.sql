-- init: the example models, as Prisma would migrate them.

-- dialect: postgresql
CREATE TABLE "Post" (
  "id" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "title" TEXT NOT NULL,
  "body" TEXT,
  "views" INTEGER NOT NULL DEFAULT 0,
  "authorId" TEXT NOT NULL,
  "authorEmail" TEXT NOT NULL,
  CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Post_authorEmail_title_key" ON "Post"("authorEmail", "title");
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");

CREATE TABLE "Note" (
  "id" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "body" TEXT,
  "done" BOOLEAN NOT NULL DEFAULT false,
  "priority" DOUBLE PRECISION,
  "ownerId" TEXT NOT NULL,
  "secret" TEXT,
  CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Note_ownerId_idx" ON "Note"("ownerId");

-- dialect: sqlite
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
