import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, createEngine, installTemplate, systemActor, userActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { buildApp } from './app';
import { describeConfig } from './config/describe-config';
import { loadConfig } from './config/load-config';
import { buildUisIfChanged, shippedUis } from './ui/build-if-changed';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  // `pnpm start` asks for the UIs to be (re)built when their sources changed; the build runs in
  // child processes while the database opens.
  // The one place the process's environment is read: everything after this takes its settings from `config`.
  const config = loadConfig(process.env);
  const uiBuild = process.argv.includes('--build-ui-if-changed') ? buildUisIfChanged(root, shippedUis(root)) : Promise.resolve([]);
  uiBuild.catch(() => {}); // awaited below; a failure must not surface as an unhandled rejection first
  const options = config.engine;
  // Background job errors nobody awaits go to the server's log once it exists.
  let reportJobError = (error: unknown): void => console.error(error);
  const engine = await createEngine({ ...options, jobs: { ...options.jobs, onError: (error) => reportJobError(error) } });
  const built = await uiBuild;
  const app = await buildApp(engine, {
    logger: { level: config.logLevel },
    runtimeUiDir: resolve(root, 'runtime-ui', 'dist'),
    studioDir: resolve(root, 'studio', 'dist'),
    // Plain HTTP beyond localhost needs non-Secure cookies; behind a reverse proxy, client addresses come from it.
    auth: { secureCookies: config.http.secureCookies },
    trustProxy: config.http.trustProxy,
  });
  app.log.info({ config: describeConfig(config) }, 'configuration (secrets masked)');

  reportJobError = (error) => app.log.error({ err: error }, 'background job error');
  if (built.length > 0) app.log.info({ built: built.map((ui) => ui.dir.slice(root.length + 1)) }, 'built the UIs (their sources changed)');

  // First start: make sure someone can sign in. A generated password is printed once, to stdout
  // and outside the JSON logs, and never logged.
  const admin = await engine.auth.bootstrapAdmin({ email: config.firstStart.adminEmail, password: config.firstStart.adminPassword });
  if (admin.created) {
    app.log.info({ email: admin.email }, 'created the administrator account');
    if (admin.generated) {
      process.stdout.write(
        `\n  Administrator account created. Sign in as ${admin.email} with password:\n\n      ${admin.password}\n\n` +
          '  It is shown only this once. (Set CRM_ADMIN_PASSWORD before the first start to choose it.)\n\n',
      );
    }
  }

  // First start on an empty database: install the demo module so there is something to use. Its
  // sample records belong to an administrator (the one created alongside, or the configured one
  // when a start before created them but its demo did not get in); without one, to the system.
  // The install is one transaction: a start that fails in it leaves the database empty, and the
  // next start installs the demo again.
  if (config.firstStart.demo && (await engine.objects.list(systemActor)).length === 0) {
    const template = config.firstStart.template;
    const admins = (await engine.users.list(systemActor)).filter((user) => user.active && user.roles.includes('administrator'));
    const email = (admin.created ? admin.email : config.firstStart.adminEmail)?.toLowerCase();
    const owner = admins.find((user) => user.email?.toLowerCase() === email) ?? admins[0];
    const report = await installTemplate(engine, owner ? userActor(owner.id) : systemActor, readTemplate(template), { sampleData: true });
    app.log.info({ template, ...report }, 'installed demo template');
  }

  // Saved while this server's settings allowed them; their writes succeed and their jobs fail, saying what to set.
  const undeliverable = await engine.workflows.undeliverable(systemActor);
  if (undeliverable.length > 0) {
    const list = undeliverable.map((w) => `${w.object}.${w.workflow}: ${w.actions.join(', ')}`).join('; ');
    app.log.warn({ workflows: undeliverable }, `active workflows cannot deliver until their settings are set (their jobs fail meanwhile): ${list}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // close() stops accepting connections and waits for running requests, so no write is cut off.
    // Keep-alive connections whose request finishes after that would hold the server open until
    // the client hangs up, so idle ones are closed as they appear. A hard deadline bounds it all.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      app.log.error('shutdown took longer than 30s; exiting');
      process.exit(1);
    }, 30_000).unref();
    await app.close();
    clearInterval(sweeper);
    // Running deliveries finish (each has its own time limit); nothing new is claimed.
    await engine.jobs.stop();
    await engine.close();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const { port, host } = config.http;
  await app.listen({ port, host });
  await engine.jobs.start();
  app.log.info({ implementation: engine.jobs.implementation }, 'background job worker started');
  app.log.info(`CRM running: http://${host}:${port}/ (studio at /studio/) on ${engine.database.kind}`);
}

main().catch((error: unknown) => {
  // A setting that cannot be used is the operator's to fix: say which, without a stack trace.
  if (error instanceof ConfigurationError) console.error(`CRM cannot start: ${error.problems.map((p) => `\n  ${p.variable}=${JSON.stringify(p.value)} ${p.reason}`).join('')}`);
  else console.error(error);
  process.exit(1);
});
