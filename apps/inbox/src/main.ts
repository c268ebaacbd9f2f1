import { runCrescentApp } from '@crescent/runtime';
import { InboxModule } from './inbox.module';

runCrescentApp('crescent-inbox', [InboxModule]);
