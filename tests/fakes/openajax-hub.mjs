// A test fake of an OpenAjax Hub 2.0 IframeHubClient and its container, in
// one process, for unit tests. Written from the documented behaviour
// (Shindig pubsub-2 and the OpenAjax Hub 2.0, github.com/apache/shindig, and the OpenAjax Hub 2.0 API:
// connect(onComplete, scope) -> onComplete(client, success, error);
// subscribe(topic, onData, scope, onComplete, subscriberData) ->
// onComplete(subscriptionID, success, error); onData(topic, data);
// subscribe/publish/disconnect throw while not connected), not from any
// implementation's code:
// - the handshake completes asynchronously, `handshakeMs` after connect();
// - subscribe's onComplete is asynchronous; a container that refuses
//   (`refuseSubscribe`) says so only there;
// - a refused publish (`refusePublish`) gives the publisher no signal;
// - disconnect() drops the client's subscriptions in the container;
// - `duplicate` delivers every event twice (a reloaded frame whose old
//   subscription the container kept).
// Delays are configurable; which values a real container shows is not public.

export function createFakeHub({ handshakeMs = 0, subscribeMs = 0 } = {}) {
  const container = {
    refuseSubscribe: false,
    refusePublish: false,
    duplicate: false,
    /** Everything the container accepted from the client: [topic, data]. */
    published: [],
    /** topic -> Map(sid -> onData), the container's view of subscriptions. */
    subscriptions: new Map(),
    /** The container publishes to the client's subscriptions on `topic`. */
    deliver(topic, data) {
      const subs = container.subscriptions.get(topic);
      if (!subs) return 0;
      for (const onData of [...subs.values()]) {
        onData(topic, structuredClone(data));
        if (container.duplicate) onData(topic, structuredClone(data));
      }
      return subs.size;
    },
    /** Drops the client as a container does on disconnect. */
    drop() {
      container.subscriptions.clear();
      state = "disconnected";
    },
  };
  let state = "disconnected";
  let nextSid = 1;
  const mustBeConnected = () => {
    if (state !== "connected") throw new Error("OpenAjax.hub.Error.Disconnected");
  };
  const client = {
    connectCalls: 0,
    isConnected: () => state === "connected",
    connect(onComplete, scope) {
      if (state !== "disconnected") throw new Error("OpenAjax.hub.Error.Duplicate");
      client.connectCalls += 1;
      state = "connecting";
      setTimeout(() => {
        if (state !== "connecting") return;
        state = "connected";
        if (typeof onComplete === "function") onComplete.call(scope ?? globalThis, client, true);
      }, handshakeMs);
    },
    disconnect(onComplete, scope) {
      mustBeConnected();
      container.drop();
      setTimeout(() => {
        if (typeof onComplete === "function") onComplete.call(scope ?? globalThis, client, true);
      }, 0);
    },
    subscribe(topic, onData, scope, onComplete) {
      mustBeConnected();
      const sid = String(nextSid++);
      const refused = container.refuseSubscribe;
      setTimeout(() => {
        if (!refused && state === "connected") {
          if (!container.subscriptions.has(topic)) container.subscriptions.set(topic, new Map());
          container.subscriptions.get(topic).set(sid, (t, d) => onData.call(scope ?? globalThis, t, d));
        }
        if (typeof onComplete === "function") {
          onComplete.call(scope ?? globalThis, sid, !refused, refused ? "OpenAjax.hub.Error.NotAllowed" : undefined);
        }
      }, subscribeMs);
      return sid;
    },
    unsubscribe(sid) {
      mustBeConnected();
      for (const subs of container.subscriptions.values()) subs.delete(sid);
    },
    publish(topic, data) {
      mustBeConnected();
      if (container.refusePublish) return; // no signal to the publisher
      container.published.push([topic, structuredClone(data)]);
    },
  };
  return { container, client };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
