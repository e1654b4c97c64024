import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A server of a test's own (the same debug build and database as the suite's), on its own
 * port, for tests that kill it or serve it other content.
 */
export class OwnServer {
  readonly base: string;
  private child?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  /** Starts it and waits until /healthz answers. */
  async start() {
    this.child = spawn('./target/debug/server', ['serve'], {
      cwd: '..',
      env: { ...process.env, PORT: String(this.port), LEPTOS_SITE_ROOT: 'target/site', LOG_LEVEL: 'warn', ...this.env },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.base}/healthz`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the server on port ${this.port} did not come up`);
  }

  /** SIGKILLs it (no graceful shutdown) and waits for it to exit. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}
