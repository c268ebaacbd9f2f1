import { InProcessBus } from './in-process-bus';
import { BusMessage } from './message-bus.port';

const message = (value: string): BusMessage => ({ topic: 'inbound', key: 'k', value, headers: {} });

describe('the in-process bus', () => {
  it('hands a message to the handlers subscribed when it was published, not to one that subscribes while it is handled', async () => {
    const bus = new InProcessBus();
    const handled: string[] = [];
    // A consumer that subscribes again while handling, as intake's does when the directory changes.
    const subscription = await bus.subscribe({ groupId: 'g', topics: ['inbound'] }, async (received) => {
      handled.push(`first:${received.value}`);
      await subscription.stop();
      await bus.subscribe({ groupId: 'g', topics: ['inbound'] }, async (again) => void handled.push(`second:${again.value}`));
    });

    await bus.publish([message('a')]);
    await bus.publish([message('b')]);

    expect(handled).toEqual(['first:a', 'second:b']);
  });
});
