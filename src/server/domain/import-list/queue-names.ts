// The names the import shares with the job queue (src/server/jobs): the queue a background
// run's job goes to, and where pg-boss keeps jobs (its own schema, installed by db:migrate).
// Here, not in the jobs module, so the domain can tell a live job without importing pg-boss.
export const JOBS_SCHEMA = "pgboss";
export const IMPORT_QUEUE = "import-list";
export const JOB_TABLE = `${JOBS_SCHEMA}.job`;
