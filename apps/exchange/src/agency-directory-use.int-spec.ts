import { ModuleRef } from '@nestjs/core';
import { AGENCY_DIRECTORY } from '@crescent/runtime';
import { RunningApp, startApp } from '@crescent/test-support';
import { AdminModule } from '../../admin/src/admin.module';
import { IntakeModule } from '../../intake/src/intake.module';
import { RelayModule } from '../../relay/src/relay.module';

/**
 * The agency directory folds what its app's features need of the feed at start and follows it: an app keeps one only when a
 * feature serves agencies. The relay alone keeps its own state as of each event, and no directory.
 */
describe('an exchange app keeps the agency directory', () => {
  const apps: RunningApp[] = [];
  const start = async (features: Parameters<typeof startApp>[1]) => {
    const running = await startApp({ databaseUrl: 'sqlite::memory:', kafkaBrokers: [] }, features);
    apps.push(running);
    return running;
  };
  // Asked of the module graph, not the app: the app's own get ends the process when it finds nothing.
  const hasDirectory = ({ app }: RunningApp) => {
    try {
      return app.get(ModuleRef).get(AGENCY_DIRECTORY, { strict: false }) !== undefined;
    } catch {
      return false;
    }
  };

  afterEach(async () => {
    for (const running of apps.splice(0)) await running.app.close();
  });

  it('when it serves agencies: intake, the administration, or all in one', async () => {
    expect(hasDirectory(await start([IntakeModule]))).toBe(true);
    expect(hasDirectory(await start([AdminModule]))).toBe(true);
    expect(hasDirectory(await start([IntakeModule, RelayModule, AdminModule]))).toBe(true);
  });

  it('not when it only relays, which still starts and answers its health check', async () => {
    const relay = await start([RelayModule]);
    expect(hasDirectory(relay)).toBe(false);
    expect((await fetch(`${relay.url}/health/ready`)).status).toBe(200);
  });
});
