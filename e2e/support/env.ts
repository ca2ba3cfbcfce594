// Names of the variables through which global-setup.ts tells the test workers where things are.
export type ServerName = "app" | "faultPage2" | "faultPage1";

export const E2E_ENV = {
  databaseUrl: "E2E_DATABASE_URL",
  server: (name: ServerName) => `E2E_URL_${name.toUpperCase()}`,
};

function read(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`npm run test:e2e\` (playwright.config.ts starts the servers)`);
  return value;
}

export const e2eDatabaseUrl = () => read(E2E_ENV.databaseUrl);
export const serverUrl = (name: ServerName) => read(E2E_ENV.server(name));
