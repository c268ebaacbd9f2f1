import { runCrescentApp } from '@crescent/runtime';
import { IntakeModule } from './intake.module';

runCrescentApp('crescent-intake', [IntakeModule]);
