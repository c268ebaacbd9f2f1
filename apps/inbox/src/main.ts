import { runCrescentApp } from '@crescent/runtime';
import { InboxModule } from './inbox.module';

// On its own, the inbox is one agency's connector: its database, that agency's credential, the exchange's API.
runCrescentApp('crescent-inbox', [InboxModule], undefined, 'connector');
