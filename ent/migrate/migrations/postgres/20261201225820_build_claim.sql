-- Modify "report_chunks" table
ALTER TABLE "report_chunks" ADD COLUMN "build_owner" character varying NOT NULL DEFAULT '', ADD COLUMN "build_version" bigint NOT NULL DEFAULT 0, ADD COLUMN "build_expires_at" timestamptz NULL;
