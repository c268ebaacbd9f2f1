import { EVENT_STORE_MIGRATIONS, SqlEventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { openCase } from '@crescent/domain/testing';
import { openTestDatabase } from '@crescent/test-support';
import { EventContractViolation } from '../../../../contracts/events/event-contracts';
import { writeRecord } from './write-record';

describe('writeRecord checks every event against its contract before it appends it', () => {
  it('appends an event that fits its schema', async () => {
    const store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
    await expect(writeRecord(store, 'case', 'case-1', openCase())).resolves.toEqual({ recordId: 'case-1', version: 1 });
    expect((await store.readStream('case-case-1')).map(({ type }) => type)).toEqual(['CaseOpened']);
  });

  it('refuses one that does not, appends nothing, and names the contract and the path, never the value', async () => {
    const store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
    // The decider takes the title as given (the HTTP edge bounds it); the schema bounds it too.
    const written = writeRecord(store, 'case', 'case-1', openCase({ title: `Operation ${'Chef Menteur '.repeat(40)}` }));
    await expect(written).rejects.toThrow(EventContractViolation);
    await expect(written).rejects.toThrow(/^CaseOpened\.v1 does not fit its schema: \/title must NOT have more than \d+ characters$/);
    await expect(written).rejects.not.toThrow(/Menteur/);
    expect(await store.readAll(undefined, 10)).toEqual([]);
  });
});

describe('writeRecord for a record whose id was made for the write', () => {
  it('reads no stream, and finds a stream there after all a conflict, appending nothing', async () => {
    const store = await SqlEventStore.create(await openTestDatabase('sqlite', EVENT_STORE_MIGRATIONS));
    const reads = jest.spyOn(store, 'readStream');
    await expect(writeRecord(store, 'case', 'case-1', openCase(), 'new')).resolves.toEqual({ recordId: 'case-1', version: 1 });
    expect(reads).not.toHaveBeenCalled();

    await expect(writeRecord(store, 'case', 'case-1', openCase(), 'new')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream('case-case-1')).map(({ type }) => type)).toEqual(['CaseOpened']);
  });
});

