import { Agency } from '@crescent/domain';

/** 8 U.S.C. 1367: immigration-relief information never leaves DHS components. */
const IMMIGRATION_RELIEF_PATHS = ['immigrationReliefStatus'];

/** Whether statute lets `path` reach `recipient` at all, whatever a policy grants. */
export function statuteAllows(path: string, recipient: Agency): boolean {
  const protectsImmigrationRelief = IMMIGRATION_RELIEF_PATHS.some(
    (protectedPath) => path === protectedPath || path.startsWith(`${protectedPath}.`),
  );
  return !protectsImmigrationRelief || recipient.dhsComponent;
}
