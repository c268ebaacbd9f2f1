import { AdminModule } from '../../admin/src/admin.module';
import { InboxModule } from '../../inbox/src/inbox.module';
import { IntakeModule } from '../../intake/src/intake.module';
import { RelayModule } from '../../relay/src/relay.module';
import { runCrescentApp } from '@crescent/runtime';
import { printDemoGuide } from './demo-guide';

// The one composition root allowed to import other apps: every app in one process, on embedded defaults.
runCrescentApp('crescent-exchange', [IntakeModule, RelayModule, InboxModule, AdminModule], printDemoGuide);
