-- Modify "report_chunks" table
ALTER TABLE "report_chunks" ADD COLUMN "build_uploading" boolean NOT NULL DEFAULT false;
