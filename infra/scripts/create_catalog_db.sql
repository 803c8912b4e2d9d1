-- The Iceberg catalog's database and role on the docker-compose stack's PostgreSQL, apart from
-- Airflow's metadata database. Run by the catalog-db-init service (infra/docker-compose.yaml)
-- as the server's superuser, on every `up`: idempotent. pyiceberg creates its own tables
-- (iceberg_tables, iceberg_namespace_properties) in this database on first use.
--
--   NEWSLOOM_CATALOG_DB_PASSWORD=... psql --set=ON_ERROR_STOP=1 \
--     --set=catalog_db=newsloom --set=catalog_user=newsloom -f create_catalog_db.sql
--
-- The password comes from the environment (never from the command line, which `ps` shows).

\getenv catalog_password NEWSLOOM_CATALOG_DB_PASSWORD
\if :{?catalog_password}
  SELECT :'catalog_password' = '' AS catalog_password_empty \gset
\else
  \set catalog_password_empty true
\endif
\if :catalog_password_empty
  DO $$ BEGIN RAISE EXCEPTION 'NEWSLOOM_CATALOG_DB_PASSWORD is unset or empty'; END $$;
\endif

SELECT format('CREATE ROLE %I LOGIN', :'catalog_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'catalog_user') \gexec

-- Every run: a password changed in infra/.env takes effect at the next `up`.
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'catalog_user', :'catalog_password') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'catalog_db', :'catalog_user')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'catalog_db') \gexec

-- The catalog's owner is the only one who may connect besides the superuser.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'catalog_db') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'catalog_db', :'catalog_user') \gexec
