import { runCrescentApp } from '@crescent/runtime';
import { RelayModule } from './relay.module';

runCrescentApp('crescent-relay', [RelayModule]);
