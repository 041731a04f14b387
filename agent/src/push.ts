// Optional push: with an MQTT URL the agent subscribes to openpsirt/devices/<id>/check-now, and a
// message there makes it check in at once instead of at the end of its poll interval. The message
// carries nothing to trust: it only moves the next check-in earlier. Without the `mqtt` package
// the agent simply polls.
export const checkNowTopic = (deviceId: string) => `openpsirt/devices/${deviceId}/check-now`;

export type PushSubscription = { close(): Promise<void> };

/** Subscribes; answers null when the mqtt package is not installed. Throws when the broker is unreachable. */
export async function subscribeCheckNow(
  url: string,
  deviceId: string,
  onCheckNow: () => void,
): Promise<PushSubscription | null> {
  let mqtt: typeof import('mqtt').default;
  try {
    mqtt = (await import('mqtt')).default;
  } catch {
    return null;
  }
  const topic = checkNowTopic(deviceId);
  const client = await mqtt.connectAsync(url, {
    clientId: `openpsirt-agent-${deviceId}`,
    connectTimeout: 10_000,
  });
  client.on('message', (received) => {
    if (received === topic) onCheckNow();
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return {
    async close() {
      await client.endAsync();
    },
  };
}
