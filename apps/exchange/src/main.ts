import { runCrescentApp } from '@crescent/runtime';
import { printDemoGuide } from './demo-guide';
import { EXCHANGE_FEATURES } from './exchange-features';

// Every app in one process, on embedded defaults.
runCrescentApp('crescent-exchange', EXCHANGE_FEATURES, printDemoGuide);
