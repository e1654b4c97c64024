import { defineConfig } from '@playwright/test';

// The server under test: the debug build made by `cargo leptos build`, on its own port, against
// the database named by DATABASE_URL (make test points it at a fresh database on the private
// test cluster). Playwright starts it and waits for /healthz before any test runs.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: './target/debug/server serve',
    cwd: '..',
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      LEPTOS_SITE_ROOT: 'target/site',
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      CONTENT_DIR: process.env.CONTENT_DIR ?? 'content',
      // Every test signs up from 127.0.0.1: more than a real address would in 15 minutes.
      SIGN_UPS_PER_ADDRESS: '0',
      LOG_LEVEL: 'warn',
    },
  },
});
