import { join } from 'node:path';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { COMMAND_HANDLER_METADATA } from '@nestjs/cqrs/dist/decorators/constants';
import { DECIDERS, RecordType } from '@crescent/domain';
import { AdminModule } from '../apps/admin/src/admin.module';
import { COMMAND_ROUTES } from '../apps/intake/src/commands/command-catalog';
import { IntakeModule } from '../apps/intake/src/intake.module';

/** The command classes a module's providers handle, read from each provider's @CommandHandler metadata, as Nest's CQRS explorer reads it. */
function handledBy(module: object): unknown[] {
  const providers: unknown[] = Reflect.getMetadata(MODULE_METADATA.PROVIDERS, module) ?? [];
  return providers.map((provider) => (typeof provider === 'function' ? Reflect.getMetadata(COMMAND_HANDLER_METADATA, provider) : undefined)).filter(Boolean);
}

/** `SubmitVictimReferral` -> `submit-victim-referral`: the file a newcomer looks for. */
function fileOf(commandType: string): string {
  return commandType.replace(/(?<!^)(?=[A-Z])/g, '-').toLowerCase();
}

/** The use case's command class, found by its name in the file named after it. */
function commandClassOf(app: 'intake' | 'admin', commandType: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, '..', 'apps', app, 'src', 'use-cases', `${fileOf(commandType)}.handler`))[`${commandType}Command`];
}

const commandsOf = (recordTypes: readonly RecordType[]) => recordTypes.flatMap((recordType) => [...DECIDERS[recordType].commandTypes]);

// Which records each app writes is the design's (DESIGN.md): agencies write their records, administrators the exchange's own.
const APPS = [
  { app: 'intake', module: IntakeModule, commandTypes: commandsOf(['case', 'victim-referral', 'arrest-record', 'consent']) },
  { app: 'admin', module: AdminModule, commandTypes: commandsOf(['agency', 'sharing-policy', 'subscription']) },
] as const;

describe.each(APPS)('$app: one named @CommandHandler per use case', ({ app, module, commandTypes }) => {
  it.each(commandTypes)('%s has its command in its own file and exactly one registered handler', (commandType) => {
    const command = commandClassOf(app, commandType);
    expect(command).toEqual(expect.any(Function));
    expect(handledBy(module).filter((handled) => handled === command)).toHaveLength(1);
  });

  it('registers no handler for anything else', () => {
    expect(handledBy(module)).toHaveLength(commandTypes.length);
  });
});

describe('the routes agencies send commands by', () => {
  it('route each command of an agency record to its own use case', () => {
    const byType = ([a]: [string, unknown], [b]: [string, unknown]) => a.localeCompare(b);
    expect(COMMAND_ROUTES.map(({ commandType, command }): [string, unknown] => [commandType, command]).sort(byType)).toEqual(
      APPS[0].commandTypes.map((commandType): [string, unknown] => [commandType, commandClassOf('intake', commandType)]).sort(byType),
    );
  });
});
