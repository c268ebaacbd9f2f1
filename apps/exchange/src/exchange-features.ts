import { AdminModule } from '../../admin/src/admin.module';
import { InboxModule } from '../../inbox/src/inbox.module';
import { IntakeModule } from '../../intake/src/intake.module';
import { RelayModule } from '../../relay/src/relay.module';

// The one composition root allowed to import other apps: every app in one process.
export const EXCHANGE_FEATURES = [IntakeModule, RelayModule, InboxModule, AdminModule];
