export { DEFAULT_SQLITE_URL, loadConfig, RUNTIME_CONFIG, type RuntimeConfig } from './config';
export {
  AGENCY_DIRECTORY,
  type AgencyCredential,
  AgencyDirectory,
  type DirectoryContents,
} from './directory/agency-directory';
export { DEMO_AGENCIES, demoDirectory } from './directory/demo-directory';
export { AgencyAuthGuard, CurrentAgency } from './http/agency-auth.guard';
export { createValidationPipe, type FieldProblem, RequestValidationError } from './http/request-validation';
export { type ProblemDetails, problemFor, ProblemDetailsFilter } from './http/problem-details.filter';
export { crescentRootModule, RuntimeModule, SQL_CLIENT } from './runtime.module';
export { createCrescentApp, runCrescentApp } from './bootstrap';
