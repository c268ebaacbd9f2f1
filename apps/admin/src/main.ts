import { runCrescentApp } from '@crescent/runtime';
import { AdminModule } from './admin.module';

runCrescentApp('crescent-admin', [AdminModule]);
